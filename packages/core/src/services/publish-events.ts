/**
 * @module services/publish-events
 * The one publication point of domain events. Every service that changes sharing state calls
 * `publishEvents` with the transactional store of that change, so an event exists exactly when its
 * change was committed: both are written, or neither. Today it appends to the audit log; other
 * consumers (notification deliveries) are added HERE, in the same transaction, never elsewhere.
 */
import type { StewardEvent } from '../model/event.ts';
import type { Store } from '../ports/store.ts';
import { enqueueNotifications } from './notification-targets.ts';

/** The stores a transaction hands its callback (`Store.transaction`); a plain Store works too. */
export type TransactionStores = Omit<Store, 'transaction' | 'close' | 'ping'>;

/** Publishes the events in order. Call it inside the transaction of the change the events report. */
export async function publishEvents(tx: TransactionStores, events: StewardEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.audit.append(events);
  await enqueueNotifications(tx, events);
}
