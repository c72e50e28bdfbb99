/** @module stores/groups — GroupStore on Kysely: groups and their memberships (indexed both ways). */
import type { Group, GroupStore } from '@steward/core';
import type { Kysely } from 'kysely';
import { affected, byKey, fromFlag, insertOrConflict, toFlag } from '../codec.ts';
import type { Database, GroupRow } from '../schema.ts';

export class KyselyGroupStore implements GroupStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
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
    return this.#atomically(async (trx) => {
      await trx.deleteFrom('group_members').where('realm', '=', realm).where('group_id', '=', id).execute();
      const r = await trx.deleteFrom('groups').where('realm', '=', realm).where('id', '=', id).executeTakeFirst();
      return affected(r.numDeletedRows) > 0;
    });
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
    return affected(r.numDeletedRows) > 0;
  }

  async members(realm: string, groupId: string): Promise<string[]> {
    const rows = await this.#db.selectFrom('group_members').select('user_id').where('realm', '=', realm).where('group_id', '=', groupId).execute();
    return rows.map((r) => r.user_id).sort();
  }

  async groupsOf(realm: string, userId: string): Promise<Group[]> {
    const rows = await this.#db
      .selectFrom('group_members')
      .innerJoin('groups', (j) => j.onRef('groups.realm', '=', 'group_members.realm').onRef('groups.id', '=', 'group_members.group_id'))
      .selectAll('groups')
      .where('group_members.realm', '=', realm)
      .where('group_members.user_id', '=', userId)
      .execute();
    return byKey(rows.map(toGroup), (g) => g.name);
  }
}

function toGroup(row: GroupRow): Group {
  return { realm: row.realm, id: row.id, name: row.name, visible: fromFlag(row.visible), createdAt: Number(row.created_at) };
}
