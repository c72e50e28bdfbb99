/**
 * @module test/owner-policies/resharing
 * Nested (re-shared) policies (ForgeRock AM's UMA policies REST API): Bob re-shares what Alice shared with him at his own policies
 * endpoint; Chris gets access through the chain. Bob cannot share more than he holds, nor close a loop;
 * deleting or narrowing Alice's policy deactivates the re-share (still stored, no longer granting, its
 * RPTs revoked) and recreating it reinstates it. A realm can turn re-sharing off.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { forgetRealm } from '../../packages/server/src/http/realm.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertError, rptPermissions, UmaWorld } from '../uma-grant/fixture.ts';
import { assertCrest, policyUrl, session, signIn } from './fixture.ts';

type Share = Array<{ subject: string; scopes: string[] }>;

for (const dialect of dialects) {
  describe(`owner policies: re-sharing (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    const sessions: Record<string, string> = {};
    before(async () => {
      s = await startTestSteward(dialect);
      w = new UmaWorld(s);
      for (const u of ['alice', 'bob', 'chris', 'dave']) sessions[u] = await signIn(s, u);
    });
    after(async () => s?.close());

    const put = (user: string, id: string, permissions: Share, headers: Record<string, string> = {}) =>
      request(s.app, 'PUT', policyUrl(user, id), { body: { policyId: id, permissions }, headers: session(sessions[user]!, headers) });
    const get = (user: string, id: string) => request(s.app, 'GET', policyUrl(user, id), { headers: session(sessions[user]!) });
    const del = (user: string, id: string) => request(s.app, 'DELETE', policyUrl(user, id), { headers: session(sessions[user]!) });

    async function grant(user: string, id: string, scopes: string[]) {
      return w.grantAs(user, { ticket: await w.ticket('alice', [[id, scopes]]) });
    }

    async function rpt(user: string, id: string, scopes: string[]): Promise<string> {
      const res = await grant(user, id, scopes);
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(rptPermissions(res.json.access_token), [[id, scopes]]);
      return res.json.access_token;
    }

    const active = async (token: string) => (await w.introspect(token)).json.active;

    it('Bob re-shares what he holds; Chris gets it through the chain, and no more', async () => {
      const album = await w.resource('alice', ['view', 'comment', 'download']);
      assert.equal((await put('alice', album, [{ subject: 'bob', scopes: ['view', 'comment'] }])).status, 201);
      const created = await put('bob', album, [{ subject: 'chris', scopes: ['view'] }], { 'if-none-match': '*' });
      assert.equal(created.status, 201, created.body);
      assert.equal(created.json._id, album);
      const read = await get('bob', album);
      assert.equal(read.status, 200, read.body);
      assert.deepEqual(read.json.permissions, [{ subject: 'chris', scopes: ['view'] }]);
      assert.equal(typeof read.json.name, 'string');
      // Alice's own policy is unchanged; Bob's query shows his re-share.
      assert.deepEqual((await get('alice', album)).json.permissions, [{ subject: 'bob', scopes: ['view', 'comment'] }]);
      const query = await request(s.app, 'GET', `/json/realms/root/realms/demo/users/bob/uma/policies?_queryFilter=true`, { headers: session(sessions.bob!) });
      assert.equal(query.status, 200, query.body);
      assert.ok(query.json.result.some((p: { _id: string }) => p._id === album), query.body);

      await rpt('chris', album, ['view']);
      const partial = await grant('chris', album, ['view', 'comment']);
      assert.equal(partial.status, 200, partial.body);
      assert.deepEqual(rptPermissions(partial.json.access_token), [[album, ['view']]]);
      assertError(await grant('dave', album, ['view']), 403, 'request_submitted');

      // Chris re-shares one level further; Dave gets view.
      assert.equal((await put('chris', album, [{ subject: 'dave', scopes: ['view'] }])).status, 201);
      await rpt('dave', album, ['view']);
    });

    it('refuses sharing more than held, sharing with the owner or upstream (a loop), and resources not shared', async () => {
      const doc = await w.resource('alice', ['view', 'comment', 'download']);
      assert.equal((await put('alice', doc, [{ subject: 'bob', scopes: ['view'] }])).status, 201);
      assertCrest(await put('bob', doc, [{ subject: 'chris', scopes: ['view', 'download'] }]), 400, 'Bad Request', /Cannot share scope 'download'/);
      assertCrest(await put('bob', doc, [{ subject: 'alice', scopes: ['view'] }]), 400, 'Bad Request', /would create a cycle/);
      assertCrest(await put('bob', doc, [{ subject: 'bob', scopes: ['view'] }]), 400, 'Bad Request', 'Invalid UMA policy permission. A requesting party cannot re-share a resource with themselves.');
      assert.equal((await put('bob', doc, [{ subject: 'chris', scopes: ['view'] }])).status, 201);
      assertCrest(await put('chris', doc, [{ subject: 'bob', scopes: ['view'] }]), 400, 'Bad Request', /would create a cycle/);
      assertCrest(await put('dave', doc, [{ subject: 'chris', scopes: ['view'] }]), 404, 'Not Found', `UMA Policy not found, ${doc}`);
      assertCrest(await get('dave', doc), 404, 'Not Found');
      assertCrest(await put('bob', 'no-such-resource', [{ subject: 'chris', scopes: ['view'] }]), 404, 'Not Found');
      // Bob cannot re-share a scope Alice gave him that has expired.
      const now = s.deps.clock.now();
      const res = await request(s.app, 'PUT', policyUrl('alice', doc), {
        body: { policyId: doc, permissions: [{ subject: 'bob', scopes: ['view'] }, { subject: 'dave', scopes: ['comment'], conditions: [{ type: 'Expiration', expirationDate: now - 1 }] }] },
        headers: session(sessions.alice!),
      });
      assert.equal(res.status, 200, res.body);
      assertCrest(await put('dave', doc, [{ subject: 'chris', scopes: ['comment'] }]), 404, 'Not Found');
    });

    it('deleting the primary deactivates the chain and revokes its RPTs; recreating it reinstates the chain', async () => {
      const record = await w.resource('alice', ['view', 'comment']);
      assert.equal((await put('alice', record, [{ subject: 'bob', scopes: ['view', 'comment'] }])).status, 201);
      assert.equal((await put('bob', record, [{ subject: 'chris', scopes: ['view', 'comment'] }])).status, 201);
      assert.equal((await put('chris', record, [{ subject: 'dave', scopes: ['view'] }])).status, 201);
      const chrisRpt = await rpt('chris', record, ['view']);
      const daveRpt = await rpt('dave', record, ['view']);

      assert.equal((await del('alice', record)).status, 200);
      assert.equal(await active(chrisRpt), false);
      assert.equal(await active(daveRpt), false);
      assertError(await grant('chris', record, ['view']), 403, 'request_submitted');
      assertError(await grant('dave', record, ['view']), 403, 'request_submitted');
      // Still stored, shown inactive at the authorization-policy endpoint.
      assert.deepEqual((await get('bob', record)).json.permissions, [{ subject: 'chris', scopes: ['view', 'comment'] }]);
      const authz = await request(s.app, 'GET', `/json/realms/root/realms/demo/users/bob/policies/${record}~chris`, { headers: session(sessions.bob!) });
      assert.equal(authz.status, 200, authz.body);
      assert.equal(authz.json.active, false);
      // Bob holds nothing now, so he cannot widen his re-share.
      assertCrest(await put('bob', record, [{ subject: 'dave', scopes: ['view'] }]), 404, 'Not Found');

      assert.equal((await put('alice', record, [{ subject: 'bob', scopes: ['view', 'comment'] }])).status, 201);
      await rpt('chris', record, ['view', 'comment']);
      await rpt('dave', record, ['view']);
      const again = await request(s.app, 'GET', `/json/realms/root/realms/demo/users/bob/policies/${record}~chris`, { headers: session(sessions.bob!) });
      assert.equal(again.json.active, true);
    });

    it('narrowing the primary narrows the chain and revokes RPTs holding what was taken', async () => {
      const record = await w.resource('alice', ['view', 'comment']);
      assert.equal((await put('alice', record, [{ subject: 'bob', scopes: ['view', 'comment'] }])).status, 201);
      assert.equal((await put('bob', record, [{ subject: 'chris', scopes: ['view', 'comment'] }])).status, 201);
      assert.equal((await put('chris', record, [{ subject: 'dave', scopes: ['view', 'comment'] }])).status, 201);
      const viewOnly = await rpt('chris', record, ['view']);
      const comment = await rpt('chris', record, ['comment']);
      const daveView = await rpt('dave', record, ['view']);
      const daveComment = await rpt('dave', record, ['comment']);
      assert.equal((await put('alice', record, [{ subject: 'bob', scopes: ['view'] }])).status, 200);
      assert.equal(await active(viewOnly), true);
      assert.equal(await active(comment), false);
      assert.equal(await active(daveView), true);
      assert.equal(await active(daveComment), false);
      const partial = await grant('chris', record, ['view', 'comment']);
      assert.deepEqual(rptPermissions(partial.json.access_token), [[record, ['view']]]);
      // Bob deleting his re-share revokes Chris's remaining RPT; Bob's own access is untouched.
      const bobRpt = await rpt('bob', record, ['view']);
      assert.equal((await del('bob', record)).status, 200);
      assert.equal(await active(viewOnly), false);
      assert.equal(await active(daveView), false);
      assert.equal(await active(bobRpt), true);
    });

    it('a realm with re-sharing turned off refuses re-shares and ignores existing ones', async () => {
      const record = await w.resource('alice', ['view']);
      assert.equal((await put('alice', record, [{ subject: 'bob', scopes: ['view'] }])).status, 201);
      assert.equal((await put('bob', record, [{ subject: 'chris', scopes: ['view'] }])).status, 201);
      const chrisRpt = await rpt('chris', record, ['view']);
      const realm = (await s.deps.store.realms.get('demo'))!;
      await s.deps.store.realms.update({ ...realm, settings: { ...realm.settings, resharing: false } });
      forgetRealm(s.deps, 'demo');
      try {
        assertCrest(await put('bob', record, [{ subject: 'dave', scopes: ['view'] }]), 403, 'Forbidden', 'Re-sharing is turned off in this realm.');
        assertError(await grant('chris', record, ['view']), 403, 'request_submitted');
        await rpt('bob', record, ['view']);
        // A policy change re-reads the chain with the switch off: Chris's RPT goes.
        assert.equal((await put('alice', record, [{ subject: 'bob', scopes: ['view'] }])).status, 200);
        assert.equal(await active(chrisRpt), false);
      } finally {
        await s.deps.store.realms.update(realm);
        forgetRealm(s.deps, 'demo');
      }
      await rpt('chris', record, ['view']);
    });
  });
}
