/** @module stores/resources — ResourceStore on Kysely; every lookup is scoped by realm and owner. */
import type { Resource, ResourceFilter, ResourceOrder, ResourcePageQuery, ResourceStore, ServerResourcePageQuery } from '@steward/core';
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { boundedCount, containsText, keysetPage, type KeyExpression } from '../keyset.ts';
import { affected, byKey, fromJson, insertOrConflict, toJson } from '../codec.ts';
import { inList } from '../prepared.ts';
import type { Database, ResourceRow } from '../schema.ts';
import { NO_SYNC, type WriteDurability } from '../durability.ts';

export class KyselyResourceStore implements ResourceStore {
  readonly #db: Kysely<Database>;
  /** Told of each write that removes access (durability). */
  readonly #durable: WriteDurability;

  constructor(db: Kysely<Database>, durable: WriteDurability = NO_SYNC) {
    this.#db = db;
    this.#durable = durable;
  }

  /** Throws `conflict` when the id exists in the realm. */
  async insert(resource: Resource): Promise<void> {
    await insertOrConflict(`resource ${resource.id}`, () =>
      this.#db
        .insertInto('resources')
        .values({
          realm: resource.realm,
          id: resource.id,
          owner: resource.owner,
          resource_server: resource.resourceServer,
          ...mutableColumns(resource),
          created_at: resource.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst(),
    );
  }

  async get(realm: string, owner: string, id: string): Promise<Resource | null> {
    const row = await this.#db
      .selectFrom('resources')
      .selectAll()
      .where('realm', '=', realm)
      .where('owner', '=', owner)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toResource(row) : null;
  }

  async getMany(realm: string, owner: string, ids: string[]): Promise<Resource[]> {
    if (ids.length === 0) return [];
    const distinct = [...new Set(ids)];
    const rows = await inList(this.#db, 'resources.getMany', [realm, owner], distinct, (chunk) =>
      this.#db.selectFrom('resources').selectAll().where('realm', '=', realm).where('owner', '=', owner).where('id', 'in', chunk as string[]),
    );
    return rows.map(toResource);
  }

  /** Replaces name, type, icon URI, description, scopes, extra and updatedAt. */
  async update(resource: Resource): Promise<boolean> {
    const result = await this.#db
      .updateTable('resources')
      .set(mutableColumns(resource))
      .where('realm', '=', resource.realm)
      .where('owner', '=', resource.owner)
      .where('id', '=', resource.id)
      .executeTakeFirst();
    // Fewer scopes remove access; any update is made durable.
    const changed = affected(result.numUpdatedRows) > 0;
    if (changed) this.#durable.accessRemoved();
    return changed;
  }

  /** Deletes the resource and every policy on it (the owner's and re-shares), atomically (inside the caller's transaction if any). */
  async delete(realm: string, owner: string, id: string): Promise<boolean> {
    const run = async (db: Kysely<Database>): Promise<boolean> => {
      const result = await db
        .deleteFrom('resources')
        .where('realm', '=', realm)
        .where('owner', '=', owner)
        .where('id', '=', id)
        .executeTakeFirst();
      if (affected(result.numDeletedRows) === 0) return false;
      // Re-shares of the resource by requesting parties go with it.
      await db.deleteFrom('policies').where('realm', '=', realm).where('id', '=', id).execute();
      await db.deleteFrom('policy_subjects').where('realm', '=', realm).where('resource_id', '=', id).execute();
      return true;
    };
    const removed = await (this.#db.isTransaction ? run(this.#db) : this.#db.transaction().execute(run));
    if (removed) this.#durable.accessRemoved();
    return removed;
  }

  /** One keyset page; each order is served by an index of migration 0011 (its plan is checked in a test). */
  async page(realm: string, owner: string, query: ResourcePageQuery): Promise<Resource[]> {
    if (query.limit <= 0) return [];
    const rows = await resourcePageQuery(this.#db, realm, owner, query).execute();
    return rows.map(toResource);
  }

  async count(realm: string, owner: string, filter: ResourceFilter, limit: number): Promise<number> {
    return boundedCount(this.#db, narrowResources(ownerResources(this.#db, realm, owner), filter), limit, ORDER_KEYS.id);
  }

  async existsForResourceServer(realm: string, resourceServer: string): Promise<boolean> {
    const row = await this.#db.selectFrom('resources').select('id').where('realm', '=', realm).where('resource_server', '=', resourceServer).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async listByRealm(realm: string): Promise<Resource[]> {
    const rows = await this.#db.selectFrom('resources').selectAll().where('realm', '=', realm).execute();
    return byKey(rows.map(toResource), (r) => r.id);
  }

  async getByServer(realm: string, resourceServer: string, id: string): Promise<Resource | null> {
    const row = await this.#db
      .selectFrom('resources')
      .selectAll()
      .where('realm', '=', realm)
      .where('resource_server', '=', resourceServer)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toResource(row) : null;
  }

  async getManyByServer(realm: string, resourceServer: string, ids: string[]): Promise<Resource[]> {
    if (ids.length === 0) return [];
    const distinct = [...new Set(ids)];
    const rows = await inList(this.#db, 'resources.getManyByServer', [realm, resourceServer], distinct, (chunk) =>
      this.#db.selectFrom('resources').selectAll().where('realm', '=', realm).where('resource_server', '=', resourceServer).where('id', 'in', chunk as string[]),
    );
    return rows.map(toResource);
  }

  /** One keyset page by id, served by an index of migration 0015 (its plan is checked in a test). */
  async pageByServer(realm: string, resourceServer: string, query: ServerResourcePageQuery): Promise<Resource[]> {
    if (query.limit <= 0) return [];
    const rows = await serverResourcePageQuery(this.#db, realm, resourceServer, query).execute();
    return rows.map(toResource);
  }

  /** One indexed read by owner. */
  async findByName(realm: string, resourceServer: string, name: string, owners: string[]): Promise<Resource[]> {
    if (owners.length === 0) return [];
    const rows = await this.#db
      .selectFrom('resources')
      .selectAll()
      .where('realm', '=', realm)
      .where('resource_server', '=', resourceServer)
      .where('name', '=', name)
      .where('owner', 'in', [...new Set(owners)])
      .execute();
    return rows.map(toResource);
  }
}

/** The resource's sort name: its name, or its id when unnamed (an expression of the indexes). */
const SORT_NAME = sql`coalesce(name, id)`;

/** The key columns of each order, as the indexes of migration 0011 hold them (after realm, owner[, resource server]). */
const ORDER_KEYS: Record<ResourceOrder, readonly KeyExpression[]> = {
  name: [SORT_NAME, sql.ref('id')],
  type: [sql`coalesce(type, '')`, SORT_NAME, sql.ref('id')],
  resourceServer: [sql.ref('resource_server'), SORT_NAME, sql.ref('id')],
  id: [sql.ref('id')],
  created: [sql.ref('created_at'), sql.ref('id')],
};

function narrowResources<Q extends SelectQueryBuilder<Database, 'resources', any>>(query: Q, filter: ResourceFilter): Q {
  let q = query;
  if (filter.resourceServer !== undefined) q = q.where('resource_server', '=', filter.resourceServer) as Q;
  if (filter.sortName !== undefined) q = q.where(sql<boolean>`${SORT_NAME} = ${filter.sortName}`) as Q;
  if (filter.type !== undefined) q = q.where('type', '=', filter.type) as Q;
  if (filter.search !== undefined && filter.search !== '') {
    const needle = filter.search;
    q = q.where((eb) => eb.or([containsText(SORT_NAME, needle), containsText(sql.ref('type'), needle), containsText(sql.ref('resource_server'), needle)])) as Q;
  }
  return q;
}

/** The SELECT of one page of an owner's resources (exported for the plan test). */
export function resourcePageQuery(db: Kysely<Database>, realm: string, owner: string, query: ResourcePageQuery) {
  return keysetPage(narrowResources(ownerResources(db, realm, owner), query).selectAll(), ORDER_KEYS[query.order], query.after, query.descending === true, query.limit);
}

/** The SELECT of one page of what a resource server registered, any owner (exported for the plan test). */
export function serverResourcePageQuery(db: Kysely<Database>, realm: string, resourceServer: string, query: ServerResourcePageQuery) {
  let q = db.selectFrom('resources').where('realm', '=', realm).where('resource_server', '=', resourceServer);
  if (query.sortName !== undefined) q = q.where(sql<boolean>`${SORT_NAME} = ${query.sortName}`);
  if (query.type !== undefined) q = q.where('type', '=', query.type);
  return keysetPage(q.selectAll(), ORDER_KEYS.id, query.after, false, query.limit);
}

function ownerResources(db: Kysely<Database>, realm: string, owner: string) {
  return db.selectFrom('resources').where('realm', '=', realm).where('owner', '=', owner);
}

function mutableColumns(resource: Resource) {
  return {
    name: resource.name,
    type: resource.type,
    icon_uri: resource.iconUri,
    description: resource.description,
    scopes: toJson(resource.scopes),
    extra: toJson(resource.extra),
    updated_at: resource.updatedAt,
  };
}

function toResource(row: ResourceRow): Resource {
  return {
    realm: row.realm,
    id: row.id,
    owner: row.owner,
    resourceServer: row.resource_server,
    name: row.name,
    type: row.type,
    iconUri: row.icon_uri,
    description: row.description,
    scopes: fromJson<string[]>(row.scopes),
    extra: fromJson<Record<string, unknown>>(row.extra),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
