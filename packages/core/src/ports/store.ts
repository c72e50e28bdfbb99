/**
 * @module ports/store
 * The storage ports, one interface per aggregate. Every store implementation (SQLite, PostgreSQL) passes
 * the one shared suite in packages/store/test/store-suite.ts. All times are seconds since the epoch.
 * Every lookup is scoped by realm; resources and policies also by owner. Nothing is looked up by name
 * except a user at sign-in.
 */
import type { AccessRequest, AccessRequestStatus } from '../model/access-request.ts';
import type { Client } from '../model/client.ts';
import type { SigningKey } from '../model/key.ts';
import type { Policy } from '../model/policy.ts';
import type { Realm } from '../model/realm.ts';
import type { Resource } from '../model/resource.ts';
import type { Session } from '../model/session.ts';
import type { Ticket } from '../model/ticket.ts';
import type { TokenRecord } from '../model/token.ts';
import type { User } from '../model/user.ts';

export interface RealmStore {
  /** null when absent. */
  get(id: string): Promise<Realm | null>;
  /** Throws `conflict` when the id exists. */
  create(realm: Realm): Promise<void>;
  /** Replaces display name and settings. Returns false when absent. */
  update(realm: Realm): Promise<boolean>;
  /** Ordered by id. */
  list(): Promise<Realm[]>;
}

export interface KeyStore {
  /** All keys of the realm that are not retired, oldest first. */
  list(realm: string): Promise<SigningKey[]>;
  insert(key: SigningKey): Promise<void>;
}

export interface UserStore {
  get(realm: string, id: string): Promise<User | null>;
  /** Exact, case-sensitive match. For sign-in and for resolving policy subjects. */
  findByUsername(realm: string, username: string): Promise<User | null>;
  /** Throws `conflict` when the username exists in the realm. */
  create(user: User): Promise<void>;
  /** Ordered by username. */
  list(realm: string): Promise<User[]>;
}

export interface ClientStore {
  get(realm: string, clientId: string): Promise<Client | null>;
  /** Throws `conflict` when the client id exists in the realm. */
  create(client: Client): Promise<void>;
  /** Ordered by client id. */
  list(realm: string): Promise<Client[]>;
}

export interface ResourceStore {
  insert(resource: Resource): Promise<void>;
  /** The resource when it exists in the realm AND belongs to the owner; null otherwise (no leak). */
  get(realm: string, owner: string, id: string): Promise<Resource | null>;
  /** The resources of one owner among `ids`; unknown or foreign ids are simply absent. Any order. */
  getMany(realm: string, owner: string, ids: string[]): Promise<Resource[]>;
  /** Full replacement of the mutable fields, matched by (realm, owner, id). Returns false when absent. */
  update(resource: Resource): Promise<boolean>;
  /** Deletes the resource and every policy on it (the owner's and re-shares of it). Returns false when absent. */
  delete(realm: string, owner: string, id: string): Promise<boolean>;
  /** Ids of the owner's resources, optionally only those of one resource server, oldest first. */
  listIds(realm: string, owner: string, resourceServer?: string): Promise<string[]>;
}

/**
 * Policies are keyed by (realm, owner, id): the id is the resource's, the owner is the resource owner
 * (primary policy) or a requesting party re-sharing it (`resourceOwner` set).
 */
export interface PolicyStore {
  get(realm: string, owner: string, id: string): Promise<Policy | null>;
  /**
   * The policies of any owner on resource `id` with a permission whose subject is exactly `subject`
   * (case-sensitive), any order. Indexed: the cost depends on the policies naming the subject, not on
   * how many policies the resource has.
   */
  listNaming(realm: string, id: string, subject: string): Promise<Policy[]>;
  /** The owner's policies for these resource ids; absent ones are omitted. */
  getMany(realm: string, owner: string, ids: string[]): Promise<Policy[]>;
  /** Inserts a new policy. Returns false (and writes nothing) when this owner has one for that id. */
  create(policy: Policy): Promise<boolean>;
  /**
   * Replaces the permissions when the stored revision equals `expectedRev` (or unconditionally when
   * `expectedRev` is null). Returns 'updated', 'missing' or 'stale'.
   */
  update(policy: Policy, expectedRev: string | null): Promise<'updated' | 'missing' | 'stale'>;
  /** Returns false when absent. */
  delete(realm: string, owner: string, id: string): Promise<boolean>;
  /** The owner's policies ordered by id. */
  list(realm: string, owner: string): Promise<Policy[]>;
}

