/**
 * Admin API users: create, list, get, set the password (a locked-out user signs in with it at once),
 * disable (sign-in, sessions and PATs stop at once), enable, delete (refused while referenced), bad
 * input; on both stores.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';
import { admin, startAdminSteward } from './fixture.ts';

const USERS = '/admin/realms/demo/users';

function passwordGrant(s: TestSteward, username: string, password: string = DEMO.password) {
  return postForm(s.app, DEMO.token, { grant_type: 'password', username, password, scope: 'uma_protection' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
}

for (const dialect of dialects) {
  describe(`admin API users (${dialect})`, () => {
    let s: TestSteward;
    before(async () => {
      s = await startAdminSteward(dialect);
    });
    after(() => s?.close());

    it('creates a user who can sign in; the answer never holds the password or its hash', async () => {
      const res = await admin(s, 'POST', USERS, { username: 'erin', password: 'erin-password-1', email: 'erin@example.com' });
      assert.equal(res.status, 201, res.body);
      assert.deepEqual(Object.keys(res.json).sort(), ['admin', 'createdAt', 'disabled', 'email', 'id', 'username']);
      assert.equal(res.headers.location, `${USERS}/${res.json.id}`);
      assert.ok(!res.body.includes('erin-password-1') && !res.body.includes('argon2'));
      assert.equal((await passwordGrant(s, 'erin', 'erin-password-1')).status, 200);
      const stored = await s.deps.store.users.get('demo', res.json.id);
      assert.match(stored!.passwordHash, /^\$argon2id\$/);
      assert.deepEqual((await admin(s, 'GET', `${USERS}/${res.json.id}`)).json, res.json);
      const list = await admin(s, 'GET', USERS);
      const names = list.json.map((u: { username: string }) => u.username);
      assert.ok(names.includes('erin') && names.includes('alice'), names.join());
      assert.deepEqual(names, [...names].sort(), 'ordered by username');
    });

    it('refuses bad input with 400 naming the problem, a taken name with 409, and writes nothing', async () => {
      const cases: Array<[unknown, RegExp]> = [
        [{ username: 'x1', password: 'short' }, /password/],
        [{ username: '', password: 'long-enough-1' }, /username/],
        [{ username: ' padded', password: 'long-enough-1' }, /username/],
        [{ username: 'client:evil', password: 'long-enough-1' }, /username/],
        [{ username: 'x2', password: 'long-enough-1', role: 'admin' }, /Unknown member 'role'/],
        [{ username: 'x3', password: 'long-enough-1', admin: 'yes' }, /admin/],
        [{ username: 'x4', password: 'long-enough-1', email: 'not-an-email' }, /email/],
        [[1, 2], /object/],
      ];
      for (const [body, pattern] of cases) {
        const res = await admin(s, 'POST', USERS, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.json.error, 'invalid_request');
        assert.match(res.json.error_description, pattern);
      }
      const dup = await admin(s, 'POST', USERS, { username: 'alice', password: 'long-enough-1' });
      assert.equal(dup.status, 409);
      assert.equal(dup.json.error, 'conflict');
      const names = (await s.deps.store.users.list('demo')).map((u) => u.username);
      for (const n of ['x1', 'x2', 'x3', 'x4', '', ' padded', 'client:evil']) assert.ok(!names.includes(n), n);
      assert.equal((await admin(s, 'GET', `${USERS}/no-such-id`)).status, 404);
      assert.equal((await admin(s, 'POST', `${USERS}/no-such-id/disable`)).status, 404);
      assert.equal((await admin(s, 'DELETE', `${USERS}/no-such-id`)).status, 404);
    });

    it('disabling stops sign-in, the owner session and the PAT at once; enabling lets the user sign in again', async () => {
      const bob = (await s.deps.store.users.findByUsername('demo', 'bob'))!;
      const grant = await passwordGrant(s, 'bob');
      assert.equal(grant.status, 200);
      const pat = grant.json.access_token as string;
      assert.equal((await request(s.app, 'GET', DEMO.resourceSet, { headers: { authorization: bearer(pat) } })).status, 200);
      const session = await request(s.app, 'POST', '/json/realms/root/realms/demo/authenticate', { headers: { 'x-openam-username': 'bob', 'x-openam-password': DEMO.password }, body: {} });
      assert.equal(session.status, 200, session.body);

      const res = await admin(s, 'POST', `${USERS}/${bob.id}/disable`);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.disabled, true);
      const refused = await request(s.app, 'GET', DEMO.resourceSet, { headers: { authorization: bearer(pat) } });
      assert.equal(refused.status, 401);
      assert.equal(refused.json.error, 'invalid_token');
      assert.equal((await passwordGrant(s, 'bob')).json.error, 'invalid_grant');
      const introspected = await postForm(s.app, DEMO.introspect, { token: pat }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.equal(introspected.json.active, false);
      const policies = await request(s.app, 'GET', `/json/realms/root/realms/demo/users/bob/uma/policies?_queryFilter=true`, { headers: { iPlanetDirectoryPro: session.json.tokenId } });
      assert.equal(policies.status, 401, policies.body);

      const enabled = await admin(s, 'POST', `${USERS}/${bob.id}/enable`);
      assert.equal(enabled.json.disabled, false);
      assert.equal((await passwordGrant(s, 'bob')).status, 200);
      // What was revoked stays revoked.
      assert.equal((await request(s.app, 'GET', DEMO.resourceSet, { headers: { authorization: bearer(pat) } })).status, 401);
    });

    it('refuses to delete a user who owns resources or is named by a policy; deletes one nobody refers to', async () => {
      const alice = (await s.deps.store.users.findByUsername('demo', 'alice'))!;
      const pat = (await passwordGrant(s, 'alice')).json.access_token as string;
      const created = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer(pat) }, body: { name: 'album', resource_scopes: ['view'] } });
      assert.equal(created.status, 201, created.body);
      const owns = await admin(s, 'DELETE', `${USERS}/${alice.id}`);
      assert.equal(owns.status, 409);
      assert.match(owns.json.error_description, /owns resources/);
      assert.ok(await s.deps.store.users.get('demo', alice.id));

      const dave = (await s.deps.store.users.findByUsername('demo', 'dave'))!;
      await s.deps.store.policies.create({ realm: 'demo', id: created.json._id, owner: alice.id, rev: 'r1', permissions: [{ subject: 'dave', scopes: ['view'] }], createdAt: 1, updatedAt: 1 });
      const named = await admin(s, 'DELETE', `${USERS}/${dave.id}`);
      assert.equal(named.status, 409);
      assert.match(named.json.error_description, /share resources with dave/);

      const chris = (await s.deps.store.users.findByUsername('demo', 'chris'))!;
      const chrisPat = (await passwordGrant(s, 'chris')).json.access_token as string;
      const gone = await admin(s, 'DELETE', `${USERS}/${chris.id}`);
      assert.equal(gone.status, 204, gone.body);
      assert.equal(await s.deps.store.users.get('demo', chris.id), null);
      assert.equal((await admin(s, 'GET', `${USERS}/${chris.id}`)).status, 404);
      assert.equal((await request(s.app, 'GET', DEMO.resourceSet, { headers: { authorization: bearer(chrisPat) } })).status, 401);
    });

    it('sets a password: hashed, the old one refused, and a locked-out user signs in with the new one at once', async () => {
      const finn = (await admin(s, 'POST', USERS, { username: 'finn', password: 'finn-password-1' })).json;
      for (let i = 0; i < 5; i++) assert.equal((await passwordGrant(s, 'finn', `wrong-password-${i}`)).json.error, 'invalid_grant');
      const locked = await passwordGrant(s, 'finn', 'finn-password-1');
      assert.equal(locked.status, 429, locked.body);
      assert.ok(await s.deps.store.rateLimits.failures('demo', 'finn'), 'failures are counted under the name too');

      const res = await admin(s, 'PUT', `${USERS}/${finn.id}/password`, { password: 'finn-new-password' });
      assert.equal(res.status, 204, res.body);
      assert.equal(res.body, '');
      assert.equal(await s.deps.store.rateLimits.failures('demo', 'finn'), null, 'failures across addresses forgotten');
      assert.equal((await passwordGrant(s, 'finn', 'finn-new-password')).status, 200, 'no lockout any more');
      assert.equal((await passwordGrant(s, 'finn', 'finn-password-1')).json.error, 'invalid_grant');
      const stored = (await s.deps.store.users.get('demo', finn.id))!;
      assert.match(stored.passwordHash, /^\$argon2id\$/);
      assert.ok(!JSON.stringify(stored).includes('finn-new-password'));
    });

    it('refuses a bad password with 400 and an unknown user with 404 in the documented shape, changing nothing', async () => {
      const finn = (await s.deps.store.users.findByUsername('demo', 'finn'))!;
      const cases: Array<[unknown, RegExp]> = [
        [{ password: 'short' }, /password must be 8.1024 characters/],
        [{ password: 'x'.repeat(1025) }, /password must be/],
        [{}, /password is required/],
        [{ password: 12345678 }, /^password must be a string$/],
        [{ password: 'long-enough-1', username: 'other' }, /Unknown member 'username'/],
        ['"long-enough-1"', /object/],
      ];
      for (const [body, pattern] of cases) {
        const res = await admin(s, 'PUT', `${USERS}/${finn.id}/password`, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.json.error, 'invalid_request');
        assert.match(res.json.error_description, pattern);
      }
      assert.equal((await s.deps.store.users.get('demo', finn.id))!.passwordHash, finn.passwordHash);
      const missing = await admin(s, 'PUT', `${USERS}/no-such-id/password`, { password: 'long-enough-1' });
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.json, { error: 'not_found', error_description: 'User no-such-id not found' });
    });
  });
}
