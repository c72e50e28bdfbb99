/** @module ports/store/grants — the use-case port of the UMA grant's hot path: a ticket issued with its events; a ticket redeemed with what the grant issued, in one commit. */
import type { StewardEvent } from '../../model/event.ts';
import type { OutboxDelivery } from '../../model/outbox.ts';
import type { Ticket } from '../../model/ticket.ts';
import type { TokenRecord } from '../../model/token.ts';

/** What an issued UMA grant writes, in the one commit that spends its permission ticket. */
export interface GrantRecords {
  /** The RPT and, for a user party, its refresh token and PCT. */
  tokens: TokenRecord[];
  /** Ids of token records this grant revokes (an upgraded RPT, UMA Grant §3.3.5.1). */
  revoke: string[];
  /** The grant's events (the audit log) and the notification deliveries they call for. */
  events: StewardEvent[];
  deliveries: OutboxDelivery[];
}

/** The durable steps of the UMA grant's hot path, shaped for their use cases (services/request-permission, services/uma-grant). */
export interface GrantStore {
  /**
   * Writes a new permission ticket with its events and their deliveries, in one commit. Throws
   * `conflict` (and writes nothing) when the ticket's hash, an event id or a delivery id exists.
   */
  issueTicket(ticket: Ticket, events: StewardEvent[], deliveries: OutboxDelivery[]): Promise<void>;
  /**
   * Spends the permission ticket (realm, hash) and writes `records`, in one commit: only when the ticket
   * is still there and live at `now` (`expiresAt > now`); otherwise nothing is written and false is
   * returned (an expired ticket is removed all the same). Of any number of concurrent callers naming one
   * ticket, across processes, exactly one gets true. Throws `conflict` when a token, event or delivery
   * id exists; then nothing is written and the ticket stays.
   */
  redeem(realm: string, ticketHash: string, now: number, records: GrantRecords): Promise<boolean>;
}
