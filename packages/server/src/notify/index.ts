/**
 * @module notify
 * Notifications on a Steward node: configuration checks, the configured webhooks, and the delivery
 * worker, stopped by the app's `onClose` (so `close()`/`drain()` flush it, bounded).
 */
import type { FastifyInstance } from 'fastify';
import { isStewardError, webhookFrom } from '@steward/core';
import { ConfigError, type Config } from '../config/load.ts';
import type { Deps } from '../deps.ts';
import { applyConfiguredWebhooks, parseConfiguredWebhooks } from './configured-webhooks.ts';
import { startDeliveryWorker, type DeliveryWorker } from './worker.ts';

export interface Notifications {
  /** Applies the configured webhooks and starts the worker (when `notify` is on). Call once the app is ready. */
  start(): Promise<void>;
  /** The running worker, if any. */
  worker(): DeliveryWorker | null;
}

/**
 * Checks the notification keys (STEWARD_WEBHOOKS parsed and each webhook valid, lease longer than the
 * timeout, retry bounds in order) without touching the database; throws `ConfigError` naming the key.
 */
export function checkNotificationConfig(config: Config): void {
  if (config.notifyLeaseMs <= config.notifyTimeoutMs) {
    throw new ConfigError('STEWARD_NOTIFY_LEASE_MS must exceed STEWARD_NOTIFY_TIMEOUT_MS (a delivery in flight must keep its claim)');
  }
  if (config.notifyRetryMaxMs < config.notifyRetryBaseMs) throw new ConfigError('STEWARD_NOTIFY_RETRY_MAX_MS must not be less than STEWARD_NOTIFY_RETRY_BASE_MS');
  const random = { uuid: () => 'unused', token: () => 'unused-generated-secret' };
  for (const [realm, hooks] of parseConfiguredWebhooks(config.webhooks)) {
    hooks.forEach((hook, i) => {
      try {
        webhookFrom({ random }, realm, hook, 0);
      } catch (e) {
        if (isStewardError(e)) throw new ConfigError(`STEWARD_WEBHOOKS: ${realm}[${i}]: ${e.description ?? e.code}`);
        throw e;
      }
    });
  }
}

/** Checks the configuration and registers the stop hook; call before `app.ready()`. */
export function prepareNotifications(app: FastifyInstance, deps: Deps): Notifications {
  const { config } = deps;
  checkNotificationConfig(config);
  const log = app.log.child({ module: 'notify' });
  let worker: DeliveryWorker | null = null;
  app.addHook('onClose', async () => {
    await worker?.stop();
  });
  // A write answered on this node may have enqueued deliveries (its transaction has committed by now).
  app.addHook('onResponse', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS') worker?.wake();
  });
  return {
    async start() {
      await applyConfiguredWebhooks(deps, log);
      if (config.notify) worker = startDeliveryWorker(deps, log);
    },
    worker: () => worker,
  };
}
