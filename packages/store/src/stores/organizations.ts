/** @module stores/organizations — OrganizationStore on Kysely: organizations, their admins and their clients. */
import type { Organization, OrganizationStore } from '@steward/core';
import type { Kysely } from 'kysely';
import { affected, conflict, isUniqueViolation } from '../codec.ts';
import { cachedRow } from '../prepared.ts';
import type { Database, OrganizationRow } from '../schema.ts';
import { NO_SYNC, type WriteDurability } from '../durability.ts';

export class KyselyOrganizationStore implements OrganizationStore {
  readonly #db: Kysely<Database>;
  /** Told of each write that removes access (durability). */
  readonly #durable: WriteDurability;

  constructor(db: Kysely<Database>, durable: WriteDurability = NO_SYNC) {
    this.#db = db;
    this.#durable = durable;
  }

  /** Runs `fn` in a transaction, or in the caller's when the store is bound to one. */
  #atomically<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.#db.isTransaction ? fn(this.#db) : this.#db.transaction().execute(fn);
  }

  async create(org: Organization): Promise<void> {
    try {
      await this.#atomically(async (trx) => {
        const r = await trx
          .insertInto('organizations')
          .values({ realm: org.realm, id: org.id, name: org.name, created_at: org.createdAt })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        if (affected(r.numInsertedOrUpdatedRows) === 0) throw conflict(`organization ${org.id}`);
        for (const userId of new Set(org.admins)) await trx.insertInto('organization_admins').values({ realm: org.realm, org_id: org.id, user_id: userId }).execute();
        for (const clientId of new Set(org.clients)) await trx.insertInto('organization_clients').values({ realm: org.realm, client_id: clientId, org_id: org.id }).execute();
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict(`organization ${org.id} or one of its clients`);
      throw e;
    }
  }

  async get(realm: string, id: string): Promise<Organization | null> {
    const row = await this.#db.selectFrom('organizations').selectAll().where('realm', '=', realm).where('id', '=', id).executeTakeFirst();
    return row ? this.#withLinks(row) : null;
  }

  async list(realm: string): Promise<Organization[]> {
    const rows = await this.#db.selectFrom('organizations').selectAll().where('realm', '=', realm).execute();
    const orgs = await Promise.all(rows.map((r) => this.#withLinks(r)));
    return orgs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async delete(realm: string, id: string): Promise<boolean> {
    const { links, deleted } = await this.#atomically(async (trx) => {
      const a = await trx.deleteFrom('organization_admins').where('realm', '=', realm).where('org_id', '=', id).executeTakeFirst();
      const c = await trx.deleteFrom('organization_clients').where('realm', '=', realm).where('org_id', '=', id).executeTakeFirst();
      const r = await trx.deleteFrom('organizations').where('realm', '=', realm).where('id', '=', id).executeTakeFirst();
      return { links: affected(a.numDeletedRows) + affected(c.numDeletedRows), deleted: affected(r.numDeletedRows) > 0 };
    });
    // Made durable once committed (the store's own transaction, or the caller's when it commits).
    if (deleted || links > 0) this.#durable.accessRemoved();
    return deleted;
  }

  async addAdmin(realm: string, id: string, userId: string): Promise<boolean> {
    await this.#db
      .insertInto('organization_admins')
      .columns(['realm', 'org_id', 'user_id'])
      .expression((eb) => eb.selectFrom('organizations').select([eb.val(realm).as('realm'), eb.val(id).as('org_id'), eb.val(userId).as('user_id')]).where('realm', '=', realm).where('id', '=', id))
      .onConflict((oc) => oc.doNothing())
      .execute();
    return (await this.#exists(realm, id));
  }

  async removeAdmin(realm: string, id: string, userId: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('organization_admins').where('realm', '=', realm).where('org_id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    const changed = affected(r.numDeletedRows) > 0;
    if (changed) this.#durable.accessRemoved();
    return changed;
  }

  async addClient(realm: string, id: string, clientId: string): Promise<boolean> {
    if (!(await this.#exists(realm, id))) return false;
    try {
      await this.#db.insertInto('organization_clients').values({ realm, client_id: clientId, org_id: id }).onConflict((oc) => oc.doNothing()).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict(`client ${clientId} of an organization`);
      throw e;
    }
    const owner = await this.#db.selectFrom('organization_clients').select('org_id').where('realm', '=', realm).where('client_id', '=', clientId).executeTakeFirst();
    if (owner?.org_id !== id) throw conflict(`client ${clientId} of an organization`);
    return true;
  }

  async removeClient(realm: string, id: string, clientId: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('organization_clients').where('realm', '=', realm).where('org_id', '=', id).where('client_id', '=', clientId).executeTakeFirst();
    const changed = affected(r.numDeletedRows) > 0;
    if (changed) this.#durable.accessRemoved();
    return changed;
  }

  async ofClient(realm: string, clientId: string): Promise<Organization | null> {
    // Read for every grant whose party is a client acting for itself: cached on SQLite until any change.
    const link = await cachedRow(this.#db, 'organizations.ofClient', [realm, clientId], () =>
      this.#db.selectFrom('organization_clients').select('org_id').where('realm', '=', realm).where('client_id', '=', clientId),
    );
    return link ? this.get(realm, link.org_id) : null;
  }

  async #exists(realm: string, id: string): Promise<boolean> {
    return (await this.#db.selectFrom('organizations').select('id').where('realm', '=', realm).where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  async #withLinks(row: OrganizationRow): Promise<Organization> {
    const admins = await this.#db.selectFrom('organization_admins').select('user_id').where('realm', '=', row.realm).where('org_id', '=', row.id).execute();
    const clients = await this.#db.selectFrom('organization_clients').select('client_id').where('realm', '=', row.realm).where('org_id', '=', row.id).execute();
    return {
      realm: row.realm,
      id: row.id,
      name: row.name,
      admins: admins.map((a) => a.user_id).sort(),
      clients: clients.map((c) => c.client_id).sort(),
      createdAt: Number(row.created_at),
    };
  }
}
