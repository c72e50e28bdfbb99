/**
 * @module stores/rate-limits
 * RateLimitStore on Kysely: every check is one upsert-increment with RETURNING, so concurrent hits from
 * any number of processes are each counted exactly once.
 */
import type { LoginFailures, RateLimitStore } from '@steward/core';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { deleteBefore } from '../purge.ts';
import type { Database } from '../schema.ts';

export class KyselyRateLimitStore implements RateLimitStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async hit(keys: string[], windowStart: number, expiresAt: number): Promise<number[]> {
    const unique = [...new Set(keys)];
    if (unique.length === 0) return [];
    const rows = await this.#db
      .insertInto('rate_counters')
      .values(unique.map((key) => ({ key, window_start: windowStart, hits: 1, expires_at: expiresAt })))
      .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql<number>`rate_counters.hits + 1` }))
      .returning(['key', 'hits'])
      .execute();
    const byKey = new Map(rows.map((r) => [r.key, Number(r.hits)]));
    return keys.map((k) => byKey.get(k) ?? 0);
  }

  async count(key: string, windowStart: number): Promise<number> {
    const row = await this.#db.selectFrom('rate_counters').select('hits').where('key', '=', key).where('window_start', '=', windowStart).executeTakeFirst();
    return row ? Number(row.hits) : 0;
  }

  async failures(realm: string, username: string): Promise<LoginFailures | null> {
    const row = await this.#db
      .selectFrom('login_failures')
      .select(['failures', 'last_failure_at'])
      .where('realm', '=', realm)
      .where('username', '=', username)
      .executeTakeFirst();
    return row ? { failures: Number(row.failures), lastFailureAt: Number(row.last_failure_at) } : null;
  }

  async recordFailure(realm: string, username: string, now: number, resetBefore: number): Promise<LoginFailures> {
    const row = await this.#db
      .insertInto('login_failures')
      .values({ realm, username, failures: 1, last_failure_at: now })
      .onConflict((oc) =>
        oc.columns(['realm', 'username']).doUpdateSet({
          failures: sql<number>`case when login_failures.last_failure_at < ${resetBefore} then 1 else login_failures.failures + 1 end`,
          last_failure_at: now,
        }),
      )
      .returning(['failures', 'last_failure_at'])
      .executeTakeFirstOrThrow();
    return { failures: Number(row.failures), lastFailureAt: Number(row.last_failure_at) };
  }

  async clearFailures(realm: string, username: string): Promise<void> {
    await this.#db.deleteFrom('login_failures').where('realm', '=', realm).where('username', '=', username).execute();
  }

  async clearFailuresStartingWith(realm: string, prefix: string): Promise<void> {
    // Compared as text in the database (no pattern: a prefix holding % or _ means itself).
    await this.#db
      .deleteFrom('login_failures')
      .where('realm', '=', realm)
      .where(sql<string>`substr(username, 1, length(cast(${prefix} as text)))`, '=', prefix)
      .execute();
  }

  async purgeExpired(now: number, forgetBefore: number): Promise<number> {
    // In small batches that yield (purge.ts): a busy realm's counters must not hold the database at once.
    const counters = await deleteBefore(this.#db, 'rate_counters', 'expires_at', now);
    const failures = await deleteBefore(this.#db, 'login_failures', 'last_failure_at', forgetBefore);
    return counters + failures;
  }
}
