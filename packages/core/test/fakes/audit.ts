/** @module test/fakes/audit — the append-only audit log, keyed by (realm, event id); read by the tests. */
import { fail, type AuditStore, type StewardEvent } from '@steward/core';
import { Table } from './table.ts';

export class FakeAudit implements Pick<AuditStore, 'append'> {
  readonly table = new Table<StewardEvent>();

  async append(events: StewardEvent[]): Promise<void> {
    if (events.some((e) => this.table.has([e.realm, e.id]))) throw fail('conflict', 'an event id exists');
    for (const e of events) this.table.set([e.realm, e.id], e);
  }

  /** The realm's events in the order they were appended. */
  of(realm: string): StewardEvent[] {
    return this.table.rows((e) => e.realm === realm);
  }
}
