/**
 * @module migrations/0016-revocations
 * The revocation log (core model/revocation): one row per revoked RPT and resource server of its
 * audience (the resource servers of its permissions), read by the protection API's event stream
 * (docs/revocation.md). The database writes it: a trigger on `tokens` logs an RPT record when an UPDATE
 * turns its `revoked` from 0 to 1, inside that statement, so whatever revokes it (one record, a grant, a
 * user's or client's records, an upgraded RPT in the grant's commit) logs it in the same commit, and
 * the UMA grant, permission and introspection paths, which never update `revoked` unless they revoke,
 * pay nothing.
 *
 * `seq` numbers rows in commit order and is never reused, so a reader that has seen `seq` n has seen
 * every row below it: on SQLite one writer at a time holds the file, and `AUTOINCREMENT` never hands out
 * a number again once its row is purged; on PostgreSQL an identity value is taken at insert, not at
 * commit, so a statement-level trigger first takes a transaction-level advisory lock that every
 * revoking statement takes before touching a row: revocations commit one after another, in `seq` order.
 * A stream resumes from (realm, resource server, seq); the purge drops a row once its RPT expired.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** The advisory lock PostgreSQL writers of the log serialize on ("STEREV" in ASCII). */
export const REVOCATION_LOCK_KEY = '91625541043542';

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const seq = postgres ? 'seq bigint generated always as identity primary key' : 'seq integer primary key autoincrement';
  await sql.raw(`create table revocations (
    ${seq},
    realm text not null,
    resource_server text not null,
    jti text not null,
    expires_at bigint not null
  )`).execute(db);
  await db.schema.createIndex('revocations_server_seq_ix').on('revocations').columns(['realm', 'resource_server', 'seq']).execute();
  await db.schema.createIndex('revocations_expires_ix').on('revocations').column('expires_at').execute();
  if (postgres) {
    await sql.raw(`create function steward_revocations_lock() returns trigger language plpgsql as $$
      begin
        perform pg_advisory_xact_lock(${REVOCATION_LOCK_KEY});
        return null;
      end $$`).execute(db);
    await sql.raw(`create function steward_revocations_log() returns trigger language plpgsql as $$
      begin
        insert into revocations (realm, resource_server, jti, expires_at)
          select distinct new.realm, p.value ->> 'resourceServer', new.id, new.expires_at
          from jsonb_array_elements(case when jsonb_typeof(new.data::jsonb -> 'permissions') = 'array' then new.data::jsonb -> 'permissions' else '[]'::jsonb end) p(value)
          where jsonb_typeof(p.value -> 'resourceServer') = 'string';
        return null;
      end $$`).execute(db);
    await sql`create trigger tokens_revocations_lock before update of revoked on tokens for each statement execute function steward_revocations_lock()`.execute(db);
    await sql`create trigger tokens_revocations_log after update of revoked on tokens for each row
      when (old.revoked = 0 and new.revoked = 1 and new.kind = 'rpt') execute function steward_revocations_log()`.execute(db);
  } else {
    await sql`create trigger tokens_revocations_log after update of revoked on tokens for each row
      when old.revoked = 0 and new.revoked = 1 and new.kind = 'rpt'
      begin
        insert into revocations (realm, resource_server, jti, expires_at)
          select distinct new.realm, json_extract(p.value, '$.resourceServer'), new.id, new.expires_at
          from json_each(case when json_type(new.data, '$.permissions') = 'array' then json_extract(new.data, '$.permissions') else '[]' end) p
          where json_type(p.value, '$.resourceServer') = 'text';
      end`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (postgres) {
    await sql`drop trigger if exists tokens_revocations_log on tokens`.execute(db);
    await sql`drop trigger if exists tokens_revocations_lock on tokens`.execute(db);
    await sql`drop function if exists steward_revocations_log()`.execute(db);
    await sql`drop function if exists steward_revocations_lock()`.execute(db);
  } else {
    await sql`drop trigger if exists tokens_revocations_log`.execute(db);
  }
  await db.schema.dropTable('revocations').ifExists().execute();
}
