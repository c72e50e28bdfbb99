/** @module test/fakes/clients — the ClientStore lookups the grants use, keyed by (realm, client id). */
import type { Client, ClientStore } from '@steward/core';
import { Table } from './table.ts';

export class FakeClients implements Pick<ClientStore, 'get' | 'create'> {
  readonly table = new Table<Client>();

  async get(realm: string, clientId: string): Promise<Client | null> {
    return this.table.get([realm, clientId]);
  }

  async create(client: Client): Promise<void> {
    this.table.set([client.realm, client.clientId], client);
  }
}
