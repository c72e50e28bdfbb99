/**
 * @module services/publish-events
 * The one publication point of domain events. Every service that changes sharing state calls
 * `publishEvents` with the transactional store of that change, so an event exists exactly when its
 * change was committed: both are written, or neither. Today it appends to the audit log; other
 * consumers (notification deliveries) are added HERE, in the same transaction, never elsewhere.
 */
import type { StewardEvent } from '../model/event.ts';
import type { Store } from '../ports/store.ts';
import type { OutboxDelivery } from '../model/outbox.ts';
import { notificationsFor } from './notification-targets.ts';

/** The stores a transaction hands its callback (`Store.transaction`); a plain Store works too. */
export type TransactionStores = Omit<Store, 'transaction' | 'close' | 'ping'>;

/** Publishes the events in order. Call it inside the transaction of the change the events report. */
export async function publishEvents(tx: TransactionStores, events: StewardEvent[]): Promise<void> {
  if (events.length === 0) return;
  const { deliveries } = await publication(tx, events);
  await tx.audit.append(events);
  await tx.outbox.enqueue(deliveries);
}

/**
 * What publishing `events` writes, for a use case whose store method writes them with its change in
 * one commit (GrantStore): the events (the audit log) and the notification deliveries they call for.
 */
export async function publication(stores: TransactionStores, events: StewardEvent[]): Promise<{ events: StewardEvent[]; deliveries: OutboxDelivery[] }> {
  return { events, deliveries: events.length === 0 ? [] : await notificationsFor(stores, events) };
}
