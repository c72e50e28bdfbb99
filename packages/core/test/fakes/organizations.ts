/** @module test/fakes/organizations — organizations keyed by (realm, id), with their clients inside. */
import { fail, type Organization, type OrganizationStore } from '@steward/core';
import { Table } from './table.ts';

export class FakeOrganizations implements Pick<OrganizationStore, 'create' | 'get' | 'ofClient'> {
  readonly table = new Table<Organization>();

  async create(org: Organization): Promise<void> {
    for (const c of org.clients) if (await this.ofClient(org.realm, c)) throw fail('conflict', 'the client acts for another organization');
    this.table.set([org.realm, org.id], org);
  }

  async get(realm: string, id: string): Promise<Organization | null> {
    return this.table.get([realm, id]);
  }

  async ofClient(realm: string, clientId: string): Promise<Organization | null> {
    return this.table.rows((o) => o.realm === realm && o.clients.includes(clientId))[0] ?? null;
  }
}
