/**
 * The periodic purge of `serve` on both stores: one run deletes expired tickets, stale rate-limit
 * counters and old sign-in failures and keeps live ones; a run while the database is gone is logged
 * and does not throw; stop() waits for a run in progress.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { startPeriodicPurge } from '../../packages/server/src/periodic-purge.ts';
import { startConfigured, type ConfiguredSteward } from './fixture.ts';

function recordingLog() {
  const lines: Array<{ level: string; msg: string }> = [];
  const log: any = {};
  for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace']) log[level] = (_obj: unknown, msg: string) => lines.push({ level, msg });
  log.child = () => log;
  return { log, lines };
}

for (const dialect of dialects) {
  describe(`periodic purge (${dialect})`, () => {
    let steward: ConfiguredSteward;

    before(async () => {
      steward = await startConfigured(dialect, { purgeInterval: 0 });
    });
    after(() => steward?.close());

    it('deletes what expired and keeps what lives', async () => {
      const { store, clock } = steward.deps;
      const now = clock.now();
      const ticket = (hash: string, expiresAt: number) => ({ realm: 'demo', hash, owner: 'x', resourceServer: 'photoz-rs', permissions: [], claims: {}, createdAt: now - 7200, expiresAt });
      await store.tickets.insert(ticket('purge-expired', now - 3600));
      await store.tickets.insert(ticket('purge-live', now + 3600));
      await store.rateLimits.hit(['purge:old'], now - 7200, now - 7140);
      await store.rateLimits.hit(['purge:live'], now - (now % 60), now - (now % 60) + 60);
      await store.rateLimits.recordFailure('demo', 'purge-old-name', now - 7200, 0);
      await store.rateLimits.recordFailure('demo', 'purge-new-name', now, 0);
      const { log, lines } = recordingLog();
      const purge = startPeriodicPurge(steward.deps, log);
      await purge.runOnce();
      await purge.stop();
      assert.deepEqual(lines.filter((l) => l.level === 'warn'), []);
      assert.equal(await store.tickets.consume('demo', 'purge-expired', now - 7200), null, 'the expired ticket is gone');
      assert.ok(await store.tickets.consume('demo', 'purge-live', now), 'the live ticket stays');
      assert.deepEqual(await store.rateLimits.hit(['purge:old'], now - 7200, now - 7140), [1], 'the old counter was purged');
      assert.deepEqual(await store.rateLimits.hit(['purge:live'], now - (now % 60), now - (now % 60) + 60), [2], 'the live counter stays');
      assert.equal(await store.rateLimits.failures('demo', 'purge-old-name'), null);
      assert.equal((await store.rateLimits.failures('demo', 'purge-new-name'))?.failures, 1);
    });
  });
}

describe('periodic purge without a database', () => {
  it('logs the failure and does not throw', async () => {
    const steward = await startConfigured(dialects[0]!, { purgeInterval: 0 });
    const deps = steward.deps;
    await steward.close();
    const { log, lines } = recordingLog();
    const purge = startPeriodicPurge(deps, log);
    await purge.runOnce();
    await purge.stop();
    assert.deepEqual(lines.map((l) => l.msg), ['periodic purge failed; retrying at the next run']);
  });
});
