/**
 * @module test/uma-grant/wide-reshare-chain
 * A re-share graph with exponentially many chains (two accounts per layer, each re-sharing with both
 * of the next layer) costs the UMA grant work linear in its edges: Bob, 24 re-shares below Alice's
 * policy through 2^24 chains, gets his RPT at once, on both stores. The step counts themselves are
 * asserted on the pure evaluation (packages/core/test/resharing-graph.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { rptPermissions, UmaWorld } from './fixture.ts';

const LAYERS = 24;
/** Milliseconds for a grant that takes a few; walking every chain took minutes. */
const QUICK_MS = 5_000;

for (const dialect of dialects) {
  describe(`UMA grant through a two-wide re-share chain ${LAYERS} layers deep (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    let album: string;

    before(async () => {
      s = await startTestSteward(dialect);
      w = new UmaWorld(s);
      album = await w.resource('alice', ['view', 'edit']);
      const alice = await w.userId('alice');
      const now = s.deps.clock.now();
      const layer = (i: number) => [`layer${i}a`, `layer${i}b`];
      const ids = new Map<string, string>();
      for (const username of Array.from({ length: LAYERS }, (_, i) => layer(i)).flat()) {
        const id = s.deps.random.uuid();
        ids.set(username, id);
        await s.deps.store.users.create({ realm: 'demo', id, username, email: null, passwordHash: 'never used', admin: false, disabled: false, createdAt: now });
      }
      await w.share('alice', album, layer(0).map((subject) => ({ subject, scopes: ['view'] })));
      for (let i = 0; i < LAYERS; i++) {
        for (const sharer of layer(i)) {
          const permissions = (i + 1 < LAYERS ? layer(i + 1) : ['bob']).map((subject) => ({ subject, scopes: ['view'] }));
          assert.ok(await s.deps.store.policies.create({ realm: 'demo', id: album, owner: ids.get(sharer)!, resourceOwner: alice, rev: s.deps.random.uuid(), permissions, createdAt: now, updatedAt: now }));
        }
      }
    });
    after(async () => s?.close());

    it('Bob gets view at once, and no more than the chain passes on', { timeout: 60_000 }, async () => {
      const ticket = await w.ticket('alice', [[album, ['view', 'edit']]]);
      const start = performance.now();
      const res = await w.grantAs('bob', { ticket });
      const ms = performance.now() - start;
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(rptPermissions(res.json.access_token), [[album, ['view']]]);
      // A blocked event loop also blocks the test's timer: the time is checked after the answer.
      assert.ok(ms < QUICK_MS, `answered in ${Math.round(ms)} ms`);
    });

    it('Chris, named by no one in the chain, is denied at once', async () => {
      const start = performance.now();
      const res = await w.grantAs('chris', { ticket: await w.ticket('alice', [[album, ['view']]]) });
      assert.equal(res.status, 403, res.body);
      assert.ok(performance.now() - start < QUICK_MS);
    });
  });
}
