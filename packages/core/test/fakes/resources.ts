/** @module test/fakes/resources — the ResourceStore lookups the grants use, keyed by (realm, owner, id). */
import type { Resource, ResourceStore } from '@steward/core';
import { Table } from './table.ts';

export class FakeResources implements Pick<ResourceStore, 'insert' | 'get' | 'getMany' | 'delete' | 'getByServer' | 'getManyByServer' | 'findByName'> {
  readonly table = new Table<Resource>();

  async insert(resource: Resource): Promise<void> {
    this.table.set([resource.realm, resource.owner, resource.id], resource);
  }

  async get(realm: string, owner: string, id: string): Promise<Resource | null> {
    return this.table.get([realm, owner, id]);
  }

  async getMany(realm: string, owner: string, ids: string[]): Promise<Resource[]> {
    return ids.flatMap((id) => this.table.get([realm, owner, id]) ?? []);
  }

  /** The resource alone: the fake keeps no policies on it to delete. */
  async delete(realm: string, owner: string, id: string): Promise<boolean> {
    return this.table.delete([realm, owner, id]);
  }

  async getByServer(realm: string, resourceServer: string, id: string): Promise<Resource | null> {
    return this.table.rows((r) => r.realm === realm && r.resourceServer === resourceServer && r.id === id)[0] ?? null;
  }

  async getManyByServer(realm: string, resourceServer: string, ids: string[]): Promise<Resource[]> {
    return this.table.rows((r) => r.realm === realm && r.resourceServer === resourceServer && ids.includes(r.id));
  }

  async findByName(realm: string, resourceServer: string, name: string, owners: string[]): Promise<Resource[]> {
    return this.table.rows((r) => r.realm === realm && r.resourceServer === resourceServer && r.name === name && owners.includes(r.owner));
  }
}
