/**
 * @module periodic-purge
 * The housekeeping `steward serve` runs every `STEWARD_PURGE_INTERVAL` seconds: expired tickets,
 * tokens, sessions and retired keys (core services/purge), stale rate-limit counters and sign-in
 * failures, and outbox deliveries delivered or dead longer than `STEWARD_NOTIFY_RETENTION`; then the
 * query planner's statistics are refreshed (SQLite's `PRAGMA optimize`, bounded). Each run
 * is bounded (a few batches per kind) so it never holds the database for long, the
 * first run starts at a random point of the interval so nodes started together do not purge in step,
 * and a failure (the database away) is logged and retried at the next run. Safe on every node at once.
 */
import type { FastifyBaseLogger } from 'fastify';
import { purgeExpired } from '@steward/core';
import type { Deps } from './deps.ts';

/** Batches per kind in one run: at most this many short statements per kind, then the next run goes on. */
const MAX_BATCHES_PER_RUN = 10;

export interface PeriodicPurge {
  /** Runs one purge now (what the timer calls); resolves when it is done. Never throws. */
  runOnce(): Promise<void>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export function startPeriodicPurge(deps: Deps, log: FastifyBaseLogger): PeriodicPurge {
  const intervalMs = deps.config.purgeInterval * 1000;
  let running: Promise<void> | null = null;
  let stopped = false;
  const runOnce = (): Promise<void> =>
    (running ??= (async () => {
      try {
        const counts = await purgeExpired(deps, { batch: deps.config.purgeBatch, maxBatches: MAX_BATCHES_PER_RUN });
        const now = deps.clock.now();
        const limiter = await deps.store.rateLimits.purgeExpired(now, now - deps.config.lockoutResetSeconds);
        const retention = deps.config.notifyRetention;
        const outbox = retention > 0 ? await deps.store.outbox.purgeFinished(now - retention) : 0;
        // The planner's statistics follow the data (SQLite; a no-op elsewhere).
        await deps.operations.optimize();
        log.debug({ ...counts, rateLimits: limiter, outbox }, 'purged expired rows');
      } catch (err) {
        log.warn({ err }, 'periodic purge failed; retrying at the next run');
      } finally {
        running = null;
      }
    })());
  let timer: NodeJS.Timeout | undefined;
  const schedule = (delay: number) => {
    if (stopped || intervalMs === 0) return;
    timer = setTimeout(() => void runOnce().then(() => schedule(intervalMs)), delay);
    timer.unref();
  };
  schedule(Math.floor(Math.random() * intervalMs));
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
