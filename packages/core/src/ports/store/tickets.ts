/** @module ports/store/tickets — permission tickets: single use. */
import type { Ticket } from '../../model/ticket.ts';

export interface TicketStore {
  insert(ticket: Ticket): Promise<void>;
  /**
   * Atomically removes and returns the ticket with this hash. Exactly one of any number of concurrent
   * callers (across processes) receives it; the others receive null. Returns null when the ticket is
   * unknown, already consumed or expired at `now` (an expired ticket is removed too).
   */
  consume(realm: string, hash: string, now: number): Promise<Ticket | null>;
  /**
   * The ticket with this hash without consuming it (the claims interaction endpoint shows its page
   * first). Null when unknown, of another realm, or expired at `now` (`expiresAt <= now`).
   */
  get(realm: string, hash: string, now: number): Promise<Ticket | null>;
  /**
   * Deletes tickets that expired before `now` (`expiresAt < now`), in every realm, at most `limit` of
   * them when given (one short statement; call again until it returns less than `limit`); returns how many.
   */
  purgeExpired(now: number, limit?: number): Promise<number>;
}
