/**
 * @module test/bad-input/paging
 * The paged owner lists and Keycloak's paged protection lists under bad paging input, over real HTTP
 * against a listening server on both stores: malformed cookies (not base64url, not JSON, the wrong
 * shape, huge, a key value of the wrong type or length, NUL), a cookie of another list, order or
 * direction, `_pageSize` and `_pagedResultsOffset` out of range, a cookie with an offset, an unknown
 * `_totalPagedResultsPolicy`, filter values the database cannot hold, and Keycloak's `first`/`max` out
 * of range. Each is a CREST (or OAuth) 4xx naming the problem, never a 500 or a hang. A cookie crafted
 * to hold another owner's key only positions the caller's own list: it never reveals another owner's rows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, toReply, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertCrest, assertNoLeak, passwordTokens, patFor } from './fixture.ts';

const BASE = '/json/realms/root/realms/demo/users';
const LISTS = {
  resources: `${BASE}/alice/oauth2/resources/sets?_queryFilter=true`,
  policies: `${BASE}/alice/uma/policies?_queryFilter=true`,
  pendingRequests: `${BASE}/alice/uma/pendingrequests?_queryFilter=true`,
  auditHistory: `${BASE}/alice/uma/auditHistory?_queryFilter=true`,
  myRequests: `${BASE}/alice/uma/myRequests?`,
  sharedWithMe: `${BASE}/alice/uma/sharedWithMe?`,
} as const;

const cookieOf = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** Bad paging parameters every paged owner list refuses with a 400. */
const BAD_PAGING: Array<[string, Record<string, string>]> = [
  ['a cookie that is not base64url', { _pagedResultsCookie: 'not base64url!' }],
  ['a cookie in standard base64 (+ / =)', { _pagedResultsCookie: Buffer.from('{"l":"x","k":[]}').toString('base64').replace(/[A-Za-z]/, '+') + '==' }],
  ['a cookie that is not JSON', { _pagedResultsCookie: Buffer.from('not json at all').toString('base64url') }],
  ['a cookie of a JSON array', { _pagedResultsCookie: cookieOf(['resources:name:asc', ['a', 'b']]) }],
  ['a cookie of JSON null', { _pagedResultsCookie: cookieOf(null) }],
  ['a cookie of a JSON string', { _pagedResultsCookie: cookieOf('resources') }],
  ['a cookie without a key', { _pagedResultsCookie: cookieOf({ l: 'resources:name:asc' }) }],
  ['a cookie whose key is not an array', { _pagedResultsCookie: cookieOf({ l: 'resources:name:asc', k: 'a' }) }],
  ['a cookie of an unknown list', { _pagedResultsCookie: cookieOf({ l: 'nothing', k: ['a'] }) }],
  ['a huge cookie (10 kB)', { _pagedResultsCookie: 'A'.repeat(10_000) }],
  ['a cookie just over the length limit', { _pagedResultsCookie: cookieOf({ l: 'resources:name:asc', k: ['a'.repeat(3100), 'b'] }) }],
  ['a cookie with a NUL byte', { _pagedResultsCookie: `${cookieOf({ l: 'resources:name:asc', k: ['a', 'b'] })}\u0000` }],
  ['a cookie whose key holds NUL', { _pagedResultsCookie: cookieOf({ l: 'resources:name:asc', k: ['a\u0000b', 'b'] }) }],
  ['a cookie whose key value is too long', { _pagedResultsCookie: cookieOf({ l: 'resources:name:asc', k: ['a'.repeat(1025), 'b'] }) }],
  ['a cookie whose key has an object', { _pagedResultsCookie: cookieOf({ l: 'resources:name:asc', k: [{}, 'b'] }) }],
  ['a cookie whose key has a float', { _pagedResultsCookie: cookieOf({ l: 'audit:desc', k: [1.5, 2] }) }],
  ['a cookie whose key has an unsafe integer', { _pagedResultsCookie: cookieOf({ l: 'audit:desc', k: [2 ** 60, 2] }) }],
  ['a negative _pageSize', { _pageSize: '-1' }],
  ['a huge _pageSize', { _pageSize: '1000000' }],
  ['a _pageSize of 20 digits', { _pageSize: '99999999999999999999' }],
  ['a non-numeric _pageSize', { _pageSize: 'ten' }],
  ['a fractional _pageSize', { _pageSize: '1.5' }],
  ['an empty _pageSize', { _pageSize: '' }],
  ['a _pagedResultsOffset over the cap', { _pagedResultsOffset: '10001' }],
  ['a negative _pagedResultsOffset', { _pagedResultsOffset: '-1' }],
  ['a non-numeric _pagedResultsOffset', { _pagedResultsOffset: 'x' }],
  ['a cookie with an offset', { _pagedResultsCookie: cookieOf({ l: 'resources:name:asc', k: ['a', 'b'] }), _pagedResultsOffset: '1' }],
  ['an unknown _totalPagedResultsPolicy', { _totalPagedResultsPolicy: 'SOME' }],
  ['a lower-case _totalPagedResultsPolicy', { _totalPagedResultsPolicy: 'exact' }],
  ['an empty _totalPagedResultsPolicy', { _totalPagedResultsPolicy: '' }],
];

