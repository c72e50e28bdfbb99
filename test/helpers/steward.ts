/**
 * @module test/helpers/steward
 * Boots a real Steward (real store: SQLite file or a fresh PostgreSQL database) for a test file, with
 * the demo realm seeded. Requests go through `app.inject` (no socket) unless `listen` is asked for.
 */
import { createServer } from 'node:net';
import type { Clock } from '@steward/core';
import { createSteward, loadConfig, type Steward } from '@steward/server';
import { freshDatabaseUrl } from '../../packages/store/test/databases.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface TestSteward extends Steward {
  dialect: Dialect;
  baseUrl: string;
  /** `{baseUrl}/realms/demo` */
  issuer: string;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A mutable clock for tests that move time. */
export class TestClock implements Clock {
  #now = Math.floor(Date.now() / 1000);
  now(): number {
    return this.#now;
  }
  advance(seconds: number): void {
    this.#now += seconds;
  }
}

export async function startTestSteward(
  dialect: Dialect,
  options: { listen?: boolean; clock?: Clock; demo?: boolean; databaseUrl?: string; /** `STEWARD_*` variables. */ env?: Record<string, string> } = {},
): Promise<TestSteward> {
  const db = options.databaseUrl ? { url: options.databaseUrl, drop: async () => {} } : await freshDatabaseUrl(dialect);
  const port = options.listen ? await freePort() : 8080;
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig(options.env ?? {}, { databaseUrl: db.url, port, baseUrl, demo: options.demo ?? true, logLevel: 'silent' });
  const steward = await createSteward(config, { logLevel: process.env.STEWARD_TEST_LOG ?? 'silent', ...(options.clock ? { clock: options.clock } : {}) });
  if (options.listen) await steward.app.listen({ port, host: '127.0.0.1' });
  return {
    ...steward,
    dialect,
    baseUrl,
    issuer: `${baseUrl}/realms/demo`,
    async close() {
      await steward.close();
      await db.drop();
    },
  };
}
