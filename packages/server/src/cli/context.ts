/**
 * @module cli/context
 * Opens what a command works on: the configuration (from the environment, like `serve`), the store at
 * `STEWARD_DATABASE_URL`, and the same ports the server uses, so commands call the same core services.
 */
import { migrationStatus, openStore, type OpenedStore } from '@steward/store';
import { fail } from '@steward/core';
import { loadConfig, type Config } from '../config/load.ts';
import { joseKeyGenerator, KeyRing } from '../crypto/keys.ts';
import { digest, passwords, random, systemClock } from '../crypto/node-crypto.ts';
import type { Deps } from '../deps.ts';
import { CommandError, type CliIo } from './io.ts';

/** The configuration from the command's environment; a ConfigError (exit 2) names the bad key. */
export function cliConfig(io: CliIo): Config {
  return loadConfig(io.env, { logLevel: 'silent' });
}

/**
 * Opens the configured store. Pending migrations are applied when `STEWARD_MIGRATE_ON_START` is on (the
 * default), as `serve` does; otherwise the command is refused until `steward migrate up` has run.
 */
export async function openConfiguredStore(config: Config): Promise<OpenedStore> {
  if (!config.migrateOnStart) {
    const pending = (await migrationStatus(config.databaseUrl)).filter((m) => !m.applied);
    if (pending.length > 0) {
      throw new CommandError(`the database has ${pending.length} pending migration(s) (${pending.map((m) => m.name).join(', ')}); run \`steward migrate up\` first`);
    }
  }
  return openStore(config.databaseUrl, { migrate: config.migrateOnStart, poolSize: 2 });
}

/** The ports of the server over `store` (system clock, real randomness, argon2id, the key ring). */
export function depsFor(config: Config, store: OpenedStore): Deps {
  const issuer = (realm: string) => `${config.baseUrl}/realms/${realm}`;
  const keys = new KeyRing(store, systemClock, issuer);
  return { config, store, operations: store.operations, clock: systemClock, random, digest, passwords, signer: keys, keyGenerator: joseKeyGenerator(random), keys, issuer };
}

/** Runs `fn` with the configured deps and closes the store afterwards, whatever happens. */
export async function withDeps<T>(io: CliIo, fn: (deps: Deps) => Promise<T>): Promise<T> {
  const config = cliConfig(io);
  const store = await openConfiguredStore(config);
  try {
    return await fn(depsFor(config, store));
  } finally {
    await store.close();
  }
}

/** The id of the realm's user with this exact username; `not_found` naming it otherwise. */
export async function userIdOf(deps: Deps, realm: string, username: string): Promise<string> {
  const user = await deps.store.users.findByUsername(realm, username);
  if (!user) throw fail('not_found', `User ${username.slice(0, 100)} not found`);
  return user.id;
}
