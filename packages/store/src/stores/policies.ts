/** @module stores/policies — PolicyStore on Kysely, with the revision check in the UPDATE itself. */
import type { Policy, PolicyPermission, PolicyStore } from '@steward/core';
import type { Kysely } from 'kysely';
import { affected, byKey, fromJson, toJson } from '../codec.ts';
import type { Database, PolicyRow } from '../schema.ts';

export class KyselyPolicyStore implements PolicyStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
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
    const rows = await this.#db
      .selectFrom('policies')
      .selectAll()
      .where('realm', '=', realm)
      .where('owner', '=', owner)
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return rows.map(toPolicy);
  }

  /** False when a policy with this id exists in the realm (whoever owns it). */
  async create(policy: Policy): Promise<boolean> {
    const result = await this.#db
      .insertInto('policies')
      .values({
        realm: policy.realm,
        id: policy.id,
        owner: policy.owner,
        rev: policy.rev,
        permissions: toJson(policy.permissions),
        created_at: policy.createdAt,
        updated_at: policy.updatedAt,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return affected(result.numInsertedOrUpdatedRows) > 0;
  }

  /** Writes permissions, rev and updatedAt from `policy`; 'missing' also when another owner holds the id. */
  async update(policy: Policy, expectedRev: string | null): Promise<'updated' | 'missing' | 'stale'> {
    let query = this.#db
      .updateTable('policies')
      .set({ rev: policy.rev, permissions: toJson(policy.permissions), updated_at: policy.updatedAt })
      .where('realm', '=', policy.realm)
      .where('owner', '=', policy.owner)
      .where('id', '=', policy.id);
    if (expectedRev !== null) query = query.where('rev', '=', expectedRev);
    const result = await query.executeTakeFirst();
    if (affected(result.numUpdatedRows) > 0) return 'updated';
    if (expectedRev === null) return 'missing';
    const current = await this.get(policy.realm, policy.owner, policy.id);
    return current ? 'stale' : 'missing';
  }

  async delete(realm: string, owner: string, id: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('policies')
      .where('realm', '=', realm)
      .where('owner', '=', owner)
      .where('id', '=', id)
      .executeTakeFirst();
    return affected(result.numDeletedRows) > 0;
  }

  async list(realm: string, owner: string): Promise<Policy[]> {
    const rows = await this.#db
      .selectFrom('policies')
      .selectAll()
      .where('realm', '=', realm)
      .where('owner', '=', owner)
      .orderBy('id')
      .execute();
    return byKey(rows.map(toPolicy), (p) => p.id);
  }
}

function toPolicy(row: PolicyRow): Policy {
  return {
    realm: row.realm,
    id: row.id,
    owner: row.owner,
    rev: row.rev,
    permissions: fromJson<PolicyPermission[]>(row.permissions),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
