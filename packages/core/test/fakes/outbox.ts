/** @module test/fakes/outbox — notification deliveries as enqueued, keyed by id. */
import { fail, type OutboxDelivery, type OutboxStore } from '@steward/core';
import { Table } from './table.ts';

export class FakeOutbox implements Pick<OutboxStore, 'enqueue' | 'get'> {
  readonly table = new Table<OutboxDelivery>();

  async enqueue(deliveries: OutboxDelivery[]): Promise<void> {
    if (deliveries.some((d) => this.table.has([d.id]))) throw fail('conflict', 'a delivery id exists');
    for (const d of deliveries) this.table.set([d.id], d);
  }

  async get(id: string): Promise<OutboxDelivery | null> {
    return this.table.get([id]);
  }
}
