/**
 * @module test/owner-policies/subject-probing
 * A policy write must not tell more about who exists than the person lookup does. A disabled user is
 * refused exactly like a name nobody has (as the lookup answers `{"found": false}` for both), in the
 * policies API and in Keycloak's `uma-policy`. Each write naming a subject nobody has (and each
 * permission ticket naming an unknown requester) spends one unit of the same per-user budget as the
 * lookup (`…/uma/lookup`); once it is spent, lookups and every write
 * naming a subject the policy does not hold yet answer 429 with Retry-After until the window ends, so
 * the refusal tells nothing about the names either. Writes that name only subjects already in the
 * policy (edits, removals) are not limited.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request, type Reply } from '../helpers/http.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { assertCrest, policyUrl, registerResource, session, signIn } from './fixture.ts';

const UMA_POLICY = '/realms/demo/authz/protection/uma-policy';
const unknownSubject = (name: string) => `Invalid UMA policy permission. Unknown subject, '${name}'.`;

for (const dialect of dialects) {
  describe(`policy writes are no oracle of who exists (${dialect})`, () => {
    let s: TestSteward;
    const clock = new TestClock();
    const sessions: Record<string, string> = {};
    before(async () => {
      s = await startTestSteward(dialect, { clock });
      for (const u of ['alice', 'bob', 'chris']) sessions[u] = await signIn(s, u);
      const dave = await s.deps.store.users.findByUsername('demo', 'dave');
      await s.deps.store.users.update({ ...dave!, disabled: true });
    });
    after(async () => s?.close());

    const put = (user: string, id: string, permissions: unknown[]) => request(s.app, 'PUT', policyUrl(user, id), { body: { policyId: id, permissions }, headers: session(sessions[user]!) });
    const lookup = (user: string, identity: string) => request(s.app, 'GET', `/json/realms/root/realms/demo/users/${user}/uma/lookup?identity=${encodeURIComponent(identity)}`, { headers: session(sessions[user]!) });
    /** A new window of the limit: nothing spent in it yet. */
    const nextWindow = () => clock.advance(60 - (clock.now() % 60));
    const retryAfter = () => String(60 - (clock.now() % 60));

    async function protectionToken(username: string): Promise<string> {
      const res = await postForm(s.app, DEMO.token, { grant_type: 'password', username, password: DEMO.password, scope: 'openid uma_protection sharing' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.equal(res.status, 200, res.body);
      return res.json.access_token;
    }
    const umaPolicy = (token: string, id: string, body: unknown) => request(s.app, 'POST', `${UMA_POLICY}/${id}`, { body, headers: { authorization: bearer(token) } });

    function assertLimited(res: Reply): void {
      assertCrest(res, 429, 'Too Many Requests');
      assert.equal(res.headers['retry-after'], retryAfter());
    }

    it('refuses a disabled user exactly as a name nobody has, in the policies API and in uma-policy', async () => {
      nextWindow();
      const id = await registerResource(s, 'alice', { name: 'Notes', scopes: ['view'] });
      const disabled = await put('alice', id, [{ subject: 'dave', scopes: ['view'] }]);
      const nobody = await put('alice', id, [{ subject: 'nosuchuser', scopes: ['view'] }]);
      assertCrest(disabled, 400, 'Bad Request', unknownSubject('dave'));
      assertCrest(nobody, 400, 'Bad Request', unknownSubject('nosuchuser'));
      assert.equal(disabled.body.replace('dave', 'X'), nobody.body.replace('nosuchuser', 'X'));
      assertCrest(await request(s.app, 'GET', policyUrl('alice', id), { headers: session(sessions.alice!) }), 404, 'Not Found');

      const token = await protectionToken('alice');
      const viaKeycloak = await umaPolicy(token, id, { name: 'Dave', users: ['dave'], scopes: ['view'] });
      const nobodyViaKeycloak = await umaPolicy(token, id, { name: 'Nobody', users: ['nosuchuser'], scopes: ['view'] });
      assert.equal(viaKeycloak.status, 400, viaKeycloak.body);
      assert.deepEqual(viaKeycloak.json, { error: 'invalid_request', error_description: unknownSubject('dave') });
      assert.deepEqual(nobodyViaKeycloak.json, { error: 'invalid_request', error_description: unknownSubject('nosuchuser') });
    });

    it('61 writes naming unknown subjects: the 61st is 429, and so are lookups and writes naming anyone new, until the window ends', async () => {
      nextWindow();
      const id = await registerResource(s, 'chris', { name: 'Diary', scopes: ['view', 'comment'] });
      assert.equal((await put('chris', id, [{ subject: 'bob', scopes: ['view'] }])).status, 201);
      const names = (i: number) => [`ghost-${i}`, `group:ghosts-${i}`, `client:ghost-app-${i}`][i % 3]!;
      for (let i = 0; i < 60; i++) {
        const name = names(i);
        assertCrest(await put('chris', id, [{ subject: 'bob', scopes: ['view'] }, { subject: name, scopes: ['view'] }]), 400, 'Bad Request', unknownSubject(name));
      }
      assertLimited(await put('chris', id, [{ subject: 'ghost-60', scopes: ['view'] }]));
      // The same answer whether the new name exists or not, and the lookup shares the budget.
      assertLimited(await put('chris', id, [{ subject: 'bob', scopes: ['view'] }, { subject: 'alice', scopes: ['view'] }]));
      assertLimited(await lookup('chris', 'alice'));
      // Edits naming only who the policy already holds still go through.
      const edited = await put('chris', id, [{ subject: 'bob', scopes: ['view', 'comment'] }]);
      assert.equal(edited.status, 200, edited.body);
      // Another user's budget is her own.
      assert.equal((await lookup('alice', 'bob')).status, 200);

      nextWindow();
      assert.equal((await lookup('chris', 'alice')).json.found, true);
      const shared = await put('chris', id, [{ subject: 'bob', scopes: ['view'] }, { subject: 'alice', scopes: ['view'] }]);
      assert.equal(shared.status, 200, shared.body);
    });

    it('lookups, uma-policy writes and permission tickets naming unknown users spend the same budget', async () => {
      nextWindow();
      const token = await protectionToken('bob');
      const id = await registerResource(s, 'bob', { name: 'Recipes', scopes: ['view'] });
      const ticket = (requesterName: string) => request(s.app, 'POST', '/realms/demo/authz/protection/permission/ticket', { body: { resource: id, requesterName, scopeName: 'view', granted: true }, headers: { authorization: bearer(token) } });
      for (let i = 0; i < 30; i++) assert.equal((await lookup('bob', `nobody-${i}`)).json.found, false);
      for (let i = 0; i < 29; i++) {
        const res = await umaPolicy(token, id, { name: 'share', users: [`nobody-${i}`], scopes: ['view'] });
        assert.deepEqual(res.json, { error: 'invalid_request', error_description: unknownSubject(`nobody-${i}`) });
      }
      assert.deepEqual((await ticket('dave')).json, { error: 'invalid_request', error_description: 'Unknown requester' }, 'a disabled user is unknown');
      for (const res of [await umaPolicy(token, id, { name: 'share', users: ['chris'], scopes: ['view'] }), await ticket('chris')]) {
        assert.equal(res.status, 429, res.body);
        assert.equal(res.json.error, 'too_many_requests');
        assert.equal(res.headers['retry-after'], retryAfter());
      }
      assertLimited(await lookup('bob', 'chris'));
    });
  });
}