for (const dialect of dialects) {
  describe(`bad input: paging over HTTP (${dialect})`, () => {
    let s: TestSteward;
    let alice: string;
    let pat: string;
    let bobIds: string[];

    const get = async (path: string, headers: Record<string, string>): Promise<Reply> => {
      const res = await fetch(`${s.baseUrl}${path}`, { headers, signal: AbortSignal.timeout(20_000) });
      return toReply({ statusCode: res.status, headers: Object.fromEntries(res.headers), body: await res.text() });
    };
    const owner = (path: string) => get(path, { iplanetdirectorypro: alice, 'accept-api-version': 'resource=1.0' });
    const signIn = async (username: string) => {
      const res = await fetch(`${s.baseUrl}/json/realms/root/realms/demo/authenticate`, { method: 'POST', headers: { 'x-openam-username': username, 'x-openam-password': DEMO.password } });
      assert.equal(res.status, 200);
      return ((await res.json()) as { tokenId: string }).tokenId;
    };
    const register = async (token: string, name: string) => {
      const res = await fetch(`${s.issuer}/authz/protection/resource_set`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name, resource_scopes: ['view'] }) });
      assert.equal(res.status, 201);
      return ((await res.json()) as { _id: string })._id;
    };
    const share = async (token: string, user: string, id: string, subject: string) => {
      const res = await fetch(`${s.baseUrl}${BASE}/${user}/uma/policies/${id}`, { method: 'PUT', headers: { iplanetdirectorypro: token, 'content-type': 'application/json' }, body: JSON.stringify({ policyId: id, permissions: [{ subject, scopes: ['view'] }] }) });
      assert.ok(res.status === 200 || res.status === 201, await res.text());
    };

    before(async () => {
      s = await startTestSteward(dialect, { listen: true });
      alice = await signIn('alice');
      const bob = await signIn('bob');
      pat = await patFor(s, 'alice');
      const bobPat = await patFor(s, 'bob');
      for (const name of ['Alpha', 'Beta', 'Gamma']) await share(alice, 'alice', await register(pat, name), 'bob');
      // Bob's resources sort between and after alice's in every order.
      bobIds = [];
      for (const name of ['Aardvark', 'Bz', 'Zebra']) {
        const id = await register(bobPat, name);
        bobIds.push(id);
        await share(bob, 'bob', id, 'chris');
      }
    });
    after(async () => s?.close());

    for (const [list, url] of Object.entries(LISTS)) {
      for (const [name, params] of BAD_PAGING) {
        it(`${list}: ${name} is a CREST 400`, async () => assertCrest(await owner(`${url}&${new URLSearchParams(params)}`), 400));
      }
    }

    it('a cookie of another list, order or direction is a CREST 400', async () => {
      const first = await owner(`${LISTS.resources}&_pageSize=1`);
      assert.equal(first.status, 200, first.body);
      const cookie = first.json.pagedResultsCookie as string;
      assert.equal(typeof cookie, 'string');
      for (const other of [`${LISTS.resources}&_sortKeys=-name`, `${LISTS.resources}&_sortKeys=type`, `${LISTS.resources}&_sortKeys=_id`, LISTS.policies, LISTS.pendingRequests, LISTS.auditHistory, LISTS.myRequests, LISTS.sharedWithMe]) {
        assertCrest(await owner(`${other}&_pagedResultsCookie=${cookie}`), 400);
      }
      const same = await owner(`${LISTS.resources}&_pagedResultsCookie=${cookie}`);
      assert.equal(same.status, 200, same.body);
    });

    it('a cookie crafted around another owner\'s keys only pages the caller\'s own rows', async () => {
      const names = ['Aardvark', 'Bz', 'Zebra'];
      const crafted: Array<[string, string, unknown[]]> = [[`${LISTS.resources}`, 'resources:name:asc', ['', '']], [`${LISTS.policies}`, 'policies:id:asc', ['']]];
      bobIds.forEach((id, i) => {
        crafted.push(
          [`${LISTS.resources}`, 'resources:name:asc', [names[i], id]],
          [`${LISTS.resources}&_sortKeys=-name`, 'resources:name:desc', [names[i], id]],
          [`${LISTS.resources}&_sortKeys=_id`, 'resources:id:asc', [id]],
          [`${LISTS.resources}&_sortKeys=-_id`, 'resources:id:desc', [id]],
          [`${LISTS.policies}`, 'policies:id:asc', [id]],
          [`${LISTS.policies}&_sortKeys=name`, 'policies:name:asc', [names[i], id]],
        );
      });
      for (const [url, l, k] of crafted) {
        const res = await owner(`${url}&_pagedResultsCookie=${cookieOf({ l, k })}`);
        assert.equal(res.status, 200, `${l} ${JSON.stringify(k)}: ${res.body}`);
        for (const item of res.json.result) assert.ok(!bobIds.includes(item._id), `bob's ${item._id} revealed by ${l}`);
        for (const name of names) assert.ok(!res.body.includes(`"${name}"`), `bob's ${name} revealed by ${l}`);
      }
    });

    it('filter values the database cannot hold are refused or match nothing, never a 500', async () => {
      const filters = [
        'resourceServer eq "a\u0000b"',
        'name eq "x\u0000"',
        'type eq "\u0000"',
        `name eq "${'n'.repeat(8_000)}"`,
      ];
      for (const f of filters) {
        const res = await owner(`${BASE}/alice/oauth2/resources/sets?${new URLSearchParams({ _queryFilter: f })}`);
        if (res.status !== 200) assertCrest(res, 400);
        else assert.equal(res.json.resultCount, 0, res.body);
      }
      for (const search of ['a\u0000b', '\u0000', '%_\\']) {
        const res = await owner(`${BASE}/alice/oauth2/resources/sets?${new URLSearchParams({ _queryFilter: 'true', search })}`);
        if (res.status !== 200) assertCrest(res, 400);
        else assert.equal(res.json.resultCount, 0, res.body);
      }
      for (const f of ['resourceServer eq "a\u0000"', 'permissions/subject eq "b\u0000ob"']) {
        const res = await owner(`${BASE}/alice/uma/policies?${new URLSearchParams({ _queryFilter: f })}`);
        if (res.status !== 200) assertCrest(res, 400);
        else assert.equal(res.json.resultCount, 0, res.body);
      }
      for (const f of ['_id eq "a\u0000"', 'resourceId eq "\u0000"', 'requester eq "x\u0000"', 'clientId eq "\u0000"', 'user eq "alice\u0000"']) {
        const res = await owner(`${BASE}/alice/uma/pendingrequests?${new URLSearchParams({ _queryFilter: f })}`);
        if (res.status !== 200) assertCrest(res, 400);
        else assert.equal(res.json.resultCount, 0, res.body);
      }
      for (const f of ['resourceSetId eq "a\u0000"', 'clientId eq "\u0000"', 'requestId eq "\u0000"', 'requestingPartyId eq "x\u0000"']) {
        const res = await owner(`${BASE}/alice/uma/auditHistory?${new URLSearchParams({ _queryFilter: f })}`);
        if (res.status !== 200) assertCrest(res, 400);
        else assert.equal(res.json.resultCount, 0, res.body);
      }
    });

    describe('Keycloak first/max', () => {
      const bad = ['first=-2', 'first=abc', 'first=1.5', 'first=99999999', 'first=1000001', 'max=-1', 'max=-2', 'max=1001', 'max=abc', 'max=99999999999', 'first=&max=x'];
      for (const q of bad) {
        it(`resource_set ?${q}: 400 invalid_request`, async () => {
          const res = await get(`/realms/demo/authz/protection/resource_set?${q}`, { authorization: `Bearer ${pat}` });
          assert.equal(res.status, 400, res.body);
          assert.equal(res.json.error, 'invalid_request', res.body);
          assertNoLeak(res);
        });
      }
      for (const list of ['permission/ticket', 'uma-policy']) {
        for (const q of ['first=-2', 'first=abc', 'first=1000001', 'max=0', 'max=-1', 'max=1001', 'max=abc']) {
          it(`${list} ?${q}: 400 invalid_request`, async () => {
            const token = (await passwordTokens(s, 'alice', 'openid sharing', DEMO.rs)).access_token;
            const res = await get(`/realms/demo/authz/protection/${list}?${q}`, { authorization: `Bearer ${token}` });
            assert.equal(res.status, 400, res.body);
            assert.equal(res.json.error, 'invalid_request', res.body);
            assertNoLeak(res);
          });
        }
        it(`${list} ?first=-1 starts at the beginning`, async () => {
          const token = (await passwordTokens(s, 'alice', 'openid sharing', DEMO.rs)).access_token;
          const from = await get(`/realms/demo/authz/protection/${list}?first=-1&max=10`, { authorization: `Bearer ${token}` });
          const plain = await get(`/realms/demo/authz/protection/${list}?max=10`, { authorization: `Bearer ${token}` });
          assert.equal(from.status, 200, from.body);
          assert.ok(Array.isArray(from.json) && from.json.length > 0, from.body);
          assert.deepEqual(from.json, plain.json);
        });
      }
      it('resource_set: first=-1 starts at the beginning; max=0 answers none', async () => {
        const all = await get('/realms/demo/authz/protection/resource_set', { authorization: `Bearer ${pat}` });
        assert.equal(all.status, 200, all.body);
        assert.equal(all.json.length, 3);
        const from = await get('/realms/demo/authz/protection/resource_set?first=-1&max=2', { authorization: `Bearer ${pat}` });
        assert.deepEqual(from.json, all.json.slice(0, 2));
        const none = await get('/realms/demo/authz/protection/resource_set?max=0', { authorization: `Bearer ${pat}` });
        assert.deepEqual(none.json, []);
      });
    });
  });
}
