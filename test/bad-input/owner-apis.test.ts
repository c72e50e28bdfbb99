/**
 * @module test/bad-input/owner-apis
 * The owner APIs (`/json/...`: authenticate, sessions, UMA policies) under bad input: every refusal is
 * CREST JSON `{code, reason, message}` with the right status, unknown routes under `/json` included;
 * another owner's resource is indistinguishable from a missing one; nothing refused is written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, request, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertCrest, createElsewhere, ELSEWHERE, forgeries, LONG, OVERSIZE, passwordTokens, patFor, raw, type Method } from './fixture.ts';

const BASE = '/json/realms/root/realms/demo';
const AUTHENTICATE = `${BASE}/authenticate`;
const LOGOUT = `${BASE}/sessions?_action=logout`;
const SESSION = 'iPlanetDirectoryPro';
const MISSING = '0b5f4a5e-8a8c-4c4e-9d7e-3f1e2d3c4b5a';
const policyUrl = (user: string, id: string) => `${BASE}/users/${user}/uma/policies/${id}`;
/** RFC 2047 encoded header value, as AM clients send non-ASCII names. */
const rfc2047 = (value: string) => `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
const creds = (username: string, password: string = DEMO.password) => ({ 'x-openam-username': username, 'x-openam-password': password });

for (const dialect of dialects) {
  describe(`bad input: owner APIs (${dialect})`, () => {
    let s: TestSteward;
    let alice: string;
    let bob: string;
    let aliceToken: string;
    let elsewhereToken: string;
    let id: string;
    const send = (method: Method, url: string, headers: Record<string, string> = {}, payload?: string) => raw(s.app, method, url, { headers, ...(payload !== undefined ? { payload } : {}) });
    const signIn = async (username: string) => {
      const res = await send('POST', AUTHENTICATE, creds(username));
      assert.equal(res.status, 200, res.body);
      return res.json.tokenId as string;
    };
    const share = (forId: string) => JSON.stringify({ policyId: forId, permissions: [{ subject: 'bob', scopes: ['view'] }] });
    const alicePolicy = async () => s.deps.store.policies.get('demo', (await s.deps.store.users.findByUsername('demo', 'alice'))!.id, id);

    before(async () => {
      s = await startTestSteward(dialect);
      await createElsewhere(s);
      alice = await signIn('alice');
      bob = await signIn('bob');
      aliceToken = (await passwordTokens(s, 'alice', 'openid', DEMO.client)).access_token;
      elsewhereToken = (await passwordTokens(s, 'alice', 'openid', DEMO.client, ELSEWHERE)).access_token;
      const created = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: `Bearer ${await patFor(s, 'alice')}` }, body: { name: 'Album', resource_scopes: ['view', 'download'] } });
      assert.equal(created.status, 201, created.body);
      id = created.json._id;
      const put = await send('PUT', policyUrl('alice', id), { [SESSION]: alice, 'content-type': 'application/json', 'if-none-match': '*' }, share(id));
      assert.equal(put.status, 201, put.body);
    });
    after(async () => s?.close());

    describe('authenticate', () => {
      const cases: Array<[string, Method, string, Record<string, string>, string | undefined, number]> = [
        ['no credentials', 'POST', AUTHENTICATE, {}, undefined, 401],
        ['a wrong password', 'POST', AUTHENTICATE, creds('alice', 'wrong'), undefined, 401],
        ['an unknown user', 'POST', AUTHENTICATE, creds('nobody'), undefined, 401],
        ['a username of 10 kB', 'POST', AUTHENTICATE, creds(LONG), undefined, 401],
        ['a password of 10 kB', 'POST', AUTHENTICATE, creds('alice', LONG), undefined, 401],
        ['a username with NUL (RFC 2047)', 'POST', AUTHENTICATE, creds(rfc2047('alice\u0000')), undefined, 401],
        ['a username with a control character (RFC 2047)', 'POST', AUTHENTICATE, creds(rfc2047('al\u0007ice')), undefined, 401],
        ['a unicode username (RFC 2047)', 'POST', AUTHENTICATE, creds(rfc2047('ålice☃')), undefined, 401],
        ['a broken RFC 2047 value', 'POST', AUTHENTICATE, creds('=?UTF-8?B?!!!?='), undefined, 401],
        ['a body over the limit', 'POST', AUTHENTICATE, { ...creds('alice'), 'content-type': 'application/json' }, JSON.stringify({ pad: 'p'.repeat(OVERSIZE) }), 413],
        ...(['GET', 'PUT', 'DELETE', 'PATCH'] as const).map((m): [string, Method, string, Record<string, string>, string | undefined, number] => [m, m, AUTHENTICATE, creds('alice'), undefined, 405]),
        ['an unknown realm', 'POST', '/json/realms/root/realms/nope/authenticate', creds('alice'), undefined, 404],
        ['a realm with NUL', 'POST', '/json/realms/root/realms/demo%00/authenticate', creds('alice'), undefined, 404],
        ['a realm of 10 kB', 'POST', `/json/realms/root/realms/${LONG}/authenticate`, creds('alice'), undefined, 404],
        ['a parent realm other than root', 'POST', '/json/realms/other/realms/demo/authenticate', creds('alice'), undefined, 404],
      ];
      for (const [name, method, url, headers, payload, status] of cases) {
        it(`${name}: CREST ${status}`, async () => assertCrest(await send(method, url, headers, payload), status));
      }

      it('ignores a malformed body (AM clients send one): good credentials still sign in', async () => {
        const res = await send('POST', AUTHENTICATE, { ...creds('alice'), 'content-type': 'application/json' }, '{"broken": ');
        assert.equal(res.status, 200, res.body);
        assert.equal(typeof res.json.tokenId, 'string');
      });
    });

    describe('sessions', () => {
      const cases: Array<[string, Method, string, () => Record<string, string>, number]> = [
        ['logout without a session', 'POST', LOGOUT, () => ({}), 401],
        ['logout with an unknown session', 'POST', LOGOUT, () => ({ [SESSION]: 'bogus' }), 401],
        ['logout with a 10 kB session', 'POST', LOGOUT, () => ({ [SESSION]: LONG }), 401],
        ['an unknown action', 'POST', `${BASE}/sessions?_action=destroy`, () => ({ [SESSION]: alice }), 400],
        ['no action', 'POST', `${BASE}/sessions`, () => ({ [SESSION]: alice }), 400],
        ['_action twice', 'POST', `${BASE}/sessions?_action=logout&_action=logout`, () => ({ [SESSION]: alice }), 400],
        ['an action of 10 kB', 'POST', `${BASE}/sessions?_action=${LONG}`, () => ({ [SESSION]: alice }), 400],
        ['GET (no such route)', 'GET', `${BASE}/sessions`, () => ({ [SESSION]: alice }), 404],
        ['an unknown realm', 'POST', '/json/realms/root/realms/nope/sessions?_action=logout', () => ({ [SESSION]: alice }), 404],
      ];
      for (const [name, method, url, headers, status] of cases) {
        it(`${name}: CREST ${status}`, async () => assertCrest(await send(method, url, headers()), status));
      }

      it("alice's session survived every refused logout", async () => {
        const res = await send('GET', policyUrl('alice', id), { [SESSION]: alice });
        assert.equal(res.status, 200, res.body);
      });
    });

    describe('UMA policies', () => {
      const json = { 'content-type': 'application/json' };
      const asAlice = () => ({ [SESSION]: alice });

      const bodies: Array<[string, Record<string, string>, string | undefined, number]> = [
        ['malformed JSON', json, '{"policyId": ', 400],
        ['an empty JSON body', json, '', 400],
        ['a __proto__ key', json, '{"__proto__": {"admin": true}, "permissions": []}', 400],
        ['a form', { 'content-type': 'application/x-www-form-urlencoded' }, 'policyId=x', 415],
        ['JSON as text/plain', { 'content-type': 'text/plain' }, '{}', 415],
        ['JSON with no content type', {}, '{}', 415],
        ['no body', {}, undefined, 400],
        ['a body over the limit', json, JSON.stringify({ policyId: 'x', pad: 'p'.repeat(OVERSIZE) }), 413],
        ['null', json, 'null', 400],
        ['an array', json, '[]', 400],
        ['a number', json, '42', 400],
        ['policyId a number', json, '{"policyId": 42, "permissions": [{"subject": "bob", "scopes": ["view"]}]}', 400],
        ['policyId an array', json, '{"policyId": ["x"], "permissions": [{"subject": "bob", "scopes": ["view"]}]}', 400],
        ['permissions an object', json, '{"policyId": "x", "permissions": {"subject": "bob"}}', 400],
        ['permissions nested arrays', json, '{"policyId": "x", "permissions": [[{"subject": "bob", "scopes": ["view"]}]]}', 400],
        ['scopes nested objects', json, '{"policyId": "x", "permissions": [{"subject": "bob", "scopes": [{"$gt": ""}]}]}', 400],
      ];
      for (const [name, headers, payload, status] of bodies) {
        it(`PUT with ${name}: CREST ${status}, nothing written`, async () => {
          const before = await alicePolicy();
          const body = payload === undefined ? undefined : payload.replace('"x"', JSON.stringify(id));
          assertCrest(await send('PUT', policyUrl('alice', id), { ...asAlice(), ...headers }, body), status);
          assert.deepEqual(await alicePolicy(), before);
        });
      }

      it('PUT with policyId not matching the URL: CREST 400, nothing written', async () => {
        const before = await alicePolicy();
        assertCrest(await send('PUT', policyUrl('alice', id), { ...asAlice(), ...json }, share(MISSING)), 400);
        assert.deepEqual(await alicePolicy(), before);
      });

      const credentials: Array<[string, () => Record<string, string>, number]> = [
        ['no credentials', () => ({}), 401],
        ['an unknown session', () => ({ [SESSION]: 'bogus' }), 401],
        ['a session of 10 kB', () => ({ [SESSION]: LONG }), 401],
        ['a session cookie that is unknown', () => ({ cookie: `${SESSION}=bogus` }), 401],
        ['an access token of another realm', () => ({ authorization: `Bearer ${elsewhereToken}` }), 401],
        ['an empty Bearer', () => ({ authorization: 'Bearer ' }), 401],
        ['Basic credentials', () => ({ authorization: `Basic ${Buffer.from(`alice:${DEMO.password}`).toString('base64')}` }), 401],
        ["bob's session on alice's policies", () => ({ [SESSION]: bob }), 403],
      ];
      for (const [name, headers, status] of credentials) {
        it(`${name}: CREST ${status} on GET, PUT and DELETE`, async () => {
          for (const method of ['GET', 'PUT', 'DELETE'] as const) {
            const res = await send(method, policyUrl('alice', id), { ...headers(), ...(method === 'PUT' ? json : {}) }, method === 'PUT' ? share(id) : undefined);
            assertCrest(res, status);
          }
        });
      }

      it('forged access tokens: CREST 401', async () => {
        for (const [name, forged] of await forgeries(aliceToken)) {
          const res = await send('GET', policyUrl('alice', id), { authorization: `Bearer ${forged}` });
          assert.doesNotThrow(() => assertCrest(res, 401), name);
        }
      });

      it("bob on his own path: alice's resource is indistinguishable from a missing one", async () => {
        const masked = (res: Reply, resourceId: string) => JSON.parse(res.body.split(resourceId).join('<id>'));
        // A resource not shared with Bob (one shared with him he may re-share).
        const created = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: `Bearer ${await patFor(s, 'alice')}` }, body: { name: 'Diary', resource_scopes: ['view'] } });
        assert.equal(created.status, 201, created.body);
        const diary: string = created.json._id;
        for (const method of ['GET', 'PUT', 'DELETE'] as const) {
          const send2 = (forId: string) => send(method, policyUrl('bob', forId), { [SESSION]: bob, ...(method === 'PUT' ? json : {}) }, method === 'PUT' ? share(forId) : undefined);
          const foreign = await send2(diary);
          const unknown = await send2(MISSING);
          assertCrest(foreign, 404);
          assert.deepEqual(masked(foreign, diary), masked(unknown, MISSING), method);
        }
      });

      for (const [name, policyId, status] of [
        ['10 kB', LONG, 404],
        ['a broken percent escape', '%E0%A4%A', 400],
      ] as const) {
        it(`a policy id that is ${name}: CREST ${status}`, async () => {
          for (const method of ['GET', 'DELETE'] as const) assertCrest(await send(method, policyUrl('alice', policyId), asAlice()), status);
        });
      }

      for (const method of ['POST', 'PATCH', 'OPTIONS'] as const) {
        it(`${method}: CREST 405`, async () => assertCrest(await send(method, policyUrl('alice', id), { ...asAlice(), ...(method === 'OPTIONS' ? {} : json) }, method === 'OPTIONS' ? undefined : share(id)), 405));
      }

      for (const [name, url] of [
        ['an unknown realm', `/json/realms/root/realms/nope/users/alice/uma/policies/${MISSING}`],
        ['a realm of 10 kB', `/json/realms/root/realms/${LONG}/users/alice/uma/policies/${MISSING}`],
      ]) {
        it(`${name}: CREST 404`, async () => assertCrest(await send('GET', url!, asAlice()), 404));
      }

      for (const [name, url] of [
        ['an unknown collection under uma', `${BASE}/users/alice/uma/nothing`],
        ['an unknown path under /json', '/json/nothing/here'],
      ]) {
        it(`${name}: CREST 404`, async () => assertCrest(await send('GET', url!, asAlice()), 404));
      }

      it("alice's policy survived every refused request", async () => {
        const res = await send('GET', policyUrl('alice', id), asAlice());
        assert.equal(res.status, 200, res.body);
        assert.deepEqual(res.json.permissions, [{ subject: 'bob', scopes: ['view'] }]);
      });
    });
  });
}
