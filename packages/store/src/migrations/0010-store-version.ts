/**
 * @module migrations/0010-store-version
 * PostgreSQL: one version for the whole cluster, changed by every commit that may change a row the
 * stores cache (prepared.ts `cachedRow`). Each node reads it once per request and keeps its cached
 * clients, users, token records, resources, policies and groups while it has not moved, so a change
 * committed by any node is seen by every node's next request.
 *
 * The version row is written by a deferred constraint trigger: at COMMIT, after all of the
 * transaction's other work, once per transaction (a transaction-local setting remembers it). Taken
 * last, its row lock can never be part of a deadlock, and it is held only while the commit completes.
 * Writes the caches never see (new tokens, tickets, audit events, deliveries, access requests, rate
 * counters, sessions) do not touch it: the hot path's inserts leave every cache valid.
 *
 * SQLite needs none of this: a connection learns of other connections' commits from
 * `PRAGMA data_version` (sqlite-gate.ts), so the migration does nothing there.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** The table holding the version (one row). */
export const STORE_VERSION_TABLE = 'steward_store_version';

/**
 * The tables whose every change moves the version, with the changes that do: all of a cached table's
 * writes, and for tokens only revocation and consumption (a new token changes no cached record; absent
 * records are never cached).
 */
export const VERSIONED_TABLES: Readonly<Record<string, string>> = {
  realms: 'insert or update or delete',
  keys: 'insert or update or delete',
  users: 'insert or update or delete',
  clients: 'insert or update or delete',
  resource_server_configs: 'insert or update or delete',
  resources: 'insert or update or delete',
  policies: 'insert or update or delete',
  policy_subjects: 'insert or update or delete',
  groups: 'insert or update or delete',
  group_members: 'insert or update or delete',
  organizations: 'insert or update or delete',
  organization_admins: 'insert or update or delete',
  organization_clients: 'insert or update or delete',
  webhooks: 'insert or update or delete',
  tokens: 'update or delete',
};

function postgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!postgres(db)) return;
  await sql`create table ${sql.table(STORE_VERSION_TABLE)} (id integer primary key check (id = 1), version bigint not null)`.execute(db);
  await sql`insert into ${sql.table(STORE_VERSION_TABLE)} (id, version) values (1, 0)`.execute(db);
  await sql
    .raw(
      `create function steward_store_changed() returns trigger language plpgsql as $$
begin
  if current_setting('steward.store_changed', true) is distinct from 'yes' then
    perform set_config('steward.store_changed', 'yes', true);
    update ${STORE_VERSION_TABLE} set version = version + 1 where id = 1;
  end if;
  return null;
end
$$`,
    )
    .execute(db);
  for (const [table, events] of Object.entries(VERSIONED_TABLES)) {
    await sql
      .raw(`create constraint trigger ${table}_store_version after ${events} on ${table} deferrable initially deferred for each row execute function steward_store_changed()`)
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!postgres(db)) return;
  for (const table of Object.keys(VERSIONED_TABLES)) await sql.raw(`drop trigger if exists ${table}_store_version on ${table}`).execute(db);
  await sql`drop function if exists steward_store_changed()`.execute(db);
  await sql`drop table if exists ${sql.table(STORE_VERSION_TABLE)}`.execute(db);
}
