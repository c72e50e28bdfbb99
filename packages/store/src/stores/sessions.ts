/** @module stores/sessions — SessionStore on Kysely. */
import type { Session, SessionStore } from '@steward/core';
import type { Kysely } from 'kysely';
import { affected, insertOrConflict } from '../codec.ts';
import { deleteBefore } from '../purge.ts';
import type { Database } from '../schema.ts';
import { NO_SYNC, type WriteDurability } from '../durability.ts';

export class KyselySessionStore implements SessionStore {
  readonly #db: Kysely<Database>;
  /** Told of each write that removes access (durability). */
  readonly #durable: WriteDurability;

  constructor(db: Kysely<Database>, durable: WriteDurability = NO_SYNC) {
    this.#db = db;
    this.#durable = durable;
  }

  async insert(session: Session): Promise<void> {
    await insertOrConflict('session', () =>
      this.#db
        .insertInto('sessions')
        .values({
          realm: session.realm,
          hash: session.hash,
          user_id: session.userId,
          created_at: session.createdAt,
          expires_at: session.expiresAt,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst(),
    );
  }

  /** Null when unknown or expired (`expiresAt <= now`). */
  async get(realm: string, hash: string, now: number): Promise<Session | null> {
    const row = await this.#db
      .selectFrom('sessions')
      .selectAll()
      .where('realm', '=', realm)
      .where('hash', '=', hash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (!row) return null;
    return {
      realm: row.realm,
      hash: row.hash,
      userId: row.user_id,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    };
  }

  async delete(realm: string, hash: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('sessions').where('realm', '=', realm).where('hash', '=', hash).executeTakeFirst();
    const changed = affected(result.numDeletedRows) > 0;
    if (changed) this.#durable.accessRemoved();
    return changed;
  }

  async deleteForUser(realm: string, userId: string): Promise<number> {
    const result = await this.#db.deleteFrom('sessions').where('realm', '=', realm).where('user_id', '=', userId).executeTakeFirst();
    const changed = affected(result.numDeletedRows);
    if (changed > 0) this.#durable.accessRemoved();
    return changed;
  }

  /** Deletes sessions with `expiresAt < now`, in every realm (at most `limit`). */
  purgeExpired(now: number, limit?: number): Promise<number> {
    return deleteBefore(this.#db, 'sessions', 'expires_at', now, limit);
  }
}
