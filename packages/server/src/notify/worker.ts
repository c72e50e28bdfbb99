/**
 * @module notify/worker
 * The delivery loop: claims due deliveries from the outbox with a lease, sends each (webhook call or
 * e-mail), then marks it delivered, schedules a retry with exponential backoff and jitter, or
 * dead-letters it after `notifyMaxAttempts`. Delivery is at least once: a node that dies mid-send
 * leaves its claim to expire, and another node sends again. `stop()` claims nothing more and waits a
 * bounded time for the sends in flight.
 */
import type { ClaimedDelivery, OutboxChannel } from '@steward/core';
import type { FastifyBaseLogger } from 'fastify';
import type { Deps } from '../deps.ts';
import { createMailer, type Mailer } from './mailer.ts';
import { sendWebhook, type AttemptResult } from './webhook-sender.ts';

/** Shortest pause between two rounds a wake-up can cause: a burst of changes costs a few looks, not one each. */
const MIN_GAP_MS = 50;

export interface DeliveryWorker {
  /**
   * A change may have enqueued deliveries: look at the outbox soon (within `MIN_GAP_MS` of the last
   * round) instead of at the next poll. Cheap to call on every write.
   */
  wake(): void;
  /** Stops claiming; resolves when the sends in flight ended or after `timeoutMs` (they are aborted). */
  stop(timeoutMs?: number): Promise<void>;
}

/** Wait before attempt `attempts + 1`: base·2^(attempts−1), capped, with the upper half jittered. */
export function retryDelay(attempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

export function startDeliveryWorker(deps: Deps, log: FastifyBaseLogger): DeliveryWorker {
  const { config, store } = deps;
  const mailer: Mailer | null = createMailer(config);
  const channels: OutboxChannel[] = mailer ? ['webhook', 'mail'] : ['webhook'];
  const aborter = new AbortController();
  const userAgent = 'Steward-Webhooks/1';
  // Never behind the injected clock (tests move it forward), never behind real time.
  const nowMs = () => Math.max(Date.now(), deps.clock.now() * 1000);
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let wakeUp: (() => void) | null = null;
  let early: NodeJS.Timeout | null = null;
  let woken = false;
  let lastRoundEnd = 0;
  let failuresInARow = 0;

  const attempt = async (d: ClaimedDelivery): Promise<AttemptResult> => {
    if (d.channel === 'mail') return mailer ? mailer.send(d) : { ok: false, error: 'SMTP is not configured on this node' };
    const hook = await store.webhooks.get(d.realm, d.target);
    if (!hook) return { ok: false, error: 'webhook removed' };
    if (!hook.enabled) return { ok: false, error: 'webhook disabled' };
    return sendWebhook(hook, d, { timeoutMs: config.notifyTimeoutMs, now: nowMs(), signal: aborter.signal, userAgent });
  };

  const settle = async (d: ClaimedDelivery, result: AttemptResult): Promise<void> => {
    if (result.ok) {
      await store.outbox.markDelivered(d.id, d.claim);
      return;
    }
    const final = d.attempts >= config.notifyMaxAttempts || result.error === 'webhook removed' || result.error === 'webhook disabled';
    if (final) {
      await store.outbox.deadLetter(d.id, d.claim, result.error);
      log.warn({ delivery: d.id, event: d.eventType, channel: d.channel, attempts: d.attempts, error: result.error }, 'notification dead-lettered');
    } else {
      const next = nowMs() + retryDelay(d.attempts, config.notifyRetryBaseMs, config.notifyRetryMaxMs);
      await store.outbox.markFailed(d.id, d.claim, next, result.error);
      log.info({ delivery: d.id, event: d.eventType, channel: d.channel, attempts: d.attempts, error: result.error }, 'notification attempt failed; retrying');
    }
  };

  const deliverOne = async (d: ClaimedDelivery): Promise<void> => {
    let result: AttemptResult;
    try {
      result = await attempt(d);
    } catch (e) {
      result = { ok: false, error: (e as Error).message };
    }
    // A stop cut the attempt short: leave the claim to expire; another node (or the next start) retries.
    if (!result.ok && aborter.signal.aborted) return;
    await settle(d, result);
  };

  /** One round: true when it claimed a full batch (there may be more due). */
  const round = async (): Promise<boolean> => {
    const claimed = await store.outbox.claimDue(nowMs(), config.notifyBatch, config.notifyLeaseMs, channels);
    await Promise.all(claimed.map((d) => deliverOne(d).catch((e: unknown) => log.error({ err: e, delivery: d.id }, 'notification bookkeeping failed'))));
    return claimed.length === config.notifyBatch;
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wakeUp = resolve;
      timer = setTimeout(resolve, ms);
    }).finally(() => {
      if (timer) clearTimeout(timer);
      if (early) clearTimeout(early);
      timer = null;
      early = null;
      wakeUp = null;
    });

  const loop = (async () => {
    while (!stopping) {
      let more = false;
      woken = false;
      try {
        more = await round();
        failuresInARow = 0;
      } catch (e) {
        failuresInARow += 1;
        if (!stopping) log.error({ err: e }, 'notification worker cannot read the outbox; trying again');
      }
      lastRoundEnd = Date.now();
      if (stopping) break;
      // Woken during the round: the change may have committed after the round looked.
      const pause = failuresInARow > 0 ? Math.min(30_000, config.notifyPollMs * 2 ** Math.min(5, failuresInARow)) : woken ? Math.min(MIN_GAP_MS, config.notifyPollMs) : config.notifyPollMs;
      if (!more) await sleep(pause);
    }
  })();

  return {
    wake() {
      woken = true;
      if (!wakeUp || early || failuresInARow > 0) return;
      early = setTimeout(() => {
        early = null;
        wakeUp?.();
      }, Math.max(0, lastRoundEnd + MIN_GAP_MS - Date.now()));
    },
    async stop(timeoutMs = config.notifyTimeoutMs + 1000) {
      if (stopping) return loop;
      stopping = true;
      if (early) clearTimeout(early);
      wakeUp?.();
      let bound: NodeJS.Timeout | undefined;
      const expired = new Promise<'expired'>((resolve) => {
        bound = setTimeout(() => resolve('expired'), timeoutMs);
      });
      if ((await Promise.race([loop, expired])) === 'expired') {
        aborter.abort();
        await loop;
      }
      clearTimeout(bound);
      mailer?.close();
    },
  };
}
