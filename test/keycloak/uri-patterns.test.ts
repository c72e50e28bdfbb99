/**
 * @module test/keycloak/uri-patterns
 * Registered `uris` patterns (`*`, `{name}`) matched against a looked-up URI, on both entry points:
 * the resource list (`uri` with `matchingUri=true`) and the ticketless grant
 * (`permission_resource_format=uri` with `permission_resource_matching_uri=true`). A pattern of many
 * `*` against a long URI answers at once (no backtracking), a `uri` filter over 2,048 characters is a
 * 400, and patterns too costly to match against a URI are a 400 rather than a busy server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertOAuth, patFor } from '../bad-input/fixture.ts';

const UMA = 'urn:ietf:params:oauth:grant-type:uma-ticket';
/** Nine `*` around eight literals: a backtracking matcher tries about C(|uri|, 9) splits before failing. */
const STARS = '/*a*a*a*a*a*a*a*a*c';
/** Long enough that a backtracking matcher spends tens of seconds on it (about 8 s at 48 characters). */
const LONG_A = `/${'a'.repeat(56)}`;
/** The same URI grown to the most the ticketless grant accepts in a `permission` (256 characters). */
const LONGEST_A = `/${'a'.repeat(255)}`;
/**
 * Generous for a lookup that takes milliseconds, far below what backtracking takes. A matcher that
 * blocks the event loop also blocks the test's timer, so the time is checked after the answer too.
 */
const QUICK = { timeout: 10_000 };
const QUICK_MS = 5_000;

async function quickly<T>(answer: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await answer();
  const ms = performance.now() - start;
  assert.ok(ms < QUICK_MS, `answered in ${Math.round(ms)} ms`);
  return result;
}

for (const dialect of dialects) {
  describe(`URI patterns of registered resources (${dialect})`, () => {
    let s: TestSteward;
    let pat: string;
    let stars: string;
    let segments: string;

    const list = (query: string, token = pat): Promise<Reply> => request(s.app, 'GET', `${DEMO.resourceSet}?${query}`, { headers: { authorization: bearer(token) } });
    const ids = async (query: string, token = pat): Promise<string[]> => {
      const res = await list(query, token);
      assert.equal(res.status, 200, res.body);
      return res.json;
    };
    const register = async (name: string, uris: string[], token = pat): Promise<string> => {
      const res = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer(token) }, body: { name, resource_scopes: ['view'], uris } });
      assert.equal(res.status, 201, res.body);
      return res.json._id;
    };
    const ticketless = (uri: string): Promise<Reply> =>
      postForm(s.app, DEMO.token, {
        grant_type: UMA,
        audience: DEMO.rs.id,
        subject_token: pat,
        permission: `${uri}#view`,
        response_mode: 'permissions',
        permission_resource_format: 'uri',
        permission_resource_matching_uri: 'true',
      }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });

    before(async () => {
      s = await startTestSteward(dialect);
      pat = await patFor(s, 'alice');
      stars = await register('Stars', [STARS]);
      segments = await register('Segments', ['/shelves/{shelf}/books/{id}.json']);
    });
    after(async () => s?.close());

    it('a pattern of many * against a long URI that does not match answers at once: none', QUICK, async () => {
      assert.deepEqual(await quickly(() => ids(`uri=${LONG_A}&matchingUri=true`)), []);
    });

    it('the same pattern against a long URI that matches answers at once: the resource', QUICK, async () => {
      assert.deepEqual(await quickly(() => ids(`uri=${LONG_A}c&matchingUri=true`)), [stars]);
      assert.deepEqual(await quickly(() => ids(`uri=${LONG_A.slice(0, -1)}xac&matchingUri=true`)), [stars]);
      assert.deepEqual(await quickly(() => ids(`uri=${LONG_A}ca&matchingUri=true`)), []);
    });

    it('the ticketless grant matches the same pattern against its longest URI at once', QUICK, async () => {
      const none = await quickly(() => ticketless(LONGEST_A));
      assertOAuth(none, 400, 'invalid_resource_id');
      const found = await quickly(() => ticketless(`${LONGEST_A.slice(0, -1)}c`));
      assert.equal(found.status, 200, found.body);
      assert.deepEqual(found.json, [{ rsid: stars, rsname: 'Stars', scopes: ['view'] }]);
    });

    it('{name} stands for one path segment, other characters for themselves', async () => {
      assert.deepEqual(await ids('uri=/shelves/top/books/42.json&matchingUri=true'), [segments]);
      assert.deepEqual(await ids('uri=/shelves/top/books/42xjson&matchingUri=true'), []);
      assert.deepEqual(await ids('uri=/shelves/top/left/books/42.json&matchingUri=true'), []);
      assert.deepEqual(await ids('uri=/shelves//books/42.json&matchingUri=true'), []);
      assert.deepEqual(await ids(`uri=${encodeURIComponent('/shelves/{shelf}/books/{id}.json')}`), [segments]);
    });

    it('a uri filter over 2,048 characters is a 400 invalid_request', async () => {
      assert.deepEqual(await ids(`uri=/${'b'.repeat(2047)}&matchingUri=true`), []);
      for (const matching of ['true', 'false']) {
        const res = await list(`uri=/${'b'.repeat(2048)}&matchingUri=${matching}`);
        assertOAuth(res, 400, 'invalid_request');
        assert.match(res.json.error_description, /uri.*2048/);
      }
    });

    it('patterns too costly to match against the URI are a 400 invalid_request, quickly', QUICK, async () => {
      // A long self-overlapping literal after a `*` keeps many positions alive at every character.
      // (Bob's, so that no other pattern is in the way; 30 of them: the 64 KiB body limit bounds one resource's uris.)
      const bob = await patFor(s, 'bob');
      const costly = await register('Costly', Array.from({ length: 30 }, (_, i) => `/*${'a'.repeat(2000)}${i}`), bob);
      const res = await quickly(() => list(`uri=/${'a'.repeat(2047)}&matchingUri=true`, bob));
      assertOAuth(res, 400, 'invalid_request');
      assert.ok(res.json.error_description.includes(costly), res.json.error_description);
      // A short URI stays within the budget, and so does any URI without matchingUri.
      assert.deepEqual(await ids(`uri=/${'a'.repeat(10)}&matchingUri=true`, bob), []);
      assert.deepEqual(await ids(`uri=/${'a'.repeat(2047)}`, bob), []);
      assert.deepEqual(await ids(`uri=/${'a'.repeat(20)}&matchingUri=true`, bob), []);
    });

    it('the budget is the whole lookup\'s: many resources each within it do not add up to a busy server', QUICK, async () => {
      // Each pattern costs about 400,000 steps against this URI, well within one lookup's budget; eight
      // resources of them together are not (a budget per resource would have let the lookup run on).
      const chris = await patFor(s, 'chris');
      for (let i = 0; i < 8; i++) await register(`Heavy ${i}`, [`/*${'a'.repeat(200)}${i}`], chris);
      const res = await quickly(() => list(`uri=/${'a'.repeat(2047)}&matchingUri=true`, chris));
      assertOAuth(res, 400, 'invalid_request');
      assert.match(res.json.error_description, /too costly/);
      assert.deepEqual(await ids(`uri=/${'a'.repeat(100)}&matchingUri=true`, chris), []);
    });
  });
}
