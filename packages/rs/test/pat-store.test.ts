/**
 * Owners' PATs kept by the app (`createPatStore`) against a real Steward on both stores: a saved PAT is
 * used as it is; an expired one is refreshed with the refresh token (RFC 6749 §6) and the result saved;
 * concurrent callers share one refresh (Steward rotates refresh tokens, so a second request with the
 * old one would be a replay that ends the grant); a PAT the AS refuses is replaced through the
 * enforcer's `pat` option; a revoked refresh token, a missing owner and a wrong client secret are
 * refused with their codes; a failing AS is `unreachable`, and the saved tokens stay as they were.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../store/test/databases.ts';
import { basic, DEMO, postForm } from '../../../test/helpers/http.ts';
import { startTestSteward, type TestSteward } from '../../../test/helpers/steward.ts';
import { createPatStore, createUmaEnforcer, registerResource, UmaEnforcerError, type UmaOwnerTokens, type UmaPatStoreOptions } from '../src/index.ts';

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A fetch that counts the refresh requests it passes on (and can answer them itself). */
function countingFetch(answer?: () => Response): { fetch: typeof fetch; refreshes: () => number } {
  let refreshes = 0;
  const wrapped = (async (input: string | URL | Request, init?: RequestInit) => {
    if (typeof init?.body === 'string' && init.body.includes('grant_type=refresh_token')) {
      refreshes++;
      if (answer) return answer();
    }
    return fetch(input, init);
  }) as typeof fetch;
  return { fetch: wrapped, refreshes: () => refreshes };
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<UmaEnforcerError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof UmaEnforcerError, String(e));
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`resolved; expected ${code}`);
}

