/**
 * @module ports/token-stores
 * The single-use and token storage ports, and the use-case port of the UMA grant's hot path: permission
 * tickets, token records, browser sessions, and GrantStore (a ticket issued with its events; a ticket
 * redeemed with what the grant issued, in one commit). Part of the Store (ports/store.ts); every
 * implementation passes the shared suite in packages/store/test/store-suite.ts. Times are seconds.
 */
import type { StewardEvent } from '../model/event.ts';
import type { OutboxDelivery } from '../model/outbox.ts';
import type { RevokedRpt } from '../model/revocation.ts';
import type { Session } from '../model/session.ts';
import type { Ticket } from '../model/ticket.ts';
import type { TokenRecord } from '../model/token.ts';

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

export interface TokenStore {
  /** Throws `conflict` when a record with the same (realm, id) exists. */
  insert(token: TokenRecord): Promise<void>;
  /**
   * Inserts all records with one statement: all are written or none (throws `conflict` when any
   * (realm, id) exists). What one answer issues together (RPT, refresh token, PCT) goes in one call.
   */
  insertMany(tokens: TokenRecord[]): Promise<void>;
  /** The record, revoked or expired ones included (the caller decides). */
  get(realm: string, id: string): Promise<TokenRecord | null>;
  /**
   * Atomically removes and returns an unrevoked record of this kind (codes, refresh tokens). Exactly one
   * concurrent caller receives it. Null when unknown, revoked, of another kind, or expired at `now`.
   */
  consume(realm: string, id: string, kind: TokenRecord['kind'], now: number): Promise<TokenRecord | null>;
  /**
   * Marks one record revoked. Returns false when absent. Every method that revokes an unrevoked RPT
   * record (this one, revokeGrant, revokeAllFor, GrantStore.redeem's `revoke`) appends it to the
   * revocation log, one entry per resource server of its permissions, in the same commit.
   */
  revoke(realm: string, id: string): Promise<boolean>;
  /** Marks every record of the grant revoked; returns how many changed. */
  revokeGrant(realm: string, grantId: string): Promise<number>;
  /**
   * The unrevoked records of kind 'rpt' or 'refresh' in the realm, unexpired at `now` (`expiresAt > now`),
   * whose `data.permissions` contain a permission with exactly this `resourceId`; any order. Records of
   * other kinds, realms or resources never appear, whatever characters the id holds. For revoking what
   * an owner stops sharing: its cost must follow the grants on that resource, never the realm's records
   * (a store indexes the grants by resource as it writes the records).
   */
  listLiveByResource(realm: string, resourceId: string, now: number): Promise<TokenRecord[]>;
  /**
   * Deletes records (every kind) that expired before `now`, in every realm, at most `limit` of them when
   * given; returns how many. Revocation log entries of RPTs expired before `now` go with them.
   */
  purgeExpired(now: number, limit?: number): Promise<number>;
  /**
   * Marks revoked every unrevoked record of the realm whose subject is `who.subject` or whose client is
   * `who.clientId` (the one given); returns how many changed. For disabling or deleting a user or a
   * client: it may scan every token record of the realm, so never call it on a request path.
   */
  revokeAllFor(realm: string, who: { subject: string } | { clientId: string }): Promise<number>;
}

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

/**
 * The revocation log (model/revocation): what the protection API's event stream tells resource servers.
 * Written only by the token stores' revocations (above); read by sequence.
 */
export interface RevocationLog {
  /** The highest `seq` written so far (0 when none): where a process starts following the log. */
  last(): Promise<number>;
  /** Entries of every realm with `seq > after`, by `seq`, at most `limit`: what one poll of a process reads. */
  after(after: number, limit: number): Promise<RevokedRpt[]>;
  /**
   * The entries of one resource server of the realm with `seq > after` whose RPT is unexpired at `now`
   * (`expiresAt > now`), by `seq`, at most `limit`. Entries of other realms or resource servers never
   * appear. Indexed by (realm, resource server, seq).
   */
  forResourceServer(realm: string, resourceServer: string, after: number, now: number, limit: number): Promise<RevokedRpt[]>;
}

export interface SessionStore {
  insert(session: Session): Promise<void>;
  /** Null when unknown or expired at `now`. */
  get(realm: string, hash: string, now: number): Promise<Session | null>;
  delete(realm: string, hash: string): Promise<boolean>;
  /** Deletes every session of the user; returns how many. */
  deleteForUser(realm: string, userId: string): Promise<number>;
  /** Deletes at most `limit` sessions that expired before `now` (`expiresAt < now`), any realm; returns how many. */
  purgeExpired(now: number, limit?: number): Promise<number>;
}
