/** @module ports/store/outbox — the durable outbox of notifications (webhooks and e-mails); its times are milliseconds (see OutboxStore). */
import type { ClaimedDelivery, OutboxChannel, OutboxCounts, OutboxDelivery, OutboxStatus } from '../../model/outbox.ts';

/**
 * The durable outbox of notifications. Times are MILLISECONDS here (retries and leases are shorter
 * than a second in tests), except `createdAt` (seconds, like every other record).
 */
export interface OutboxStore {
  /**
   * Adds deliveries as given (normally status `pending`, attempts 0, unlocked). Call it with the stores
   * of the transaction that makes the change they report: they are written exactly when it commits.
   * Throws `conflict` when an id exists.
   */
  enqueue(deliveries: OutboxDelivery[]): Promise<void>;
  /**
   * Claims up to `limit` pending deliveries due at `now` (`nextAttemptAt <= now`) and not under a live
   * claim (`lockedUntil` null or `<= now`), oldest due first: each gets `lockedUntil = now + leaseMs`,
   * attempts + 1 and a fresh `claim`. Atomic across any number of callers and processes: no delivery is
   * handed to two callers while its lease runs. A claim whose lease ran out (its worker died) is
   * claimable again, which is what makes delivery at-least-once. With `channels`, only deliveries of
   * those channels are claimed (a node without SMTP leaves e-mails to one that has it).
   */
  claimDue(now: number, limit: number, leaseMs: number, channels?: OutboxChannel[]): Promise<ClaimedDelivery[]>;
  /** Marks delivered when `claim` still holds it (pending, same claim). Returns false otherwise. */
  markDelivered(id: string, claim: string): Promise<boolean>;
  /** Records a failed attempt: stays pending, unlocked, due again at `nextAttemptAt`. False when the claim was lost. */
  markFailed(id: string, claim: string, nextAttemptAt: number, error: string): Promise<boolean>;
  /** Gives up: status `dead` with the error, never claimed again. False when the claim was lost. */
  deadLetter(id: string, claim: string, error: string): Promise<boolean>;
  /** Null when absent. */
  get(id: string): Promise<OutboxDelivery | null>;
  /**
   * Gives a dead delivery of the realm a new start: pending, attempts 0, due at `now` (ms), unlocked; the
   * last error stays until the next attempt. False when absent, of another realm, or not dead.
   */
  requeue(realm: string, id: string, now: number): Promise<boolean>;
  /** The realm's deliveries with this status (all when undefined), oldest first, at most `limit`. */
  list(realm: string, status?: OutboxStatus, limit?: number): Promise<OutboxDelivery[]>;
  /** How many deliveries are in each status, over every realm (the backlog metric). */
  counts(): Promise<OutboxCounts>;
  /** Deletes delivered and dead deliveries created before `before` (seconds); returns how many. */
  purgeFinished(before: number): Promise<number>;
}
