/**
 * @module test/fakes/grants — GrantStore over the fake tickets, tokens, audit log and outbox: each
 * method runs in one fake transaction, so a conflict writes nothing and leaves the ticket.
 */
import type { GrantRecords, GrantStore, OutboxDelivery, StewardEvent, Ticket } from '@steward/core';
import type { FakeAudit } from './audit.ts';
import type { FakeOutbox } from './outbox.ts';
import type { FakeTickets } from './tickets.ts';
import type { FakeTokens } from './tokens.ts';

interface Parts {
  tickets: FakeTickets;
  tokens: FakeTokens;
  audit: FakeAudit;
  outbox: FakeOutbox;
  /** Runs `fn` all or nothing (the fake store's transaction). */
  atomically<T>(fn: () => Promise<T>): Promise<T>;
}

export class FakeGrants implements GrantStore {
  readonly #s: Parts;

  constructor(parts: Parts) {
    this.#s = parts;
  }

  issueTicket(ticket: Ticket, events: StewardEvent[], deliveries: OutboxDelivery[]): Promise<void> {
    return this.#s.atomically(async () => {
      await this.#s.tickets.insert(ticket);
      await this.#s.audit.append(events);
      await this.#s.outbox.enqueue(deliveries);
    });
  }

  redeem(realm: string, ticketHash: string, now: number, records: GrantRecords): Promise<boolean> {
    return this.#s.atomically(async () => {
      // An expired ticket is removed by consume, and that removal is kept.
      if (!(await this.#s.tickets.consume(realm, ticketHash, now))) return false;
      await this.#s.tokens.insertMany(records.tokens);
      for (const id of records.revoke) await this.#s.tokens.revoke(realm, id);
      await this.#s.audit.append(records.events);
      await this.#s.outbox.enqueue(records.deliveries);
      return true;
    });
  }
}