for (const dialect of dialects) {
  describe(`createPatStore against Steward (${dialect})`, () => {
    let s: TestSteward;
    const saved = new Map<string, UmaOwnerTokens>();
    const saves: string[] = [];

    before(async () => {
      s = await startTestSteward(dialect, { listen: true });
    });
    after(async () => s?.close());

    /** Alice's tokens at photoz-rs (PAT and refresh token), as a token endpoint answers them. */
    async function aliceTokens(): Promise<Record<string, unknown>> {
      const res = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.equal(res.status, 200, res.body);
      assert.equal(typeof res.json.refresh_token, 'string');
      return res.json;
    }

    function store(options: Partial<UmaPatStoreOptions> = {}) {
      return createPatStore({
        issuer: s.issuer,
        clientId: DEMO.rs.id,
        clientSecret: DEMO.rs.secret,
        load: (owner) => saved.get(owner),
        save: (owner, tokens) => {
          saves.push(owner);
          saved.set(owner, tokens);
        },
        timeoutMs: 2000,
        ...options,
      });
    }

    /** Alice's saved tokens, their PAT marked expired. */
    async function expiredAlice(pats = store()): Promise<UmaOwnerTokens> {
      const tokens = await pats.saveTokenResponse('alice', await aliceTokens());
      saved.set('alice', { ...tokens, expiresAt: nowSeconds() - 1 });
      return saved.get('alice')!;
    }

    it('saves a token answer and gives the saved PAT while it is current', async () => {
      const answer = await aliceTokens();
      const { fetch: counted, refreshes } = countingFetch();
      const pats = store({ fetch: counted });
      const tokens = await pats.saveTokenResponse('alice', answer);
      assert.equal(tokens.accessToken, answer.access_token);
      assert.equal(tokens.refreshToken, answer.refresh_token);
      assert.ok(Math.abs(tokens.expiresAt! - (nowSeconds() + (answer.expires_in as number))) <= 1);
      assert.equal(await pats.pat('alice'), answer.access_token);
      assert.equal(refreshes(), 0);
    });

    it('refreshes an expired PAT, saves the new tokens (rotated refresh token) and the new PAT works', async () => {
      const old = await expiredAlice();
      const { fetch: counted, refreshes } = countingFetch();
      const pat = await store({ fetch: counted }).pat('alice');
      assert.equal(refreshes(), 1);
      assert.notEqual(pat, old.accessToken);
      assert.equal(saved.get('alice')!.accessToken, pat);
      assert.notEqual(saved.get('alice')!.refreshToken, old.refreshToken, 'Steward rotates refresh tokens');
      assert.ok(saved.get('alice')!.expiresAt! > nowSeconds());
      const registered = await registerResource({ issuer: s.issuer, pat, description: { name: 'After refresh', resource_scopes: ['read'] } });
      assert.equal(typeof registered.id, 'string');
    });

    it('shares one refresh among concurrent callers; every caller gets the same fresh PAT', async () => {
      await expiredAlice();
      const { fetch: counted, refreshes } = countingFetch();
      const pats = store({ fetch: counted });
      const before = saves.length;
      const got = await Promise.all(Array.from({ length: 8 }, () => pats.pat('alice')));
      assert.equal(refreshes(), 1);
      assert.equal(new Set(got).size, 1);
      assert.equal(got[0], saved.get('alice')!.accessToken);
      assert.equal(saves.length - before, 1, 'saved once');
      // The grant is intact: one more refresh with the saved (rotated) refresh token works.
      saved.set('alice', { ...saved.get('alice')!, expiresAt: nowSeconds() - 1 });
      assert.notEqual(await pats.pat('alice'), got[0]);
      assert.equal(refreshes(), 2);
    });

    it('replaces a PAT the AS refused, through the enforcer\'s pat option', async () => {
      const pats = store();
      const tokens = await pats.saveTokenResponse('alice', await aliceTokens());
      const album = await registerResource({ issuer: s.issuer, pat: tokens.accessToken, description: { name: 'Album', resource_scopes: ['view'] } });
      const revoked = await postForm(s.app, DEMO.revoke, { token: tokens.accessToken }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.equal(revoked.status, 200, revoked.body);
      const enforcer = createUmaEnforcer({ issuer: s.issuer, pat: ({ refused }) => pats.pat('alice', refused ? { refused } : {}), timeoutMs: 2000, onError: () => {} });
      const result = await enforcer.check({ resourceId: album.id, scopes: ['view'] });
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.status, 401, JSON.stringify(result));
      assert.ok(!result.ok && result.body.ticket);
      assert.notEqual(saved.get('alice')!.accessToken, tokens.accessToken);
    });

    it('refuses with pat_unavailable: an owner who never connected, an expired PAT without refresh token', async () => {
      await rejectsWith(store().pat('carol'), 'pat_unavailable');
      saved.set('dave', { accessToken: 'x', expiresAt: nowSeconds() - 1 });
      await rejectsWith(store().pat('dave'), 'pat_unavailable');
      // Through the enforcer the request gets a 403 with that code, not a 500.
      const enforcer = createUmaEnforcer({ issuer: s.issuer, pat: () => store().pat('carol'), onError: () => {} });
      const result = await enforcer.check({ resourceId: 'some-resource', scopes: ['view'] });
      assert.deepEqual(!result.ok && [result.status, result.body.code], [403, 'pat_unavailable']);
    });

    it('refuses a revoked refresh token (pat_refresh_refused) and keeps the saved tokens', async () => {
      const old = await expiredAlice();
      const revoked = await postForm(s.app, DEMO.revoke, { token: old.refreshToken!, token_type_hint: 'refresh_token' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.equal(revoked.status, 200, revoked.body);
      const e = await rejectsWith(store().pat('alice'), 'pat_refresh_refused');
      assert.match(e.message, /invalid_grant/);
      assert.deepEqual(saved.get('alice'), old);
    });

    it('a failed refresh is shared too: every concurrent caller gets the error, and the next call tries again', async () => {
      await expiredAlice();
      const { fetch: failing, refreshes } = countingFetch(() => Response.json({ error: 'temporarily_unavailable' }, { status: 503 }));
      const pats = store({ fetch: failing });
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => pats.pat('alice')));
      assert.equal(refreshes(), 1);
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        assert.equal((r as PromiseRejectedResult).reason.code, 'as_server_error');
      }
      await rejectsWith(pats.pat('alice'), 'as_server_error');
      assert.equal(refreshes(), 2);
      assert.notEqual(await store().pat('alice'), undefined, 'the refresh token is still good');
    });

    it('a wrong client secret is invalid_client; an answer without access_token is as_bad_response', async () => {
      await expiredAlice();
      await rejectsWith(store({ clientSecret: 'wrong' }).pat('alice'), 'invalid_client');
      const { fetch: empty } = countingFetch(() => Response.json({ token_type: 'Bearer' }));
      await rejectsWith(store({ fetch: empty }).pat('alice'), 'as_bad_response');
    });

    it('throws a TypeError for programming errors', async () => {
      assert.throws(() => createPatStore({ issuer: 'nope', clientId: 'x', load: () => undefined, save: () => {} }), TypeError);
      assert.throws(() => createPatStore({ issuer: s.issuer, clientId: '', load: () => undefined, save: () => {} }), TypeError);
      await assert.rejects(store().pat(''), TypeError);
      await assert.rejects(store().saveTokenResponse('alice', { error: 'invalid_grant' }), TypeError);
    });
  });
}
