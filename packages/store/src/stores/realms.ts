/** @module stores/realms — RealmStore on Kysely. */
import { REALM_CONTENTS, type Realm, type RealmContent, type RealmSettings, type RealmStore } from '@steward/core';
import { sql, type Kysely } from 'kysely';
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

  async contents(id: string, ignoreClients: readonly string[]): Promise<RealmContent[]> {
    const found: RealmContent[] = [];
    // One existence probe per kind (the first row of an index that starts with the realm).
    for (const kind of REALM_CONTENTS) {
      let query = this.#db.selectFrom(CONTENT_TABLES[kind]).select(sql<number>`1`.as('one')).where('realm', '=', id);
      if (kind === 'clients' && ignoreClients.length > 0) query = query.where('client_id', 'not in', [...ignoreClients]);
      if (await query.limit(1).executeTakeFirst()) found.push(kind);
    }
    return found;
  }

  async delete(id: string): Promise<boolean> {
    const deleted = this.#db.isTransaction ? await deleteRealm(this.#db, id) : await this.#db.transaction().execute((trx) => deleteRealm(trx, id));
    if (deleted) this.#durable.accessRemoved();
    return deleted;
  }
}

/** The table that holds each kind of realm content. */
const CONTENT_TABLES = {
  users: 'users',
  clients: 'clients',
  resources: 'resources',
  policies: 'policies',
  groups: 'groups',
  organizations: 'organizations',
  resourceServers: 'resource_server_configs',
} as const satisfies Record<RealmContent, keyof Database>;

/**
 * Every table keyed by realm. A table added to the schema must be listed here or this does not compile
 * (`rate_counters` is keyed by its window, and its counters expire on their own).
 */
const REALM_TABLES: { readonly [T in Exclude<keyof Database, 'realms' | 'rate_counters'>]: true } = {
  keys: true,
  users: true,
  clients: true,
  resources: true,
  policies: true,
  policy_subjects: true,
  tickets: true,
  tokens: true,
  revocations: true,
  grant_resources: true,
  sessions: true,
  access_requests: true,
  audit_events: true,
  login_failures: true,
  webhooks: true,
  outbox: true,
  resource_server_configs: true,
  groups: true,
  group_members: true,
  organizations: true,
  organization_admins: true,
  organization_clients: true,
};

async function deleteRealm(db: Kysely<Database>, id: string): Promise<boolean> {
  const realm = await db.deleteFrom('realms').where('id', '=', id).executeTakeFirst();
  if (affected(realm.numDeletedRows) === 0) return false;
  for (const table of Object.keys(REALM_TABLES) as Array<keyof typeof REALM_TABLES>) await db.deleteFrom(table).where('realm', '=', id).execute();
  return true;
}

function toRealm(row: RealmRow): Realm {
  return {
    id: row.id,
    displayName: row.display_name,
    settings: fromJson<RealmSettings>(row.settings),
    createdAt: Number(row.created_at),
  };
}
