/**
 * @module stores/policies — PolicyStore on Kysely, with the revision check in the UPDATE itself.
 * `policy_subjects` (who each policy names) is brought in line with the stored row after every write,
 * without a transaction of its own (on SQLite a second connection of the same process would block on
 * the write lock): each sync is idempotent and converges to the row, and a row the index misses only
 * hides a share (fails closed), never grants one, because readers check the policy's permissions.
 */
import type { Policy, PolicyFilter, PolicyPageQuery, PolicyPermission, PolicyStore } from '@steward/core';
import { PostgresAdapter, sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { boundedCount, keysetPage, type KeyExpression } from '../keyset.ts';
import { affected, byKey, fromJson, toJson } from '../codec.ts';
import { cachedRows, inList } from '../prepared.ts';
import type { Database, PolicyRow } from '../schema.ts';
import { NO_SYNC, type WriteDurability } from '../durability.ts';

export class KyselyPolicyStore implements PolicyStore {
  readonly #db: Kysely<Database>;
  /** Told of each write that removes access (durability). */
  readonly #durable: WriteDurability;

  constructor(db: Kysely<Database>, durable: WriteDurability = NO_SYNC) {
    this.#db = db;
    this.#durable = durable;
  }

  async get(realm: string, owner: string, id: string): Promise<Policy | null> {
    const row = await this.#db
      .selectFrom('policies')
      .selectAll()
      .where('realm', '=', realm)
      .where('owner', '=', owner)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toPolicy(row) : null;
  }

  async getMany(realm: string, owner: string, ids: string[]): Promise<Policy[]> {
    if (ids.length === 0) return [];
    const distinct = [...new Set(ids)];
    const rows = await inList(this.#db, 'policies.getMany', [realm, owner], distinct, (chunk) =>
      this.#db.selectFrom('policies').selectAll().where('realm', '=', realm).where('owner', '=', owner).where('id', 'in', chunk as string[]),
    );
    return rows.map(toPolicy);
  }

  async listNaming(realm: string, id: string, subject: string): Promise<Policy[]> {
    // A semi-join (IN) rather than a join: SQLite plans a join of two tables without statistics as if
    // they were large and builds a Bloom filter on every run, three times the cost of this lookup.
    const rows = await cachedRows(this.#db, 'policies.listNaming', [realm, id, realm, id, subject], () =>
      this.#db
        .selectFrom('policies')
        .selectAll()
        .where('realm', '=', realm)
        .where('id', '=', id)
        .where('owner', 'in', (eb) => eb.selectFrom('policy_subjects').select('owner').where('realm', '=', realm).where('resource_id', '=', id).where('subject', '=', subject)),
    );
    return rows.map(toPolicy);
  }

  /** False when this owner already has a policy with this id in the realm. */
  async create(policy: Policy): Promise<boolean> {
    const result = await this.#db
      .insertInto('policies')
      .values({
        realm: policy.realm,
        id: policy.id,
        owner: policy.owner,
        resource_owner: policy.resourceOwner ?? null,
        rev: policy.rev,
        permissions: toJson(policy.permissions),
        created_at: policy.createdAt,
        updated_at: policy.updatedAt,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (affected(result.numInsertedOrUpdatedRows) === 0) return false;
    await this.#syncSubjects(policy.realm, policy.owner, policy.id);
    return true;
  }

  /** Writes permissions, rev and updatedAt from `policy`, matched by (realm, owner, id). */
  async update(policy: Policy, expectedRev: string | null): Promise<'updated' | 'missing' | 'stale'> {
    let query = this.#db
      .updateTable('policies')
      .set({ rev: policy.rev, permissions: toJson(policy.permissions), updated_at: policy.updatedAt })
      .where('realm', '=', policy.realm)
      .where('owner', '=', policy.owner)
      .where('id', '=', policy.id);
    if (expectedRev !== null) query = query.where('rev', '=', expectedRev);
    const result = await query.executeTakeFirst();
    if (affected(result.numUpdatedRows) > 0) {
      await this.#syncSubjects(policy.realm, policy.owner, policy.id);
      // New permissions may narrow the share; any update is made durable (after the subject index).
      this.#durable.accessRemoved();
      return 'updated';
    }
    if (expectedRev === null) return 'missing';
    const current = await this.get(policy.realm, policy.owner, policy.id);
    return current ? 'stale' : 'missing';
  }

  async delete(realm: string, owner: string, id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('policies').where('realm', '=', realm).where('owner', '=', owner).where('id', '=', id).executeTakeFirst();
    await this.#syncSubjects(realm, owner, id);
    const changed = affected(result.numDeletedRows) > 0;
    if (changed) this.#durable.accessRemoved();
    return changed;
  }

  /** Makes the policy's `policy_subjects` rows the distinct subjects of the stored row (none when it is gone). */
  async #syncSubjects(realm: string, owner: string, id: string): Promise<void> {
    const current = await this.get(realm, owner, id);
    const subjects = [...new Set((current?.permissions ?? []).map((p) => p.subject))];
    let stale = this.#db.deleteFrom('policy_subjects').where('realm', '=', realm).where('owner', '=', owner).where('resource_id', '=', id);
    if (subjects.length > 0 && subjects.length <= 500) stale = stale.where('subject', 'not in', subjects);
    else if (subjects.length > 500) {
      // Too many to list in one statement: drop all and re-add below.
      stale = stale.where('subject', 'is not', null);
    }
    await stale.execute();
    // Chunked: SQLite limits the bound parameters of one statement.
    for (let i = 0; i < subjects.length; i += 200) {
      const values = subjects.slice(i, i + 200).map((subject) => ({ realm, resource_id: id, subject, owner }));
      await this.#db.insertInto('policy_subjects').values(values).onConflict((oc) => oc.doNothing()).execute();
    }
  }

  /** By id: the primary key (realm, owner, id) serves it. By name: the owner's policies are sorted per page. */
  async page(realm: string, owner: string, query: PolicyPageQuery): Promise<Policy[]> {
    if (query.limit <= 0) return [];
    const rows = await policyPageQuery(this.#db, realm, owner, query).execute();
    return rows.map(toPolicy);
  }

  async count(realm: string, owner: string, filter: PolicyFilter, limit: number): Promise<number> {
    return boundedCount(this.#db, narrowPolicies(ownerPolicies(this.#db, realm, owner), realm, filter), limit, POLICY_KEYS.id);
  }

  async pageResourcesNaming(realm: string, subject: string, after: string | undefined, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const rows = await resourcesNamingQuery(this.#db, realm, subject, after, limit).execute();
    return rows.map((r) => r.resource_id);
  }

  async isSubjectNamed(realm: string, subject: string): Promise<boolean> {
    const row = await this.#db.selectFrom('policy_subjects').select('owner').where('realm', '=', realm).where('subject', '=', subject).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async listByRealm(realm: string): Promise<Policy[]> {
    const rows = await this.#db.selectFrom('policies').selectAll().where('realm', '=', realm).execute();
    return byKey(byKey(rows.map(toPolicy), (p) => p.owner), (p) => p.id);
  }
}

function toPolicy(row: PolicyRow): Policy {
  const policy: Policy = {
    realm: row.realm,
    id: row.id,
    owner: row.owner,
    rev: row.rev,
    permissions: fromJson<PolicyPermission[]>(row.permissions),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
  if (row.resource_owner !== null) policy.resourceOwner = row.resource_owner;
  return policy;
}

/** A resource's sort name (its name, or its id when unnamed), read by primary key for each policy. */
const RESOURCE_SORT_NAME = sql`coalesce((select coalesce(r.name, r.id) from resources as r where r.realm = policies.realm and r.id = policies.id), policies.id)`;

const POLICY_KEYS: Record<PolicyPageQuery['order'], readonly KeyExpression[]> = {
  id: [sql.ref('policies.id')],
  name: [RESOURCE_SORT_NAME, sql.ref('policies.id')],
};

function narrowPolicies<Q extends SelectQueryBuilder<Database, 'policies', any>>(query: Q, realm: string, filter: PolicyFilter): Q {
  let q = query;
  if (filter.ownOnly === true) q = q.where('policies.resource_owner', 'is', null) as Q;
  if (filter.resourceServer !== undefined) {
    const server = filter.resourceServer;
    q = q.where(sql<boolean>`exists (select 1 from resources as r where r.realm = policies.realm and r.id = policies.id and r.resource_server = ${server})`) as Q;
  }
  if (filter.subject !== undefined) {
    const subject = filter.subject;
    q = q.where(sql<boolean>`exists (select 1 from policy_subjects as ps where ps.realm = ${realm} and ps.resource_id = policies.id and ps.subject = ${subject} and ps.owner = policies.owner)`) as Q;
  }
  return q;
}

/** The SELECT of one page of an owner's policies (exported for the plan test). */
export function policyPageQuery(db: Kysely<Database>, realm: string, owner: string, query: PolicyPageQuery) {
  return keysetPage(narrowPolicies(ownerPolicies(db, realm, owner), realm, query).selectAll('policies'), POLICY_KEYS[query.order], query.after, query.descending === true, query.limit);
}

function ownerPolicies(db: Kysely<Database>, realm: string, owner: string) {
  return db.selectFrom('policies').where('policies.realm', '=', realm).where('policies.owner', '=', owner);
}

/**
 * The resources naming a subject, by resource id in code point order (the core merges several such
 * lists): the (realm, subject, resource id) index of migration 0011, on PostgreSQL with `COLLATE "C"`
 * (migration 0013).
 */
export function resourcesNamingQuery(db: Kysely<Database>, realm: string, subject: string, after: string | undefined, limit: number) {
  const id = db.getExecutor().adapter instanceof PostgresAdapter ? sql<string>`resource_id collate "C"` : sql<string>`resource_id`;
  let q = db.selectFrom('policy_subjects').select(id.as('resource_id')).distinct().where('realm', '=', realm).where('subject', '=', subject);
  if (after !== undefined) q = q.where(id, '>', after);
  return q.orderBy('resource_id').limit(limit);
}
