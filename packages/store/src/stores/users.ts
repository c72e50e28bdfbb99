/** @module stores/users — UserStore on Kysely. */
import type { User, UserStore } from '@steward/core';
import type { Kysely } from 'kysely';
import { affected, byKey, fromFlag, insertOrConflict, toFlag } from '../codec.ts';
import type { Database, UserRow } from '../schema.ts';
import { NO_SYNC, type WriteDurability } from '../durability.ts';
import { cachedRow } from '../prepared.ts';

export class KyselyUserStore implements UserStore {
  readonly #db: Kysely<Database>;
  /** Told of each write that removes access (durability). */
  readonly #durable: WriteDurability;

  constructor(db: Kysely<Database>, durable: WriteDurability = NO_SYNC) {
    this.#db = db;
    this.#durable = durable;
  }

  async get(realm: string, id: string): Promise<User | null> {
    const row = await cachedRow(this.#db, 'users.get', [realm, id], () =>
      this.#db.selectFrom('users').selectAll().where('realm', '=', realm).where('id', '=', id),
    );
    return row ? toUser(row) : null;
  }

  async findByUsername(realm: string, username: string): Promise<User | null> {
    const row = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('realm', '=', realm)
      .where('username', '=', username)
      .executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async findByEmail(realm: string, email: string, limit: number): Promise<User[]> {
    if (limit <= 0) return [];
    const rows = await usersByEmailQuery(this.#db, realm, email, limit).execute();
    return byKey(rows.map(toUser), (u) => u.username);
  }

  /** Throws `conflict` when the id or the username exists in the realm. */
  async create(user: User): Promise<void> {
    await insertOrConflict(`user ${user.username}`, () =>
      this.#db
        .insertInto('users')
        .values({
          realm: user.realm,
          id: user.id,
          username: user.username,
          email: user.email,
          password_hash: user.passwordHash,
          admin: toFlag(user.admin),
          disabled: toFlag(user.disabled),
          created_at: user.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst(),
    );
  }

  async list(realm: string): Promise<User[]> {
    const rows = await this.#db.selectFrom('users').selectAll().where('realm', '=', realm).orderBy('username').execute();
    return byKey(rows.map(toUser), (u) => u.username);
  }

  async update(user: User): Promise<boolean> {
    const result = await this.#db
      .updateTable('users')
      .set({ email: user.email, password_hash: user.passwordHash, admin: toFlag(user.admin), disabled: toFlag(user.disabled) })
      .where('realm', '=', user.realm)
      .where('id', '=', user.id)
      .executeTakeFirst();
    // A disabled user or a changed password removes access; any update is made durable.
    const changed = affected(result.numUpdatedRows) > 0;
    if (changed) this.#durable.accessRemoved();
    return changed;
  }

  async delete(realm: string, id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('users').where('realm', '=', realm).where('id', '=', id).executeTakeFirst();
    const changed = affected(result.numDeletedRows) > 0;
    if (changed) this.#durable.accessRemoved();
    return changed;
  }
}

function toUser(row: UserRow): User {
  return {
    realm: row.realm,
    id: row.id,
    username: row.username,
    email: row.email,
    passwordHash: row.password_hash,
    admin: fromFlag(row.admin),
    disabled: fromFlag(row.disabled),
    createdAt: Number(row.created_at),
  };
}

/** The realm's users with this e-mail address, by username: the (realm, email, username) index of migration 0014. */
export function usersByEmailQuery(db: Kysely<Database>, realm: string, email: string, limit: number) {
  return db.selectFrom('users').selectAll().where('realm', '=', realm).where('email', '=', email).orderBy('username').limit(limit);
}
