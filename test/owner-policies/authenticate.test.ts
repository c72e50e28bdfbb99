/** @module test/owner-policies/authenticate — AM-style sign-in and logout of the owner APIs (ForgeRock AM's UMA policies REST API). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertCrest, AUTHENTICATE, policyUrl, registerResource, session, signIn } from './fixture.ts';

const LOGOUT = '/json/realms/root/realms/demo/sessions?_action=logout';

for (const dialect of dialects) {
  describe(`owner sign-in (${dialect})`, () => {
    let steward: TestSteward;
    let album: string;
    before(async () => {
      steward = await startTestSteward(dialect);
      album = await registerResource(steward, 'alice');
    });
    after(async () => steward?.close());

    it('answers AM\'s documented example: tokenId, successUrl and realm', async () => {
      // Exactly AM's documented curl: JSON content type, no body, AM's API version header.
      const res = await steward.app.inject({
        method: 'POST',
        url: AUTHENTICATE,
        headers: { 'content-type': 'application/json', 'x-openam-username': 'alice', 'x-openam-password': DEMO.password, 'accept-api-version': 'resource=2.0, protocol=1.0' },
      });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ['realm', 'successUrl', 'tokenId']);
      assert.match(body.tokenId, /^[A-Za-z0-9_-]{43,}$/);
      assert.equal(body.successUrl, '/realms/demo/account/');
      assert.equal(body.realm, '/demo');
      assert.equal(res.headers['cache-control'], 'no-store');
      const cookie = String(res.headers['set-cookie']);
      assert.match(cookie, new RegExp(`^iPlanetDirectoryPro=${body.tokenId};`));
      assert.match(cookie, /HttpOnly/);
    });

    it('stores only the hash of the session token and honours the realm session lifetime', async () => {
      const before = Math.floor(Date.now() / 1000);
      const token = await signIn(steward, 'alice');
      const hash = steward.deps.digest.sha256(token);
      const stored = await steward.deps.store.sessions.get(DEMO.realm, hash, before);
      assert.ok(stored);
      assert.notEqual(stored.hash, token);
      const realm = await steward.deps.store.realms.get(DEMO.realm);
      assert.ok(stored.expiresAt - stored.createdAt === realm!.settings.sessionLifetime);
      assert.equal(await steward.deps.store.sessions.get(DEMO.realm, token, before), null);
    });

    it('ignores any body, form or JSON', async () => {
      const json = await request(steward.app, 'POST', AUTHENTICATE, { body: { anything: true }, headers: { 'x-openam-username': 'bob', 'x-openam-password': DEMO.password } });
      assert.equal(json.status, 200, json.body);
      const form = await request(steward.app, 'POST', AUTHENTICATE, {
        body: 'a=1&a=2',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-openam-username': 'bob', 'x-openam-password': DEMO.password },
      });
      assert.equal(form.status, 200, form.body);
    });

    it('refuses a wrong password, an unknown user and missing headers with the same 401', async () => {
      const attempts: Array<Record<string, string>> = [
        { 'x-openam-username': 'alice', 'x-openam-password': 'wrong' },
        { 'x-openam-username': 'mallory', 'x-openam-password': DEMO.password },
        { 'x-openam-username': 'alice' },
        { 'x-openam-password': DEMO.password },
        {},
      ];
      for (const headers of attempts) {
        const res = await request(steward.app, 'POST', AUTHENTICATE, { headers });
        assertCrest(res, 401, 'Unauthorized', 'Authentication Failed');
        assert.equal(res.headers['set-cookie'], undefined);
      }
    });

    it('accepts an RFC 2047 encoded user name and refuses control characters in it', async () => {
      const encoded = `=?UTF-8?B?${Buffer.from('alice').toString('base64')}?=`;
      const ok = await request(steward.app, 'POST', AUTHENTICATE, { headers: { 'x-openam-username': encoded, 'x-openam-password': DEMO.password } });
      assert.equal(ok.status, 200, ok.body);
      const nul = `=?UTF-8?B?${Buffer.from('alice\u0000').toString('base64')}?=`;
      assertCrest(await request(steward.app, 'POST', AUTHENTICATE, { headers: { 'x-openam-username': nul, 'x-openam-password': DEMO.password } }), 401, 'Unauthorized', 'Authentication Failed');
    });

    it('answers 404 in CREST for an unknown realm and 405 for other methods', async () => {
      const res = await request(steward.app, 'POST', '/json/realms/root/realms/nowhere/authenticate', { headers: { 'x-openam-username': 'alice', 'x-openam-password': DEMO.password } });
      assertCrest(res, 404, 'Not Found');
      for (const realm of ['de%00mo', 'DEMO', 'x'.repeat(65)]) {
        const odd = await request(steward.app, 'POST', `/json/realms/root/realms/${realm}/authenticate`, { headers: { 'x-openam-username': 'alice', 'x-openam-password': DEMO.password } });
        assertCrest(odd, 404, 'Not Found');
      }
      assertCrest(await request(steward.app, 'GET', AUTHENTICATE), 405, 'Method Not Allowed');
    });

    it('rejects an oversized body with 413', async () => {
      const res = await request(steward.app, 'POST', AUTHENTICATE, { body: 'x'.repeat(70_000), headers: { 'content-type': 'text/plain', 'x-openam-username': 'alice', 'x-openam-password': DEMO.password } });
      assertCrest(res, 413, 'Payload Too Large');
    });

    it('logs out: the session stops working at once', async () => {
      const token = await signIn(steward, 'alice');
      assert.equal((await request(steward.app, 'GET', policyUrl('alice', album), { headers: session(token) })).status, 404);
      const res = await request(steward.app, 'POST', LOGOUT, { headers: { ...session(token), 'content-type': 'application/json' } });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json, { result: 'Successfully logged out' });
      assertCrest(await request(steward.app, 'GET', policyUrl('alice', album), { headers: session(token) }), 401, 'Unauthorized', 'Access Denied');
      assertCrest(await request(steward.app, 'POST', LOGOUT, { headers: session(token) }), 401, 'Unauthorized');
    });

    it('does not log out with the session cookie alone (another site could send it): 401, the session stays', async () => {
      const token = await signIn(steward, 'bob');
      assertCrest(await request(steward.app, 'POST', LOGOUT, { headers: { cookie: `iPlanetDirectoryPro=${token}` } }), 401, 'Unauthorized');
      const res = await request(steward.app, 'POST', LOGOUT, { headers: session(token) });
      assert.equal(res.status, 200, res.body);
    });

    it('refuses logout without a session, and unknown actions', async () => {
      assertCrest(await request(steward.app, 'POST', LOGOUT), 401, 'Unauthorized');
      const token = await signIn(steward, 'chris');
      assertCrest(await request(steward.app, 'POST', '/json/realms/root/realms/demo/sessions?_action=destroyAll', { headers: session(token) }), 400, 'Bad Request');
      assertCrest(await request(steward.app, 'POST', '/json/realms/root/realms/demo/sessions', { headers: session(token) }), 400, 'Bad Request');
      // The refused requests did not end the session.
      assert.equal((await request(steward.app, 'POST', LOGOUT, { headers: session(token) })).status, 200);
    });
  });
}
