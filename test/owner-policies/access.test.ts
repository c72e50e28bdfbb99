/** @module test/owner-policies/access — who may act on the policies under a username: owner, administrator, others. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueRpt } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { bearer, DEMO, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertCrest, bobViewComment, clientAccessToken, policyUrl, registerResource, session, signIn, userAccessToken, userId } from './fixture.ts';

for (const dialect of dialects) {
  describe(`owner policies: access (${dialect})`, () => {
    let steward: TestSteward;
    let alice: string;
    let bob: string;
    let admin: string;
    let album: string;
    before(async () => {
      steward = await startTestSteward(dialect);
      [alice, bob, admin] = [await signIn(steward, 'alice'), await signIn(steward, 'bob'), await signIn(steward, 'amAdmin')];
      album = await registerResource(steward, 'alice');
      const res = await request(steward.app, 'PUT', policyUrl('alice', album), { body: bobViewComment(album), headers: session(alice, { 'if-none-match': '*' }) });
      assert.equal(res.status, 201, res.body);
    });
    after(async () => steward?.close());

    const get = (user: string, id: string, headers: Record<string, string>) => request(steward.app, 'GET', policyUrl(user, id), { headers });

    it('accepts the session in the header, in the cookie, or a bearer access token of the owner', async () => {
      assert.equal((await get('alice', album, session(alice))).status, 200);
      assert.equal((await get('alice', album, { cookie: `iPlanetDirectoryPro=${alice}` })).status, 200);
      const token = await userAccessToken(steward, 'alice');
      const viaBearer = await get('alice', album, { authorization: bearer(token) });
      assert.equal(viaBearer.status, 200, viaBearer.body);
      assert.equal(viaBearer.json._id, album);
    });

    it('refuses a missing, unknown or foreign credential with 401 Access Denied', async () => {
      for (const headers of [
        {},
        session('not-a-session'),
        { cookie: 'iPlanetDirectoryPro=not-a-session' },
        { authorization: 'Bearer not.a.jwt' },
        { authorization: 'Basic YWxpY2U6Q2g0bmczMXQ=' },
        // A bad session header next to a good cookie: the header decides and is not retried with the cookie.
        { ...session('bad'), cookie: `iPlanetDirectoryPro=${alice}` },
      ]) {
        assertCrest(await get('alice', album, headers), 401, 'Unauthorized', 'Access Denied');
      }
      // A token of the owner without the sharing scope does not speak for her on the owner APIs.
      assertCrest(await get('alice', album, { authorization: bearer(await userAccessToken(steward, 'alice', 'openid profile')) }), 401, 'Unauthorized');
      // A client acting for itself is no user.
      const clientToken = await clientAccessToken(steward);
      assertCrest(await get('alice', album, { authorization: bearer(clientToken) }), 401, 'Unauthorized');
      // An RPT speaks for a requesting party, not for the owner, even when its subject is the owner.
      const realm = await steward.deps.store.realms.get(DEMO.realm);
      const client = await steward.deps.store.clients.get(DEMO.realm, DEMO.client.id);
      const rpt = await issueRpt(steward.deps, { realm: realm!, client: client!, subject: await userId(steward, 'alice'), permissions: [], grantId: 'g' });
      assertCrest(await get('alice', album, { authorization: bearer(rpt.token) }), 401, 'Unauthorized');
    });

    it('refuses a bearer token once revoked', async () => {
      const token = await userAccessToken(steward, 'alice');
      const jti = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti as string;
      assert.equal((await get('alice', album, { authorization: bearer(token) })).status, 200);
      assert.ok(await steward.deps.store.tokens.revoke(DEMO.realm, jti));
      assertCrest(await get('alice', album, { authorization: bearer(token) }), 401, 'Unauthorized');
    });

    it('lets the administrator read but never create or update', async () => {
      const read = await get('alice', album, session(admin));
      assert.equal(read.status, 200, read.body);
      assert.deepEqual(read.json.permissions, [{ subject: 'bob', scopes: ['view', 'comment'] }]);
      const fresh = await registerResource(steward, 'alice');
      for (const headers of [{ 'if-none-match': '*' }, { 'if-match': '*' }, {}] as Array<Record<string, string>>) {
        assertCrest(
          await request(steward.app, 'PUT', policyUrl('alice', fresh), { body: bobViewComment(fresh), headers: session(admin, headers) }),
          403,
          'Forbidden',
          'Only the resource owner can create or update policies',
        );
      }
      assertCrest(await request(steward.app, 'PUT', policyUrl('alice', album), { body: { policyId: album, permissions: [{ subject: 'dave', scopes: ['view'] }] }, headers: session(admin) }), 403, 'Forbidden');
      assert.equal(await steward.deps.store.policies.get(DEMO.realm, await userId(steward, 'alice'), fresh), null);
      assert.deepEqual((await get('alice', album, session(alice))).json.permissions, [{ subject: 'bob', scopes: ['view', 'comment'] }]);
      assertCrest(await get('nobody', album, session(admin)), 404, 'Not Found', `UMA Policy not found, ${album}`);
    });

    it('lets the administrator delete', async () => {
      const id = await registerResource(steward, 'alice');
      assert.equal((await request(steward.app, 'PUT', policyUrl('alice', id), { body: bobViewComment(id), headers: session(alice) })).status, 201);
      const res = await request(steward.app, 'DELETE', policyUrl('alice', id), { headers: session(admin) });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json, {});
      assertCrest(await get('alice', id, session(alice)), 404, 'Not Found');
    });

    it("refuses bob on alice's URL with 403 whether or not the resource exists", async () => {
      const missing = '0d7790de-9066-4bb6-8e81-25b6f9d0b8853';
      const answers: string[] = [];
      for (const id of [album, missing]) {
        const get403 = await get('alice', id, session(bob));
        const put403 = await request(steward.app, 'PUT', policyUrl('alice', id), { body: bobViewComment(id), headers: session(bob, { 'if-match': '*' }) });
        const del403 = await request(steward.app, 'DELETE', policyUrl('alice', id), { headers: session(bob) });
        for (const res of [get403, put403, del403]) {
          assertCrest(res, 403, 'Forbidden');
          answers.push(res.body);
        }
      }
      assert.equal(new Set(answers).size, 1, 'one answer for every method and id');
      // The policy is untouched.
      assert.deepEqual((await get('alice', album, session(alice))).json.permissions, [{ subject: 'bob', scopes: ['view', 'comment'] }]);
      // Also for a username that does not exist.
      assertCrest(await get('mallory', album, session(bob)), 403, 'Forbidden');
    });

    it("answers bob on his own URL with alice's resource id as not found", async () => {
      const message = `UMA Policy not found, ${album}`;
      assertCrest(await get('bob', album, session(bob)), 404, 'Not Found', message);
      // Bob may re-share the album shared with him (resharing.test.ts), but not a resource not shared with him.
      const diary = await registerResource(steward, 'alice', { name: 'Diary', scopes: ['view'] });
      const diaryMessage = `UMA Policy not found, ${diary}`;
      assertCrest(await request(steward.app, 'PUT', policyUrl('bob', diary), { body: { policyId: diary, permissions: [{ subject: 'chris', scopes: ['view'] }] }, headers: session(bob, { 'if-none-match': '*' }) }), 404, 'Not Found', diaryMessage);
      assertCrest(await request(steward.app, 'PUT', policyUrl('bob', diary), { body: { policyId: diary, permissions: [{ subject: 'chris', scopes: ['view'] }] }, headers: session(bob) }), 404, 'Not Found', diaryMessage);
      assertCrest(await request(steward.app, 'DELETE', policyUrl('bob', album), { headers: session(bob) }), 404, 'Not Found', message);
      assert.deepEqual((await get('alice', album, session(alice))).json.permissions, [{ subject: 'bob', scopes: ['view', 'comment'] }]);
    });

    it('keeps each realm to itself', async () => {
      assertCrest(await request(steward.app, 'GET', `/json/realms/root/realms/nowhere/users/alice/uma/policies/${album}`, { headers: session(alice) }), 404, 'Not Found');
    });
  });
}
