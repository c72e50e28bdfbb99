/** @module stores/groups — GroupStore on Kysely: groups and their memberships (indexed both ways). */
import type { Group, GroupStore } from '@steward/core';
import type { Kysely } from 'kysely';
import { affected, byKey, fromFlag, insertOrConflict, toFlag } from '../codec.ts';
import { cachedRows } from '../prepared.ts';
import type { Database, GroupRow } from '../schema.ts';
import { NO_SYNC, type WriteDurability } from '../durability.ts';

export class KyselyGroupStore implements GroupStore {
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

  async create(group: Group): Promise<void> {
    await insertOrConflict(`group ${group.name}`, () =>
      this.#db
        .insertInto('groups')
        .values({ realm: group.realm, id: group.id, name: group.name, visible: toFlag(group.visible), created_at: group.createdAt })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst(),
    );
  }

  async get(realm: string, id: string): Promise<Group | null> {
    const row = await this.#db.selectFrom('groups').selectAll().where('realm', '=', realm).where('id', '=', id).executeTakeFirst();
    return row ? toGroup(row) : null;
  }

  async findByName(realm: string, name: string): Promise<Group | null> {
    const row = await this.#db.selectFrom('groups').selectAll().where('realm', '=', realm).where('name', '=', name).executeTakeFirst();
    return row ? toGroup(row) : null;
  }

  async list(realm: string): Promise<Group[]> {
    const rows = await this.#db.selectFrom('groups').selectAll().where('realm', '=', realm).execute();
    return byKey(rows.map(toGroup), (g) => g.name);
  }

  async delete(realm: string, id: string): Promise<boolean> {
    const { members, deleted } = await this.#atomically(async (trx) => {
      const m = await trx.deleteFrom('group_members').where('realm', '=', realm).where('group_id', '=', id).executeTakeFirst();
      const r = await trx.deleteFrom('groups').where('realm', '=', realm).where('id', '=', id).executeTakeFirst();
      return { members: affected(m.numDeletedRows), deleted: affected(r.numDeletedRows) > 0 };
    });
    // Made durable once committed (the store's own transaction, or the caller's when it commits).
    if (deleted || members > 0) this.#durable.accessRemoved();
    return deleted;
  }

  async addMember(realm: string, groupId: string, userId: string): Promise<boolean> {
    // One statement: the membership is written only while the group exists.
    await this.#db
      .insertInto('group_members')
      .columns(['realm', 'group_id', 'user_id'])
      .expression((eb) =>
        eb.selectFrom('groups').select([eb.val(realm).as('realm'), eb.val(groupId).as('group_id'), eb.val(userId).as('user_id')]).where('realm', '=', realm).where('id', '=', groupId),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
    return (await this.get(realm, groupId)) !== null;
  }

  async removeMember(realm: string, groupId: string, userId: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('group_members').where('realm', '=', realm).where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
    const changed = affected(r.numDeletedRows) > 0;
    if (changed) this.#durable.accessRemoved();
    return changed;
  }

  async members(realm: string, groupId: string): Promise<string[]> {
    const rows = await this.#db.selectFrom('group_members').select('user_id').where('realm', '=', realm).where('group_id', '=', groupId).execute();
    return rows.map((r) => r.user_id).sort();
  }

  async groupsOf(realm: string, userId: string): Promise<Group[]> {
    // A semi-join (IN), not a join: see PolicyStore.listNaming (no Bloom filter built per run on SQLite).
    const rows = await cachedRows(this.#db, 'groups.groupsOf', [realm, realm, userId], () => groupsOfQuery(this.#db, realm, userId));
    return byKey(rows.map(toGroup), (g) => g.name);
  }
}

/** The groups of a user (its plan is checked in a test: by the (realm, user) index, never the realm's memberships). */
export function groupsOfQuery(db: Kysely<Database>, realm: string, userId: string) {
  return db
    .selectFrom('groups')
    .selectAll()
    .where('realm', '=', realm)
    .where('id', 'in', (eb) => eb.selectFrom('group_members').select('group_id').where('realm', '=', realm).where('user_id', '=', userId));
}

function toGroup(row: GroupRow): Group {
  return { realm: row.realm, id: row.id, name: row.name, visible: fromFlag(row.visible), createdAt: Number(row.created_at) };
}
