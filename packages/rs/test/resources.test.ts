/**
 * Resource registration with the kit (UMA Fed Authz §3.2): `registerResource` and `deleteResource`
 * against a real Steward on both stores (the resource protected at once, gone after the delete, a
 * second delete `false`, a refused PAT replaced once through the `pat` function), and against scripted
 * answers for what a real one rarely does (no registration endpoint, 5xx, an answer without `_id`).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request } from '../../../test/helpers/http.ts';
import { startTestSteward, type TestSteward } from '../../../test/helpers/steward.ts';
import { deleteResource, registerResource, UmaEnforcerError } from '../src/index.ts';
import { alicePat } from './steward-world.ts';

async function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp): Promise<UmaEnforcerError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof UmaEnforcerError, String(e));
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`resolved; expected ${code}`);
}

for (const dialect of dialects) {
  describe(`registerResource and deleteResource against Steward (${dialect})`, () => {
    let s: TestSteward;
    let pat: string;

    before(async () => {
      s = await startTestSteward(dialect, { listen: true });
      pat = await alicePat(s);
    });
    after(async () => s?.close());

    const readAtSteward = (id: string) => request(s.app, 'GET', `${DEMO.resourceSet}/${encodeURIComponent(id)}`, { headers: { authorization: bearer(pat) } });

    it('registers a resource of the PAT\'s owner, then deletes it (a second delete is false)', async () => {
      const registered = await registerResource({ issuer: s.issuer, pat, description: { name: 'Shopping list', type: 'note', resource_scopes: ['read', 'edit'] } });
      assert.equal(typeof registered.id, 'string');
      const stored = await readAtSteward(registered.id);
      assert.equal(stored.status, 200, stored.body);
      assert.equal(stored.json.name, 'Shopping list');
      assert.deepEqual(stored.json.resource_scopes, ['read', 'edit']);
      assert.equal(await deleteResource({ issuer: s.issuer, pat, resourceId: registered.id }), true);
      assert.equal((await readAtSteward(registered.id)).status, 404);
      assert.equal(await deleteResource({ issuer: s.issuer, pat, resourceId: registered.id }), false);
    });

    it('asks the pat function once more with the refused PAT, and uses the fresh one', async () => {
      const stale = await alicePat(s);
      const revoked = await postForm(s.app, DEMO.revoke, { token: stale }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.equal(revoked.status, 200, revoked.body);
      const asked: Array<string | undefined> = [];
      const registered = await registerResource({ issuer: s.issuer, pat: ({ refused }) => (asked.push(refused), refused ? pat : stale), description: { name: 'Diary', resource_scopes: ['read'] } });
      assert.deepEqual(asked, [undefined, stale]);
      assert.equal((await readAtSteward(registered.id)).status, 200);
      assert.equal(await deleteResource({ issuer: s.issuer, pat: () => pat, resourceId: registered.id }), true);
    });

    it('refuses a refused PAT (pat_rejected), a bad description (registration_refused) and a PAT without uma_protection', async () => {
      const revokedPat = await alicePat(s);
      await postForm(s.app, DEMO.revoke, { token: revokedPat }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      await rejectsWith(registerResource({ issuer: s.issuer, pat: revokedPat, description: { resource_scopes: ['read'] } }), 'pat_rejected', /refused the PAT/);
      await rejectsWith(registerResource({ issuer: s.issuer, pat: () => revokedPat, description: { resource_scopes: ['read'] } }), 'pat_rejected', /and the fresh one too/);
      await rejectsWith(registerResource({ issuer: s.issuer, pat, description: { name: 'x'.repeat(100_000), resource_scopes: ['read'] } }), 'registration_refused', /HTTP 4\d\d/);
      const plain = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'profile' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.equal(plain.status, 200, plain.body);
      await rejectsWith(registerResource({ issuer: s.issuer, pat: plain.json.access_token, description: { resource_scopes: ['read'] } }), 'registration_refused', /HTTP 403 insufficient_scope/);
    });

    it('throws a TypeError for a programming error: no scopes, an empty resource id, a bad issuer', async () => {
      await assert.rejects(registerResource({ issuer: s.issuer, pat, description: { resource_scopes: [] } }), TypeError);
      await assert.rejects(registerResource({ issuer: s.issuer, pat, description: { resource_scopes: [''] } }), TypeError);
      await assert.rejects(deleteResource({ issuer: s.issuer, pat, resourceId: '' }), TypeError);
      await assert.rejects(deleteResource({ issuer: 'not a url', pat, resourceId: 'x' }), TypeError);
    });

    it('names the unreachable AS (as_unreachable)', async () => {
      await rejectsWith(registerResource({ issuer: 'http://127.0.0.1:9/realms/demo', pat, timeoutMs: 1000, description: { resource_scopes: ['read'] } }), 'as_unreachable');
    });
  });
}

describe('registerResource and deleteResource against scripted answers', () => {
  const issuer = 'http://as.test/realms/r';
  /** A fetch answering discovery with `doc` and the registration endpoint with `answer`. */
  function scripted(doc: Record<string, unknown>, answer: { status: number; body?: unknown }): typeof fetch {
    return (async (input: string | URL | Request) => {
      const url = String(input);
      if (url.endsWith('/.well-known/uma2-configuration')) return Response.json({ issuer, permission_endpoint: `${issuer}/permission`, ...doc });
      return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status });
    }) as typeof fetch;
  }
  const withEndpoint = { resource_registration_endpoint: `${issuer}/resource_set` };

  it('discovery without resource_registration_endpoint → discovery_invalid', async () => {
    await rejectsWith(registerResource({ issuer, pat: 'p', fetch: scripted({}, { status: 201 }), description: { resource_scopes: ['a'] } }), 'discovery_invalid', /resource_registration_endpoint/);
  });

  it('a 5xx → as_server_error; an answer without _id → as_bad_response; a 403 on delete → registration_refused', async () => {
    await rejectsWith(registerResource({ issuer, pat: 'p', fetch: scripted(withEndpoint, { status: 503 }), description: { resource_scopes: ['a'] } }), 'as_server_error');
    await rejectsWith(registerResource({ issuer, pat: 'p', fetch: scripted(withEndpoint, { status: 201, body: { id: 'x' } }), description: { resource_scopes: ['a'] } }), 'as_bad_response', /no _id/);
    await rejectsWith(deleteResource({ issuer, pat: 'p', fetch: scripted(withEndpoint, { status: 403, body: { error: 'insufficient_scope' } }), resourceId: 'r1' }), 'registration_refused', /HTTP 403 insufficient_scope/);
  });

  it('returns the user_access_policy_uri when given, and encodes the resource id in the URL', async () => {
    const urls: string[] = [];
    const base = scripted(withEndpoint, { status: 201, body: { _id: 'r/1', user_access_policy_uri: 'http://as.test/policy/r1' } });
    const recording = (async (input: string | URL | Request, init?: RequestInit) => (urls.push(`${init?.method ?? 'GET'} ${String(input)}`), base(input, init))) as typeof fetch;
    assert.deepEqual(await registerResource({ issuer, pat: 'p', fetch: recording, description: { resource_scopes: ['a'] } }), { id: 'r/1', userAccessPolicyUri: 'http://as.test/policy/r1' });
    const deleting = scripted(withEndpoint, { status: 204 });
    const seen: string[] = [];
    assert.equal(await deleteResource({ issuer, pat: 'p', resourceId: 'r/1', fetch: (async (input: string | URL | Request, init?: RequestInit) => (seen.push(String(input)), deleting(input, init))) as typeof fetch }), true);
    assert.ok(seen.includes(`${issuer}/resource_set/r%2F1`), seen.join(', '));
    assert.equal(urls.filter((u) => u.startsWith('GET')).length, 1, 'discovery fetched once for this fetch');
  });
});
