/**
 * @module test/fuzz/fingerprint
 * A fingerprint of what owners and administrators manage (realms, users, clients, keys, resources,
 * policies and their subject index, groups, organizations, webhooks, resource-server configurations):
 * row counts and sums of the columns a write changes, read in one statement through a second
 * connection. A refused write (4xx) must leave it as it was: nothing half-written. Tables a refusal
 * may rightly touch (tokens, tickets, access requests, the event log, outbox, rate counters, sign-in
 * failures, sessions) are left out.
 */
import { sql } from 'kysely';
import { connect } from '../../packages/store/src/connect.ts';

const MEASURES: Record<string, string> = {
  realms: 'count(*) || \'/\' || coalesce(sum(length(settings) + length(display_name)), 0)',
  users: 'count(*) || \'/\' || coalesce(sum(disabled + 2 * admin + length(username) + coalesce(length(email), 0)), 0)',
  clients: 'count(*) || \'/\' || coalesce(sum(disabled + length(grant_types) + length(redirect_uris) + length(claims_redirect_uris) + length(uma_scopes) + length(name)), 0)',
  keys: 'count(*) || \'/\' || count(retired_at)',
  resources: 'count(*) || \'/\' || coalesce(sum(updated_at + length(scopes) + length(extra) + coalesce(length(name), 0) + coalesce(length(type), 0)), 0)',
  policies: 'count(*) || \'/\' || coalesce(sum(updated_at + length(permissions) + length(rev)), 0)',
  policy_subjects: 'count(*)',
  groups: 'count(*) || \'/\' || coalesce(sum(visible), 0)',
  group_members: 'count(*)',
  organizations: 'count(*) || \'/\' || coalesce(sum(length(name)), 0)',
  organization_admins: 'count(*)',
  organization_clients: 'count(*)',
  webhooks: 'count(*) || \'/\' || coalesce(sum(enabled + length(url) + length(events) + length(secret)), 0)',
  resource_server_configs: 'count(*) || \'/\' || coalesce(sum(updated_at + length(scopes) + length(types)), 0)',
};

const QUERY = `SELECT ${Object.entries(MEASURES).map(([table, measure]) => `(SELECT CAST(${measure} AS TEXT) FROM ${table}) AS ${table}`).join(', ')}`;

export interface StoreProbe {
  /** `table=measure` for every managed table, in a fixed order. */
  fingerprint(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export function openStoreProbe(databaseUrl: string): StoreProbe {
  const { db } = connect(databaseUrl, { poolSize: 1 });
  return {
    async fingerprint() {
      const { rows } = await sql.raw<Record<string, string>>(QUERY).execute(db);
      return rows[0]!;
    },
    close: () => db.destroy(),
  };
}

/** The tables whose measure differs. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(before).filter((t) => before[t] !== after[t]);
}
