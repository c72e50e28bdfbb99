/**
 * @module test/suite/concurrency
 * Races: exactly one of many simultaneous consumers wins, within one Store and, when the dialect's
 * factory can open a second independent Store on the same database, across two of them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { isStewardError } from '@steward/core';
import type { Store } from '@steward/core';
import { accessRequest, policy, T, ticket, token, user } from './fixtures.ts';
import type { StoreHandle } from './fixtures.ts';
import { accessRequestsOf } from '../helpers/lists.ts';

const RACERS = 50;

/** Runs a test body with the stores to race on (or skips it). */
type Runner = (t: TestContext, body: (stores: Store[]) => Promise<void>) => Promise<void>;

/** Runs `n` calls at once, alternating between the stores. */
function race<R>(stores: Store[], n: number, call: (store: Store, i: number) => Promise<R>): Promise<R[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => call(stores[i % stores.length]!, i)));
}

function winners<R>(results: Array<R | null>): R[] {
  return results.filter((r): r is R => r !== null);
}

function raceTests(run: Runner): void {
  it(`${RACERS} simultaneous tickets.consume of one ticket: exactly one receives it`, (t) =>
    run(t, async (stores) => {
      const tk = ticket('r1');
      await stores[0]!.tickets.insert(tk);
      const got = winners(await race(stores, RACERS, (s) => s.tickets.consume('r1', tk.hash, T)));
      assert.equal(got.length, 1);
      assert.deepEqual(got[0], tk);
    }));

  it(`${RACERS} simultaneous tokens.consume of one code: exactly one receives it`, (t) =>
    run(t, async (stores) => {
      const code = token('r1', { kind: 'code' });
      await stores[0]!.tokens.insert(code);
      const got = winners(await race(stores, RACERS, (s) => s.tokens.consume('r1', code.id, 'code', T)));
      assert.equal(got.length, 1);
      assert.deepEqual(got[0], code);
    }));

  it('simultaneous consumes of ten tickets: each is received exactly once', (t) =>
    run(t, async (stores) => {
      const tickets = Array.from({ length: 10 }, () => ticket('r1'));
      for (const tk of tickets) await stores[0]!.tickets.insert(tk);
      const got = winners(await race(stores, RACERS * 2, (s, i) => s.tickets.consume('r1', tickets[i % 10]!.hash, T)));
      assert.deepEqual(got.map((tk) => tk.hash).sort(), tickets.map((tk) => tk.hash).sort());
    }));

  it('simultaneous policy updates from one revision: exactly one updated, the rest stale', (t) =>
    run(t, async (stores) => {
      const p = policy('r1', 'alice', 'res-1');
      await stores[0]!.policies.create(p);
      const outcomes = await race(stores, 20, (s, i) => s.policies.update({ ...p, rev: `rev-${i}`, permissions: [] }, p.rev));
      assert.equal(outcomes.filter((o) => o === 'updated').length, 1);
      assert.equal(outcomes.filter((o) => o === 'stale').length, 19);
    }));

  it('simultaneous creates of one username: exactly one succeeds, the others get conflict', (t) =>
    run(t, async (stores) => {
      const outcomes = await race(stores, 20, (s) =>
        s.users.create(user('r1', { username: 'taken' })).then(
          () => 'created',
          (e: unknown) => (isStewardError(e) ? e.code : String(e)),
        ),
      );
      assert.equal(outcomes.filter((o) => o === 'created').length, 1);
      assert.equal(outcomes.filter((o) => o === 'conflict').length, 19);
    }));

  it('simultaneous upsertPending of one key: one pending request with every scope', (t) =>
    run(t, async (stores) => {
      const results = await race(stores, 20, (s, i) => s.accessRequests.upsertPending(accessRequest('r1', { scopes: [`s${i}`] })));
      const stored = await accessRequestsOf(stores[0]!, 'r1', 'alice-id');
      assert.equal(stored.length, 1);
      assert.equal(stored[0]!.scopes.length, 20);
      assert.ok(results.every((r) => r.id === stored[0]!.id));
    }));
}

export function concurrencyTests(handle: () => StoreHandle): void {
  describe('concurrency, one store', () => {
    raceTests((_t, body) => body([handle().store]));
  });

  describe('concurrency, two independent stores on one database', () => {
    raceTests(async (t, body) => {
      const h = handle();
      if (!h.openAnother) {
        t.skip('this factory cannot open a second store on the same database');
        return;
      }
      const second = await h.openAnother();
      try {
        await body([h.store, second]);
      } finally {
        await second.close();
      }
    });
  });
}
