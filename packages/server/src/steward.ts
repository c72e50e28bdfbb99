/**
 * @module steward
 * Wires configuration, the store, the crypto ports and the HTTP app together: `startSteward` for the
 * CLI and `createSteward` for tests (no socket needed; use `app.inject`).
 */
import type { FastifyInstance } from 'fastify';
import { openStore } from '@steward/store';
import type { Config } from './config/load.ts';
import { digest, passwords, random, systemClock } from './crypto/node-crypto.ts';
import { KeyRing } from './crypto/keys.ts';
import type { Deps } from './deps.ts';
import { buildApp } from './app.ts';
import { seedDemoIfEmpty } from './realms/demo.ts';
import type { Clock } from '@steward/core';

export interface Steward {
  app: FastifyInstance;
  deps: Deps;
  close(): Promise<void>;
}

export async function createSteward(config: Config, options: { clock?: Clock; logLevel?: string } = {}): Promise<Steward> {
  const store = await openStore(config.databaseUrl, { migrate: true });
  const clock = options.clock ?? systemClock;
  const issuer = (realm: string) => `${config.baseUrl}/realms/${realm}`;
  const keys = new KeyRing(store, clock, issuer);
  const deps: Deps = { config, store, clock, random, digest, passwords, signer: keys, keys, issuer };
  try {
    await seedDemoIfEmpty(deps);
    const app = await buildApp(deps, options.logLevel ? { logLevel: options.logLevel } : {});
    await app.ready();
    return {
      app,
      deps,
      async close() {
        await app.close();
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** Starts listening; resolves with the address once the server accepts connections. */
export async function startSteward(config: Config): Promise<Steward & { address: string }> {
  const steward = await createSteward(config);
  const address = await steward.app.listen({ port: config.port, host: config.host });
  return { ...steward, address };
}
