/** @module test/fakes/tickets — TicketStore in memory, keyed by (realm, hash). */
import type { Ticket, TicketStore } from '@steward/core';
import { Table } from './table.ts';

export class FakeTickets implements TicketStore {
  readonly table = new Table<Ticket>();

  async insert(ticket: Ticket): Promise<void> {
    this.table.set([ticket.realm, ticket.hash], ticket);
  }

  async consume(realm: string, hash: string, now: number): Promise<Ticket | null> {
    const ticket = this.table.get([realm, hash]);
    this.table.delete([realm, hash]);
    return ticket && ticket.expiresAt > now ? ticket : null;
  }

  async get(realm: string, hash: string, now: number): Promise<Ticket | null> {
    const ticket = this.table.get([realm, hash]);
    return ticket && ticket.expiresAt > now ? ticket : null;
  }

  async purgeExpired(now: number, limit = Infinity): Promise<number> {
    const expired = this.table.rows((t) => t.expiresAt < now).slice(0, limit);
    for (const t of expired) this.table.delete([t.realm, t.hash]);
    return expired.length;
  }
}
