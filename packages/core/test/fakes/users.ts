/** @module test/fakes/users — the UserStore lookups the grants use, keyed by (realm, id). */
import { fail, type User, type UserStore } from '@steward/core';
import { Table } from './table.ts';

export class FakeUsers implements Pick<UserStore, 'get' | 'findByUsername' | 'create' | 'update'> {
  readonly table = new Table<User>();

  async get(realm: string, id: string): Promise<User | null> {
    return this.table.get([realm, id]);
  }

  async findByUsername(realm: string, username: string): Promise<User | null> {
    return this.table.rows((u) => u.realm === realm && u.username === username)[0] ?? null;
  }

  async create(user: User): Promise<void> {
    if (await this.findByUsername(user.realm, user.username)) throw fail('conflict', 'username exists');
    this.table.set([user.realm, user.id], user);
  }

  async update(user: User): Promise<boolean> {
    const stored = this.table.get([user.realm, user.id]);
    if (!stored) return false;
    this.table.set([user.realm, user.id], { ...user, username: stored.username, createdAt: stored.createdAt }, true);
    return true;
  }
}