export interface TicketStore {
  insert(ticket: Ticket): Promise<void>;
  /**
   * Atomically removes and returns the ticket with this hash. Exactly one of any number of concurrent
   * callers (across processes) receives it; the others receive null. Returns null when the ticket is
   * unknown, already consumed or expired at `now` (an expired ticket is removed too).
   */
  consume(realm: string, hash: string, now: number): Promise<Ticket | null>;
  /** Deletes tickets that expired before `now`; returns how many. */
  purgeExpired(now: number): Promise<number>;
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
  /** Marks one record revoked. Returns false when absent. */
  revoke(realm: string, id: string): Promise<boolean>;
  /** Marks every record of the grant revoked; returns how many changed. */
  revokeGrant(realm: string, grantId: string): Promise<number>;
  /**
   * The unrevoked records of kind 'rpt' or 'refresh' in the realm, unexpired at `now` (`expiresAt > now`),
   * whose `data.permissions` contain a permission with exactly this `resourceId`; any order. Records of
   * other kinds, realms or resources never appear, whatever characters the id holds. For revoking what
   * an owner stops sharing: it may scan every live token record of the realm, so call it once per
   * policy change, never on a request path.
   */
  listLiveByResource(realm: string, resourceId: string, now: number): Promise<TokenRecord[]>;
  /** Deletes records that expired before `now`; returns how many. */
  purgeExpired(now: number): Promise<number>;
}

export interface SessionStore {
  insert(session: Session): Promise<void>;
  /** Null when unknown or expired at `now`. */
  get(realm: string, hash: string, now: number): Promise<Session | null>;
  delete(realm: string, hash: string): Promise<boolean>;
}

export interface AccessRequestStore {
  /**
   * Records a pending request, or refreshes the pending one of the same (realm, owner, resource,
   * requester, client) with the union of scopes. Never creates a duplicate. Returns the stored request.
   */
  upsertPending(request: AccessRequest): Promise<AccessRequest>;
  get(realm: string, owner: string, id: string): Promise<AccessRequest | null>;
  /** The owner's requests with this status (all when undefined), newest first. */
  list(realm: string, owner: string, status?: AccessRequestStatus): Promise<AccessRequest[]>;
  /** Sets the status when the request is pending. Returns false when absent or no longer pending. */
  answer(realm: string, owner: string, id: string, status: 'approved' | 'denied', now: number): Promise<boolean>;
}

/** Failed sign-ins in a row under one (realm, user name). */
export interface LoginFailures {
  failures: number;
  /** Seconds since the epoch. */
  lastFailureAt: number;
}

/**
 * Rate-limit and lockout state, shared by every node through the database. Keys are opaque strings the
 * caller builds (they name the limit and the client address or client id); user names are exact.
 */
export interface RateLimitStore {
  /**
   * Adds one hit to the counter of each key for the window starting at `windowStart` (a new counter
   * starts at 1) and returns each key's count after it, in the order of `keys` (a key given twice is
   * counted once, and both positions get its count). One atomic statement: concurrent hits, from any
   * number of processes, are each counted exactly once. `expiresAt` is when the counter may be purged.
   */
  hit(keys: string[], windowStart: number, expiresAt: number): Promise<number[]>;
  /** The failures recorded for (realm, username); null when none. */
  failures(realm: string, username: string): Promise<LoginFailures | null>;
  /**
   * Atomically counts one more failure at `now` and returns the record after it. The count starts
   * again at 1 when the previous failure was before `resetBefore`. Concurrent failures are each counted.
   */
  recordFailure(realm: string, username: string, now: number, resetBefore: number): Promise<LoginFailures>;
  /** Forgets the failures of (realm, username); nothing happens when there are none. */
  clearFailures(realm: string, username: string): Promise<void>;
  /** Deletes counters with `expiresAt < now` and failure records last failed before `forgetBefore`; returns how many rows. */
  purgeExpired(now: number, forgetBefore: number): Promise<number>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  realms: RealmStore;
  keys: KeyStore;
  users: UserStore;
  clients: ClientStore;
  resources: ResourceStore;
  policies: PolicyStore;
  tickets: TicketStore;
  tokens: TokenStore;
  sessions: SessionStore;
  accessRequests: AccessRequestStore;
  rateLimits: RateLimitStore;
  /**
   * Runs `fn` in one database transaction with stores bound to it; commits when it resolves, rolls back
   * when it throws. Keep it short: on SQLite it holds the only connection.
   */
  transaction<T>(fn: (tx: Omit<Store, 'transaction' | 'close' | 'ping'>) => Promise<T>): Promise<T>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
