/**
 * @module test/owner-policies/revocation
 * Withdrawing a share revokes the RPT grants it allowed (UMA Grant §6.1): deleting a policy, or
 * narrowing it, revokes the RPT and its refresh token of every requesting party no longer allowed all
 * it holds, and nothing else — not a party still fully allowed, not the owner's own RPT, not grants on
 * other resources.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PolicyPermission } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertError, rptPermissions, UmaWorld } from '../uma-grant/fixture.ts';
import { policyUrl, session, signIn } from './fixture.ts';

interface Rpt {
  rpt: string;
  refreshToken: string | undefined;
}

for (const dialect of dialects) {
  describe(`owner policies: withdrawing a share revokes RPTs (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    let alice: string;
    before(async () => {
      s = await startTestSteward(dialect);
      w = new UmaWorld(s);
      alice = await signIn(s, 'alice');
    });
    after(async () => s?.close());

    /** Alice's policy written through the owner API: PUT (upsert, or update with If-Match). */
    async function put(resourceId: string, permissions: PolicyPermission[], headers: Record<string, string> = {}): Promise<void> {
      const res = await request(s.app, 'PUT', policyUrl('alice', resourceId), { body: { policyId: resourceId, permissions }, headers: session(alice, headers) });
      assert.ok(res.status === 200 || res.status === 201, res.body);
    }

    async function del(resourceId: string): Promise<void> {
      const res = await request(s.app, 'DELETE', policyUrl('alice', resourceId), { headers: session(alice) });
      assert.equal(res.status, 200, res.body);
    }

    /** An RPT (and refresh token) of `username` for these scopes of alice's resource; null username: the client for itself. */
    async function rptOf(username: string | null, resourceId: string, scopes: string[]): Promise<Rpt> {
      const ticket = await w.ticket('alice', [[resourceId, scopes]]);
      const res = username === null ? await w.grant({ ticket }) : await w.grantAs(username, { ticket });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(rptPermissions(res.json.access_token), [[resourceId, scopes]]);
      return { rpt: res.json.access_token, refreshToken: res.json.refresh_token };
    }

    function refresh(token: string) {
      return postForm(s.app, DEMO.token, { grant_type: 'refresh_token', refresh_token: token }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
    }

    async function assertActive(grant: Rpt, who: string): Promise<void> {
      const res = await w.introspect(grant.rpt);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.active, true, `${who}'s RPT should still be active`);
      if (grant.refreshToken !== undefined) assert.equal((await w.record(grant.refreshToken))?.revoked, false, `${who}'s refresh token should not be revoked`);
    }

    async function assertRevoked(grant: Rpt, who: string): Promise<void> {
      const res = await w.introspect(grant.rpt);
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json, { active: false }, `${who}'s RPT should be inactive`);
      assert.equal((await w.record(grant.rpt))?.revoked, true);
      if (grant.refreshToken !== undefined) {
        assert.equal((await w.record(grant.refreshToken))?.revoked, true);
        assertError(await refresh(grant.refreshToken), 400, 'invalid_grant');
      }
    }

    it("deleting the policy revokes Bob's RPT and its refresh token, not Alice's own nor Bob's grant on another resource", async () => {
      const album = await w.resource('alice', ['view', 'print']);
      const other = await w.resource('alice', ['view']);
      await put(album, [{ subject: 'bob', scopes: ['view', 'print'] }]);
      await put(other, [{ subject: 'bob', scopes: ['view'] }]);
      const bob = await rptOf('bob', album, ['view', 'print']);
      assert.equal(typeof bob.refreshToken, 'string');
      const bobElsewhere = await rptOf('bob', other, ['view']);
      const own = await rptOf('alice', album, ['view', 'print']);

      await del(album);

      await assertRevoked(bob, 'bob');
      await assertActive(bobElsewhere, 'bob (other resource)');
      await assertActive(own, 'alice');
      const ownRefreshed = await refresh(own.refreshToken!);
      assert.equal(ownRefreshed.status, 200, ownRefreshed.body);
      assert.deepEqual(rptPermissions(ownRefreshed.json.access_token), [[album, ['view', 'print']]]);
    });

    it("narrowing Bob from view+print to view revokes his RPT holding print; Chris's and Bob's view-only RPTs stay", async () => {
      const album = await w.resource('alice', ['view', 'print']);
      await put(album, [
        { subject: 'bob', scopes: ['view', 'print'] },
        { subject: 'chris', scopes: ['view', 'print'] },
      ]);
      const bobPrint = await rptOf('bob', album, ['view', 'print']);
      const bobView = await rptOf('bob', album, ['view']);
      const chris = await rptOf('chris', album, ['view', 'print']);
      const own = await rptOf('alice', album, ['print']);
      const rev = (await request(s.app, 'GET', policyUrl('alice', album), { headers: session(alice) })).json._rev;

      await put(
        album,
        [
          { subject: 'bob', scopes: ['view'] },
          { subject: 'chris', scopes: ['view', 'print'] },
        ],
        { 'if-match': `"${rev}"` },
      );

      await assertRevoked(bobPrint, 'bob (view+print)');
      await assertActive(bobView, 'bob (view)');
      await assertActive(chris, 'chris');
      await assertActive(own, 'alice');
      const chrisRefreshed = await refresh(chris.refreshToken!);
      assert.equal(chrisRefreshed.status, 200, chrisRefreshed.body);
      assert.deepEqual(rptPermissions(chrisRefreshed.json.access_token), [[album, ['view', 'print']]]);
      // Bob can still get what he is still allowed.
      await rptOf('bob', album, ['view']);
    });

    it('an update that drops a client subject (PUT without If-Match) revokes the RPT the client got for itself', async () => {
      const album = await w.resource('alice', ['view']);
      await put(album, [
        { subject: `client:${DEMO.client.id}`, scopes: ['view'] },
        { subject: 'bob', scopes: ['view'] },
      ]);
      const client = await rptOf(null, album, ['view']);
      assert.equal(client.refreshToken, undefined);
      const bob = await rptOf('bob', album, ['view']);

      await put(album, [{ subject: 'bob', scopes: ['view'] }]);

      await assertRevoked(client, 'the client');
      await assertActive(bob, 'bob');
    });

    it('an update that changes nothing for a party revokes nothing, and a refreshed grant is revoked as a whole', async () => {
      const album = await w.resource('alice', ['view', 'print']);
      await put(album, [{ subject: 'bob', scopes: ['view'] }]);
      const first = await rptOf('bob', album, ['view']);
      await put(album, [
        { subject: 'bob', scopes: ['view'] },
        { subject: 'chris', scopes: ['print'] },
      ]);
      await assertActive(first, 'bob');

      // A rotation keeps the grant: withdrawing the share revokes the old and the new RPT alike.
      const rotated = await refresh(first.refreshToken!);
      assert.equal(rotated.status, 200, rotated.body);
      const second = { rpt: rotated.json.access_token, refreshToken: rotated.json.refresh_token };
      await put(album, [{ subject: 'chris', scopes: ['print'] }]);
      await assertRevoked({ rpt: first.rpt, refreshToken: undefined }, 'bob (first RPT)');
      await assertRevoked(second, 'bob (refreshed)');
    });
  });
}
