/**
 * A public client identified at the UMA grant by its user's bearer token (docs/keycloak.md): the token,
 * its client and its user are read once per request, when the client is authenticated, and the grant
 * reuses that requesting party, in both forms of the grant. Reads are counted at the store.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { issuePasswordTokens } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { bearer, DEMO, postForm } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { payload, rptPermissions, UMA, UmaWorld } from './fixture.ts';

const SPA = 'photoz-spa';

/** Counts calls of `method` on `target` whose arguments `match`, until `restore`. */
function countCalls<T extends object>(target: T, method: keyof T & string, match: (args: unknown[]) => boolean): { count: () => number; restore: () => void } {
  const original = target[method] as (...args: unknown[]) => unknown;
  let calls = 0;
  (target as Record<string, unknown>)[method] = function (this: unknown, ...args: unknown[]) {
    if (match(args)) calls++;
    return original.apply(this, args);
  };
  return { count: () => calls, restore: () => void ((target as Record<string, unknown>)[method] = original) };
}

for (const dialect of dialects) {
  describe(`a public client's UMA grant reads its bearer token once (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    let token: string;
    let bob: string;

    before(async () => {
      s = await startTestSteward(dialect);
      w = new UmaWorld(s);
      const realm = (await s.deps.store.realms.get('demo'))!;
      const client = (await s.deps.store.clients.get('demo', SPA))!;
      token = (await issuePasswordTokens(s.deps, { realm, client, username: 'bob', password: DEMO.password, scope: 'openid', address: '127.0.0.1' })).accessToken;
      bob = await w.userId('bob');
    });
    after(async () => s?.close());

    /** Runs `send`, counting the reads of the bearer token's record, of photoz-spa and of Bob. */
    async function reads<R>(send: () => Promise<R>): Promise<{ result: R; tokens: number; clients: number; users: number }> {
      const jti = payload(token).jti as string;
      const counters = [
        countCalls(s.deps.store.tokens, 'get', ([, id]) => id === jti),
        countCalls(s.deps.store.clients, 'get', ([, id]) => id === SPA),
        countCalls(s.deps.store.users, 'get', ([, id]) => id === bob),
      ];
      try {
        const result = await send();
        const [tokens, clients, users] = counters.map((c) => c.count()) as [number, number, number];
        return { result, tokens, clients, users };
      } finally {
        for (const c of counters) c.restore();
      }
    }

    it('the ticketed grant: one read each of the token, the client and the user; Bob is the party', async () => {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const ticket = await w.ticket('alice', [[r, ['view']]]);
      const { result: res, tokens, clients, users } = await reads(() => postForm(s.app, DEMO.token, { grant_type: UMA, ticket }, { authorization: bearer(token) }));
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(rptPermissions(res.json.access_token), [[r, ['view']]]);
      assert.equal(payload(res.json.access_token).sub, bob);
      assert.equal(payload(res.json.access_token).azp, SPA);
      assert.deepEqual({ tokens, clients, users }, { tokens: 1, clients: 1, users: 1 });
    });

    it('the ticketless grant: one read of the token; Bob is the party', async () => {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const { result: res, tokens, users } = await reads(() => postForm(s.app, DEMO.token, { grant_type: UMA, audience: DEMO.rs.id, permission: `${r}#view`, response_mode: 'decision' }, { authorization: bearer(token) }));
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json, { result: true });
      assert.equal(tokens, 1);
      assert.equal(users, 1);
    });

    it('the bearer token and a subject_token together are still refused', async () => {
      const res = await postForm(s.app, DEMO.token, { grant_type: UMA, audience: DEMO.rs.id, permission: 'x#view', subject_token: token }, { authorization: bearer(token) });
      assert.equal(res.status, 400, res.body);
      assert.equal(res.json.error, 'invalid_request');
    });
  });
}
