/** @module test/fakes/groups — groups keyed by (realm, id), memberships by (realm, group, user). */
import { fail, type Group, type GroupStore } from '@steward/core';
import { Table } from './table.ts';

interface Membership {
  realm: string;
  groupId: string;
  userId: string;
}

export class FakeGroups implements Pick<GroupStore, 'create' | 'get' | 'findByName' | 'addMember' | 'groupsOf'> {
  readonly table = new Table<Group>();
  readonly members = new Table<Membership>();

  async create(group: Group): Promise<void> {
    if (await this.findByName(group.realm, group.name)) throw fail('conflict', 'group name exists');
    this.table.set([group.realm, group.id], group);
  }

  async get(realm: string, id: string): Promise<Group | null> {
    return this.table.get([realm, id]);
  }

  async findByName(realm: string, name: string): Promise<Group | null> {
    return this.table.rows((g) => g.realm === realm && g.name === name)[0] ?? null;
  }

  async addMember(realm: string, groupId: string, userId: string): Promise<boolean> {
    if (!this.table.has([realm, groupId])) return false;
    this.members.set([realm, groupId, userId], { realm, groupId, userId }, true);
    return true;
  }

  async groupsOf(realm: string, userId: string): Promise<Group[]> {
    const ids = this.members.rows((m) => m.realm === realm && m.userId === userId).map((m) => m.groupId);
    return this.table.rows((g) => g.realm === realm && ids.includes(g.id)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
