/**
 * @module test/admin-api/fixture
 * A Steward with the admin API on: the admin token's SHA-256 configured, the demo realm seeded.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '@steward/core';
import { createSteward, loadConfig } from '@steward/server';
import { freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { bearer, request, type Reply } from '../helpers/http.ts';
import type { Dialect, TestSteward } from '../helpers/steward.ts';

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';
export const ADMIN = { authorization: bearer(ADMIN_TOKEN) };

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Starts Steward on a fresh database; `adminToken: null` leaves the admin API off. */
export async function startAdminSteward(dialect: Dialect, options: { adminToken?: string | null; clock?: Clock; keyActivationDelay?: number } = {}): Promise<TestSteward> {
  const db = await freshDatabaseUrl(dialect);
  const baseUrl = 'http://127.0.0.1:8080';
  const token = options.adminToken === undefined ? ADMIN_TOKEN : options.adminToken;
  const config = loadConfig({}, {
    databaseUrl: db.url,
    baseUrl,
    logLevel: 'silent',
    adminTokenSha256: token === null ? null : sha256(token),
    ...(options.keyActivationDelay ? { keyActivationDelay: options.keyActivationDelay } : {}),
  });
  const steward = await createSteward(config, { logLevel: 'silent', ...(options.clock ? { clock: options.clock } : {}) });
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

/** An admin API call with the admin token. */
export function admin(s: TestSteward, method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH', url: string, body?: unknown): Promise<Reply> {
  return request(s.app, method, url, { headers: ADMIN, ...(body === undefined ? {} : { body }) });
}
