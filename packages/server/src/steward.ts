/**
 * @module steward
 * Wires configuration, the store, the crypto ports and the HTTP app together: `startSteward` for the
 * CLI and `createSteward` for tests (no socket needed; use `app.inject`).
 */
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { openStore } from '@steward/store';
import { ConfigError, type Config } from './config/load.ts';
import { digest, passwords, random, systemClock } from './crypto/node-crypto.ts';
import { joseKeyGenerator, KeyRing } from './crypto/keys.ts';
import type { Deps } from './deps.ts';
import { buildApp } from './app.ts';
import { startPeriodicPurge } from './periodic-purge.ts';
import { seedDemoIfEmpty } from './realms/demo.ts';
import { ensureAccountConsoleClients } from './realms/account-console-client.ts';
import { checkNotificationConfig, prepareNotifications, type Notifications } from './notify/index.ts';
import type { Clock } from '@steward/core';

export interface Steward {
  app: FastifyInstance;
  deps: Deps;
  /** `drain` with the configured `shutdownTimeout`. */
  close(): Promise<void>;
  /**
   * Graceful stop: stops accepting connections, lets requests in flight finish for at most `timeoutMs`
   * (then closes their connections), runs the app's `onClose` hooks (background work flushes there),
   * and closes the database pool. Idempotent: later calls wait for the first.
   */
  drain(timeoutMs: number): Promise<void>;
  /** The notification worker of this node (webhooks and e-mails from the outbox). */
  notifications: Notifications;
}

/** Thrown when the database is not at this version's schema and `migrateOnStart` is off. */
export class PendingMigrationsError extends Error {
  override name = 'PendingMigrationsError';
}

function tlsOptions(config: Config): { cert: Buffer; key: Buffer } | undefined {
  if (config.tlsCert === null || config.tlsKey === null) return undefined;
  const read = (path: string, env: string) => {
    try {
      return readFileSync(path);
    } catch (e) {
      throw new ConfigError(`environment variable ${env}: cannot read ${path}: ${(e as Error).message}`);
    }
  };
  return { cert: read(config.tlsCert, 'STEWARD_TLS_CERT'), key: read(config.tlsKey, 'STEWARD_TLS_KEY') };
}

export async function createSteward(config: Config, options: { clock?: Clock; logLevel?: string } = {}): Promise<Steward> {
  checkNotificationConfig(config);
  const https = tlsOptions(config);
  const store = await openStore(config.databaseUrl, { migrate: config.migrateOnStart });
  const clock = options.clock ?? systemClock;
  const issuer = (realm: string) => `${config.baseUrl}/realms/${realm}`;
  const keys = new KeyRing(store, clock, issuer);
  const lockout = { threshold: config.lockoutThreshold, userThreshold: config.lockoutUserThreshold, seconds: config.lockoutSeconds, maxSeconds: config.lockoutMaxSeconds, resetSeconds: config.lockoutResetSeconds };
  const deps: Deps = { config, store, operations: store.operations, clock, random, digest, passwords, signer: keys, keyGenerator: joseKeyGenerator(random), keys, issuer, lockout };
  try {
    const pending = config.migrateOnStart ? [] : await store.operations.pendingMigrations();
    if (pending.length > 0) {
      throw new PendingMigrationsError(
        `the database has ${pending.length} pending migration(s) (${pending.join(', ')}); run \`steward migrate up\` first, or set STEWARD_MIGRATE_ON_START=1`,
      );
    }
    await seedDemoIfEmpty(deps);
    await ensureAccountConsoleClients(deps);
    const app = await buildApp(deps, { ...(options.logLevel ? { logLevel: options.logLevel } : {}), ...(https ? { https } : {}) });
    // A revocation must survive a power loss; PostgreSQL promises that only with synchronous_commit on.
    const durability = await store.operations.durability();
    if (durability.synchronousCommit === 'off') {
      app.log.warn({ synchronousCommit: 'off' }, 'PostgreSQL synchronous_commit is off: a power loss of the database server may undo recent revocations and other writes that remove access');
    }
    const stopping = { value: false };
    // While draining, answers close their connection, so keep-alive clients move to other nodes.
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (stopping.value) reply.header('connection', 'close');
      done(null, payload);
    });
    const notifications = prepareNotifications(app, deps);
    await app.ready();
    try {
      await notifications.start();
    } catch (e) {
      await app.close();
      throw e;
    }
    let draining: Promise<void> | null = null;
    const drain = (timeoutMs: number): Promise<void> =>
      (draining ??= (async () => {
        stopping.value = true;
        const closed = app.close();
        // Keep-alive connections are closed as soon as their request in flight has been answered.
        const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
        let timer: NodeJS.Timeout | undefined;
        const inTime = await Promise.race([closed.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)))]);
        clearTimeout(timer);
        clearInterval(sweep);
        if (!inTime) {
          app.log.warn({ timeoutMs }, 'requests still in flight at the shutdown timeout; closing their connections');
          app.server.closeAllConnections();
          await closed;
        }
        await store.close();
      })());
    return { app, deps, drain, notifications, close: () => drain(config.shutdownTimeout * 1000) };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/**
 * Starts listening; resolves with the address once the server accepts connections. The periodic purge
 * runs until the Steward drains.
 */
export async function startSteward(config: Config): Promise<Steward & { address: string }> {
  const steward = await createSteward(config);
  let address: string;
  try {
    address = await steward.app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await steward.drain(0);
    throw e;
  }
  const purge = startPeriodicPurge(steward.deps, steward.app.log);
  const drain = async (timeoutMs: number) => {
    await purge.stop();
    await steward.drain(timeoutMs);
  };
  return { ...steward, address, drain, close: () => drain(config.shutdownTimeout * 1000) };
}
