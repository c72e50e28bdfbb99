/** @module stores/audit — AuditStore on Kysely: append-only events, queried per (realm, owner) by time. */
import type { AuditFilter, AuditPage, AuditQuery, AuditStore, EventType, StewardEvent } from '@steward/core';
import { sql, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import { boundedCount, keysetPage } from '../keyset.ts';
import { conflict, fromJson, isUniqueViolation, toJson } from '../codec.ts';
import type { AuditEventRow, Database } from '../schema.ts';

type AuditSelect = SelectQueryBuilder<Database, 'audit_events', object>;

export class KyselyAuditStore implements AuditStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** One multi-row insert: all or nothing. */
  async append(events: StewardEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.#db.insertInto('audit_events').values(events.map(toRow)).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`audit event ${events.map((e) => e.id).join(', ').slice(0, 200)}`);
      throw error;
    }
  }

  /**
   * Keyset (`after`) or offset paging on the (realm, owner, at, seq) index; the matches are counted only
   * when asked, and no further than `countLimit`.
   */
  async query(realm: string, owner: string, query: AuditQuery): Promise<AuditPage> {
    const filter = query.filter ?? {};
    const counted = (query.countLimit ?? 0) > 0;
    if (filter.types?.length === 0) return { events: [], keys: [], total: counted ? 0 : -1 };
    const base = narrow(this.#db.selectFrom('audit_events').where('realm', '=', realm).where('owner', '=', owner), filter);
    const total = counted ? await boundedCount(this.#db, base, query.countLimit!, AUDIT_KEYS) : -1;
    if (query.limit <= 0 || total === 0) return { events: [], keys: [], total };
    const rows = await auditPageQuery(base, query).execute();
    return { events: rows.map(toEvent), keys: rows.map((r) => [Number(r.at), Number(r.seq)]), total };
  }

  async purgeRealm(realm: string): Promise<number> {
    const result = await this.#db.deleteFrom('audit_events').where('realm', '=', realm).executeTakeFirst();
    return Number(result.numDeletedRows ?? 0);
  }
}

const AUDIT_KEYS = [sql.ref('at'), sql.ref('seq')];

/** One page of the narrowed events: after a key, or from an offset (exported for the plan test). */
export function auditPageQuery(base: AuditSelect, query: AuditQuery) {
  const q = keysetPage(base.selectAll(), AUDIT_KEYS, query.after, query.sort === 'desc', query.limit);
  return query.after === undefined && (query.offset ?? 0) > 0 ? q.offset(query.offset!) : q;
}

/** The owner's events narrowed by the filter (exported for the plan test). */
export function auditBase(db: Kysely<Database>, realm: string, owner: string, filter: AuditFilter): AuditSelect {
  return narrow(db.selectFrom('audit_events').where('realm', '=', realm).where('owner', '=', owner), filter);
}

function narrow(query: AuditSelect, filter: AuditFilter): AuditSelect {
  let q = query;
  if (filter.types !== undefined) q = q.where('type', 'in', filter.types);
  if (filter.resourceId !== undefined) q = q.where('resource_id', '=', filter.resourceId);
  if (filter.requester !== undefined) q = q.where('requester', '=', filter.requester);
  if (filter.clientId !== undefined) q = q.where('client_id', '=', filter.clientId);
  if (filter.requestId !== undefined) q = q.where('request_id', '=', filter.requestId);
  if (filter.atLeast !== undefined) q = q.where('at', '>=', filter.atLeast);
  if (filter.atMost !== undefined) q = q.where('at', '<=', filter.atMost);
  return q;
}

export function toRow(e: StewardEvent): Omit<AuditEventRow, 'seq'> {
  return {
    realm: e.realm,
    id: e.id,
    owner: e.owner,
    type: e.type,
    at: e.at,
    requester: e.requester ?? null,
    client_id: e.clientId ?? null,
    resource_id: e.resourceId ?? null,
    resource_name: e.resourceName ?? null,
    scopes: e.scopes === undefined ? null : toJson(e.scopes),
    request_id: e.requestId ?? null,
    detail: e.detail === undefined ? null : toJson(e.detail),
  };
}

function toEvent(row: Selectable<AuditEventRow>): StewardEvent {
  const event: StewardEvent = { id: row.id, realm: row.realm, owner: row.owner, type: row.type as EventType, at: Number(row.at) };
  if (row.requester !== null) event.requester = row.requester;
  if (row.client_id !== null) event.clientId = row.client_id;
  if (row.resource_id !== null) event.resourceId = row.resource_id;
  if (row.resource_name !== null) event.resourceName = row.resource_name;
  if (row.scopes !== null) event.scopes = fromJson<string[]>(row.scopes);
  if (row.request_id !== null) event.requestId = row.request_id;
  if (row.detail !== null) event.detail = fromJson<StewardEvent['detail'] & object>(row.detail);
  return event;
}
