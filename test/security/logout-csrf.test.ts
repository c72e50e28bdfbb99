/**
 * Security: RP-initiated logout as a cross-site request. A plain GET (an <img> on any page) without an
 * `id_token_hint` proving a client asked for it must not end the user's browser session silently; the
 * user confirms, or the request carries proof.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { currentSession, openSession } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';

for (const dialect of dialects) {
  describe(`security: logout without proof (${dialect})`, () => {
    let s: TestSteward;
    before(async () => {
      s = await startTestSteward(dialect);
    });
    after(async () => s?.close());

    it('keeps the browser session when a bare cross-site GET hits the logout endpoint', async () => {
      const alice = await s.deps.store.users.findByUsername(DEMO.realm, 'alice');
      assert.ok(alice);
      const { token } = await openSession(s.deps, DEMO.realm, alice.id, 3600);
      const res = await s.app.inject({
        method: 'GET',
        url: '/realms/demo/protocol/openid-connect/logout',
        headers: { cookie: `steward_session_demo=${token}`, 'sec-fetch-site': 'cross-site' },
      });
      assert.ok(res.statusCode < 500, res.body);
      assert.ok(await currentSession(s.deps, DEMO.realm, token), 'a bare GET from another site signed alice out');
    });

    it('keeps the session against a cross-site GET naming a registered way back, and a cross-site POST without the form token', async () => {
      const alice = await s.deps.store.users.findByUsername(DEMO.realm, 'alice');
      assert.ok(alice);
      const { token } = await openSession(s.deps, DEMO.realm, alice.id, 3600);
      const back = new URLSearchParams({ client_id: DEMO.rs.id, post_logout_redirect_uri: 'http://127.0.0.1:3000/callback', state: 'x' });
      const get = await s.app.inject({
        method: 'GET',
        url: `/realms/demo/protocol/openid-connect/logout?${back}`,
        headers: { cookie: `steward_session_demo=${token}`, 'sec-fetch-site': 'cross-site' },
      });
      assert.ok(get.statusCode < 500, get.body);
      assert.equal(get.headers.location, undefined, 'redirected without proof');
      assert.ok(await currentSession(s.deps, DEMO.realm, token), 'a cross-site GET with a way back signed alice out');
      const post = await s.app.inject({
        method: 'POST',
        url: '/realms/demo/protocol/openid-connect/logout',
        headers: { cookie: `steward_session_demo=${token}`, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
        payload: back.toString(),
      });
      assert.equal(post.statusCode, 403, post.body);
      assert.ok(await currentSession(s.deps, DEMO.realm, token), 'a cross-site POST signed alice out');
    });
  });
}
