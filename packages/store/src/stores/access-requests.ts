/** @module stores/access-requests — AccessRequestStore on Kysely, with a race-free upsert of the pending request. */
import { StewardError, type AccessRequest, type AccessRequestFilter, type AccessRequestPageQuery, type AccessRequestStatus, type AccessRequestStore, type SortKey } from '@steward/core';
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Kysely } from 'kysely';
import { boundedCount, keysetPage } from '../keyset.ts';
import { affected, conflict, fromJson, isUniqueViolation, toJson } from '../codec.ts';
import type { AccessRequestRow, Database } from '../schema.ts';

/** Rounds of insert-or-merge before giving up; each lost round means another writer made progress. */
const MAX_ROUNDS = 20;

/** The pending-request key, matched against the partial unique index `access_requests_pending_uq`. */
const PENDING_KEY = ['realm', 'owner', 'resource_id', 'requester', 'client_id'] as const;
const IS_PENDING = sql<boolean>`status = 'pending'`;

export class KyselyAccessRequestStore implements AccessRequestStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Inserts the request as pending unless a pending one of the same key exists; then merges the scopes
   * into that one with a compare-and-set on its scopes, retrying when a concurrent writer got there
   * first. Needs no transaction, so it is safe across processes on both dialects. The stored request
   * keeps its id and createdAt; its updatedAt becomes `request.updatedAt`.
   */
  async upsertPending(request: AccessRequest): Promise<AccessRequest> {
    const scopes = union([], request.scopes);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (await this.#tryInsert({ ...request, scopes })) return { ...request, scopes, status: 'pending' };
      const existing = await this.#db
        .selectFrom('access_requests')
        .selectAll()
        .where('realm', '=', request.realm)
        .where('owner', '=', request.owner)
        .where('resource_id', '=', request.resourceId)
        .where('requester', '=', request.requester)
        .where('client_id', '=', request.clientId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (!existing) continue; // answered in between: a new pending request may now be inserted
      const merged = toJson(union(fromJson<string[]>(existing.scopes), scopes));
      const result = await this.#db
        .updateTable('access_requests')
        .set({ scopes: merged, updated_at: request.updatedAt })
        .where('realm', '=', existing.realm)
        .where('id', '=', existing.id)
        .where('status', '=', 'pending')
        .where('scopes', '=', existing.scopes)
        .executeTakeFirst();
      if (affected(result.numUpdatedRows) > 0) {
        return toRequest({ ...existing, scopes: merged, updated_at: request.updatedAt });
      }
    }
    throw new Error(`access request upsert did not settle after ${MAX_ROUNDS} rounds`);
  }

  async get(realm: string, owner: string, id: string): Promise<AccessRequest | null> {
    const row = await this.#db
      .selectFrom('access_requests')
      .selectAll()
      .where('realm', '=', realm)
      .where('owner', '=', owner)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRequest(row) : null;
  }

  /** Served by (realm, owner, status, created_at, id) or (realm, owner, created_at, id) of migration 0011. */
  async page(realm: string, owner: string, query: AccessRequestPageQuery): Promise<AccessRequest[]> {
    if (query.limit <= 0) return [];
    return (await requestPageQuery(this.#db, realm, owner, query).execute()).map(toRequest);
  }

  async count(realm: string, owner: string, filter: AccessRequestFilter, limit: number): Promise<number> {
    return boundedCount(this.#db, narrowRequests(this.#db.selectFrom('access_requests').where('realm', '=', realm).where('owner', '=', owner), filter), limit, REQUEST_KEYS);
  }

  async pageByRequester(realm: string, requester: string, after: SortKey | undefined, limit: number): Promise<AccessRequest[]> {
    if (limit <= 0) return [];
    return (await requesterPageQuery(this.#db, realm, requester, after, limit).execute()).map(toRequest);
  }

  /** Also sets updatedAt to `now`. */
  async answer(realm: string, owner: string, id: string, status: 'approved' | 'denied', now: number, approvedScopes?: string[]): Promise<boolean> {
    const result = await this.#db
      .updateTable('access_requests')
      .set({ status, updated_at: now, approved_scopes: status === 'approved' && approvedScopes ? toJson(approvedScopes) : null })
      .where('realm', '=', realm)
      .where('owner', '=', owner)
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return affected(result.numUpdatedRows) > 0;
  }

  /** Newest answer first (updatedAt, then id, descending). */
  async listDenied(realm: string, owner: string, resourceId: string, requester: string): Promise<AccessRequest[]> {
    const rows = await this.#db
      .selectFrom('access_requests')
      .selectAll()
      .where('realm', '=', realm)
      .where('owner', '=', owner)
      .where('resource_id', '=', resourceId)
      .where('requester', '=', requester)
      .where('status', '=', 'denied')
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toRequest);
  }

  /**
   * Rounds of "make it pending, or merge it into the pending one": a lost round means a concurrent
   * writer changed the key's pending request; the unique index keeps a second pending one out.
   */
  async reopen(realm: string, owner: string, id: string, now: number): Promise<AccessRequest | null> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const denied = await this.#db.selectFrom('access_requests').selectAll().where('realm', '=', realm).where('owner', '=', owner).where('id', '=', id).executeTakeFirst();
      if (!denied || denied.status !== 'denied') return null;
      const pending = await this.#db
        .selectFrom('access_requests')
        .selectAll()
        .where('realm', '=', realm)
        .where('owner', '=', owner)
        .where('resource_id', '=', denied.resource_id)
        .where('requester', '=', denied.requester)
        .where('client_id', '=', denied.client_id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (!pending) {
        // No pending twin: this request itself becomes pending again (the partial unique index
        // refuses it if a twin appeared in between: then try again).
        try {
          const result = await this.#db
            .updateTable('access_requests')
            .set({ status: 'pending', updated_at: now, approved_scopes: null })
            .where('realm', '=', realm)
            .where('id', '=', id)
            .where('status', '=', 'denied')
            .executeTakeFirst();
          if (affected(result.numUpdatedRows) > 0) return toRequest({ ...denied, status: 'pending', updated_at: now, approved_scopes: null });
          return null;
        } catch (error) {
          // A twin became pending in between. Retrying here would be refused inside a PostgreSQL
          // transaction (the statement failed), so the caller is told to try again.
          if (isUniqueViolation(error)) throw new StewardError('conflict', 'The request changed meanwhile; try again.');
          throw error;
        }
      }
      const merged = toJson(union(fromJson<string[]>(pending.scopes), fromJson<string[]>(denied.scopes)));
      const result = await this.#db
        .updateTable('access_requests')
        .set({ scopes: merged, updated_at: now })
        .where('realm', '=', realm)
        .where('id', '=', pending.id)
        .where('status', '=', 'pending')
        .where('scopes', '=', pending.scopes)
        .executeTakeFirst();
      if (affected(result.numUpdatedRows) === 0) continue;
      await this.#db.deleteFrom('access_requests').where('realm', '=', realm).where('id', '=', id).where('status', '=', 'denied').execute();
      return toRequest({ ...pending, scopes: merged, updated_at: now });
    }
    throw new Error(`access request reopen did not settle after ${MAX_ROUNDS} rounds`);
  }

  /** True when inserted; false when a pending request of the same key exists. */
  async #tryInsert(request: AccessRequest): Promise<boolean> {
    try {
      const result = await this.#db
        .insertInto('access_requests')
        .values({
          realm: request.realm,
          id: request.id,
          owner: request.owner,
          resource_id: request.resourceId,
          requester: request.requester,
          client_id: request.clientId,
          scopes: toJson(request.scopes),
          status: 'pending',
          created_at: request.createdAt,
          updated_at: request.updatedAt,
        })
        .onConflict((oc) => oc.columns(PENDING_KEY).where(IS_PENDING).doNothing())
        .executeTakeFirst();
      return affected(result.numInsertedOrUpdatedRows) > 0;
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`access request ${request.id}`);
      throw error;
    }
  }
}

/** `base` followed by the members of `more` it lacks, without duplicates. */
function union(base: string[], more: string[]): string[] {
  return [...new Set([...base, ...more])];
}

function toRequest(row: AccessRequestRow): AccessRequest {
  const request: AccessRequest = {
    realm: row.realm,
    id: row.id,
    owner: row.owner,
    resourceId: row.resource_id,
    requester: row.requester,
    clientId: row.client_id,
    scopes: fromJson<string[]>(row.scopes),
    status: row.status as AccessRequestStatus,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
  if (row.approved_scopes !== null && row.approved_scopes !== undefined) request.approvedScopes = fromJson<string[]>(row.approved_scopes);
  return request;
}

/** Newest first: (created_at, id) descending. */
const REQUEST_KEYS = [sql.ref('created_at'), sql.ref('id')];

function narrowRequests<Q extends SelectQueryBuilder<Database, 'access_requests', any>>(query: Q, filter: AccessRequestFilter): Q {
  let q = query;
  if (filter.status !== undefined) q = q.where('status', '=', filter.status) as Q;
  if (filter.id !== undefined) q = q.where('id', '=', filter.id) as Q;
  if (filter.resourceId !== undefined) q = q.where('resource_id', '=', filter.resourceId) as Q;
  if (filter.requester !== undefined) q = q.where('requester', '=', filter.requester) as Q;
  if (filter.clientId !== undefined) q = q.where('client_id', '=', filter.clientId) as Q;
  return q;
}

/** The SELECT of one page of an owner's requests (exported for the plan test). */
export function requestPageQuery(db: Kysely<Database>, realm: string, owner: string, query: AccessRequestPageQuery) {
  return keysetPage(narrowRequests(db.selectFrom('access_requests').where('realm', '=', realm).where('owner', '=', owner), query).selectAll(), REQUEST_KEYS, query.after, true, query.limit);
}

/** The SELECT of one page of a requester's requests (exported for the plan test). */
export function requesterPageQuery(db: Kysely<Database>, realm: string, requester: string, after: SortKey | undefined, limit: number) {
  return keysetPage(db.selectFrom('access_requests').selectAll().where('realm', '=', realm).where('requester', '=', requester), REQUEST_KEYS, after, true, limit);
}
