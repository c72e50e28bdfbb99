/** @module stores/resource-server-configs — ResourceServerConfigStore on Kysely: one JSON document per (realm, resource server). */
import type { ResourceServerConfig, ResourceServerConfigStore } from '@steward/core';
import type { Kysely } from 'kysely';
import { affected, fromJson, toJson } from '../codec.ts';
import type { Database } from '../schema.ts';

export class KyselyResourceServerConfigStore implements ResourceServerConfigStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async get(realm: string, resourceServer: string): Promise<ResourceServerConfig | null> {
    const row = await this.#db.selectFrom('resource_server_configs').selectAll().where('realm', '=', realm).where('resource_server', '=', resourceServer).executeTakeFirst();
    if (!row) return null;
    return { realm: row.realm, resourceServer: row.resource_server, scopes: fromJson(row.scopes), types: fromJson(row.types), updatedAt: Number(row.updated_at) };
  }

  async put(config: ResourceServerConfig): Promise<void> {
    const values = { scopes: toJson(config.scopes), types: toJson(config.types), updated_at: config.updatedAt };
    await this.#db
      .insertInto('resource_server_configs')
      .values({ realm: config.realm, resource_server: config.resourceServer, ...values })
      .onConflict((oc) => oc.columns(['realm', 'resource_server']).doUpdateSet(values))
      .execute();
  }

  async delete(realm: string, resourceServer: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('resource_server_configs').where('realm', '=', realm).where('resource_server', '=', resourceServer).executeTakeFirst();
    return affected(r.numDeletedRows) > 0;
  }
}
