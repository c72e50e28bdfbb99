/** @module stores/realms — RealmStore on Kysely. */
import type { Realm, RealmSettings, RealmStore } from '@steward/core';
import type { Kysely } from 'kysely';
import { affected, byKey, fromJson, insertOrConflict, toJson } from '../codec.ts';
import type { Database, RealmRow } from '../schema.ts';
import { NO_SYNC, type WriteDurability } from '../durability.ts';

export class KyselyRealmStore implements RealmStore {
  readonly #db: Kysely<Database>;
  /** Told of each write that removes access (durability). */
  readonly #durable: WriteDurability;

  constructor(db: Kysely<Database>, durable: WriteDurability = NO_SYNC) {
    this.#db = db;
    this.#durable = durable;
  }

  async get(id: string): Promise<Realm | null> {
    const row = await this.#db.selectFrom('realms').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRealm(row) : null;
  }

  async create(realm: Realm): Promise<void> {
    await insertOrConflict(`realm ${realm.id}`, () =>
      this.#db
        .insertInto('realms')
        .values({
          id: realm.id,
          display_name: realm.displayName,
          settings: toJson(realm.settings),
          created_at: realm.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst(),
    );
  }

  async update(realm: Realm): Promise<boolean> {
    const result = await this.#db
      .updateTable('realms')
      .set({ display_name: realm.displayName, settings: toJson(realm.settings) })
      .where('id', '=', realm.id)
      .executeTakeFirst();
    // Settings may remove access (re-sharing turned off, shorter lifetimes).
    const changed = affected(result.numUpdatedRows) > 0;
    if (changed) this.#durable.accessRemoved();
    return changed;
  }

  async list(): Promise<Realm[]> {
    const rows = await this.#db.selectFrom('realms').selectAll().orderBy('id').execute();
    return byKey(rows.map(toRealm), (r) => r.id);
  }
}

function toRealm(row: RealmRow): Realm {
  return {
    id: row.id,
    displayName: row.display_name,
    settings: fromJson<RealmSettings>(row.settings),
    createdAt: Number(row.created_at),
  };
}
