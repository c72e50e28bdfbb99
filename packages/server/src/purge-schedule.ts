/**
 * @module purge-schedule
 * The periodic purge `steward serve` runs: every `intervalSeconds`, one bounded round of
 * services/purge.ts (at most `maxBatches` batches of `batch` rows per kind), never two rounds at once,
 * on a timer that does not keep the process alive. Safe on every node at once. Failures (a database
 * restart) are reported to `onError` and the next round tries again.
 */
import { purgeExpired, type PurgeCounts } from '@steward/core';
import type { Deps } from './deps.ts';

export interface PurgeSchedule {
  /** Runs one round now (the timer's work); resolves with its counts, or null when a round was running. */
  runOnce(): Promise<PurgeCounts | null>;
  /** Stops the timer and waits for a running round. */
  stop(): Promise<void>;
}

export function schedulePurge(
  deps: Pick<Deps, 'store' | 'clock' | 'config'>,
  options: { intervalSeconds: number; maxBatches?: number; onError?: (error: unknown) => void; onPurged?: (counts: PurgeCounts) => void },
): PurgeSchedule {
  let running: Promise<PurgeCounts | null> | null = null;
  const runOnce = (): Promise<PurgeCounts | null> => {
    if (running) return Promise.resolve(null);
    running = purgeExpired(deps, { batch: deps.config.purgeBatch, maxBatches: options.maxBatches ?? 10 })
      .then((counts) => {
        options.onPurged?.(counts);
        return counts;
      })
      .catch((error: unknown) => {
        options.onError?.(error);
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void runOnce(), options.intervalSeconds * 1000);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
