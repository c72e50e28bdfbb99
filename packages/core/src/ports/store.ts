/**
 * @module ports/store
 * The storage ports, one interface per aggregate. Every store implementation (SQLite, PostgreSQL) passes
 * the one shared suite in packages/store/test/store-suite.ts. All times are seconds since the epoch.
 * Every lookup is scoped by realm; resources and policies also by owner. Nothing is looked up by name
 * except a user at sign-in. Tickets, tokens, sessions and the grant's use-case port are in
 * ports/token-stores.ts.
 */
import type { AccessRequest } from '../model/access-request.ts';
import type { Group } from '../model/group.ts';
import type { Organization } from '../model/organization.ts';
import type { ResourceServerConfig } from '../model/resource-server-config.ts';
import type { Client } from '../model/client.ts';
import type { EventType, StewardEvent } from '../model/event.ts';
import type { SigningKey } from '../model/key.ts';
import type { Policy } from '../model/policy.ts';
import type { Realm, RealmContent } from '../model/realm.ts';
import type { Resource } from '../model/resource.ts';
import type { User } from '../model/user.ts';
import type { Webhook } from '../model/webhook.ts';
import type { ClaimedDelivery, OutboxChannel, OutboxCounts, OutboxDelivery, OutboxStatus } from '../model/outbox.ts';
import type { GrantStore, RevocationLog, SessionStore, TicketStore, TokenStore } from './token-stores.ts';
import type { AccessRequestFilter, AccessRequestPageQuery, PolicyFilter, PolicyPageQuery, ResourceFilter, ResourcePageQuery, ServerResourcePageQuery, SortKey } from './pages.ts';

export type * from './pages.ts';

export type { GrantRecords, GrantStore, RevocationLog, SessionStore, TicketStore, TokenStore } from './token-stores.ts';

export interface RealmStore {
  /** null when absent. */
  get(id: string): Promise<Realm | null>;
  /** Throws `conflict` when the id exists. */
  create(realm: Realm): Promise<void>;
  /** Replaces display name and settings. Returns false when absent. */
  update(realm: Realm): Promise<boolean>;
  /** Ordered by id. */
  list(): Promise<Realm[]>;
  /**
   * What the realm holds besides its settings, signing keys and webhooks, as the kinds that have at
   * least one record, in the order of REALM_CONTENTS; clients named in `ignoreClients` (those the
   * server registers itself) do not count.
   */
  contents(id: string, ignoreClients: readonly string[]): Promise<RealmContent[]>;
  /**
   * Deletes the realm and every record of it (keys, users, clients, resources, policies, tickets,
   * tokens, sessions, access requests, groups, organizations, webhooks, deliveries, audit events,
   * failed sign-ins…) all at once: in the caller's transaction, else in one of its own, so a failure
   * leaves everything in place. False when the realm does not exist.
   */
  delete(id: string): Promise<boolean>;
}

export interface KeyStore {
  /**
   * The realm's published keys, oldest first (created, then kid): without `now`, those whose `retiredAt`
   * is null; with `now`, also those retiring later (`retiredAt > now`), which still verify.
   */
  list(realm: string, now?: number): Promise<SigningKey[]>;
  /** Every key of the realm, retired ones included, oldest first (for `steward keys list`). */
  listAll(realm: string): Promise<SigningKey[]>;
  insert(key: SigningKey): Promise<void>;
  /**
   * Schedules the key's retirement at `at`; a retirement already scheduled earlier is kept. Returns false
   * when the key is absent.
   */
  retire(realm: string, kid: string, at: number): Promise<boolean>;
  /** Deletes (private key included) at most `limit` keys retired before `now`, any realm; returns how many. */
  purgeRetired(now: number, limit: number): Promise<number>;
}

export interface UserStore {
  get(realm: string, id: string): Promise<User | null>;
  /** Exact, case-sensitive match. For sign-in and for resolving policy subjects. */
  findByUsername(realm: string, username: string): Promise<User | null>;
  /**
   * The users of the realm whose e-mail is exactly `email` (case-sensitive), ordered by username, at most
   * `limit` (the caller asks for 2 to tell one match from several). For the share dialog's exact lookup;
   * not indexed by e-mail, so it reads the realm's users in the database: never on a grant's path.
   */
  findByEmail(realm: string, email: string, limit: number): Promise<User[]>;
  /** Throws `conflict` when the username exists in the realm. */
  create(user: User): Promise<void>;
  /** Ordered by username. */
  list(realm: string): Promise<User[]>;
  /**
   * Replaces email, password hash, admin and disabled of the user (realm, id); the username and
   * createdAt never change. Returns false when absent.
   */
  update(user: User): Promise<boolean>;
  /** Deletes the user row only (the caller deals with what refers to it). Returns false when absent. */
  delete(realm: string, id: string): Promise<boolean>;
}

export interface ClientStore {
  get(realm: string, clientId: string): Promise<Client | null>;
  /** Throws `conflict` when the client id exists in the realm. */
  create(client: Client): Promise<void>;
  /** Ordered by client id. */
  list(realm: string): Promise<Client[]>;
  /** Replaces every field of the client (realm, clientId) but createdAt. Returns false when absent. */
  update(client: Client): Promise<boolean>;
  /** Deletes the client row only. Returns false when absent. */
  delete(realm: string, clientId: string): Promise<boolean>;
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
  /** One page of the owner's resources that match, in `query.order` after `query.after` (ports/pages). */
  page(realm: string, owner: string, query: ResourcePageQuery): Promise<Resource[]>;
  /** How many of the owner's resources match, counting no further than `limit`. */
  count(realm: string, owner: string, filter: ResourceFilter, limit: number): Promise<number>;
  /** Whether any resource of the realm (any owner) was registered by this resource server. Admin checks only. */
  existsForResourceServer(realm: string, resourceServer: string): Promise<boolean>;
  /** Every resource of the realm (any owner) ordered by id: realm export. */
  listByRealm(realm: string): Promise<Resource[]>;
  /**
   * The resource with this id registered by `resourceServer` in the realm, whoever owns it; null for an
   * unknown id or a resource of another resource server. For the Keycloak ticketless grant, where the
   * resource server names a resource by id for a requesting party (ids are unguessable UUIDs).
   */
  getByServer(realm: string, resourceServer: string, id: string): Promise<Resource | null>;
  /**
   * The resources among `ids` registered by `resourceServer` in the realm, whoever owns them; unknown
   * ids and resources of another resource server are simply absent. Any order. Read by primary key.
   */
  getManyByServer(realm: string, resourceServer: string, ids: string[]): Promise<Resource[]>;
  /**
   * One page of the resources `resourceServer` registered in the realm (any owner) that match, by id
   * after `query.after` (ports/pages), from an index leading with (realm, resource server).
   */
  pageByServer(realm: string, resourceServer: string, query: ServerResourcePageQuery): Promise<Resource[]>;
  /**
   * The resources of `resourceServer` whose name is exactly `name` (case-sensitive) and that one of
   * `owners` owns; any order. Never through a share: whoever shares chooses the name. Empty: nothing.
   */
  findByName(realm: string, resourceServer: string, name: string, owners: string[]): Promise<Resource[]>;
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
  /** One page of the owner's policies that match, in `query.order` after `query.after` (ports/pages). */
  page(realm: string, owner: string, query: PolicyPageQuery): Promise<Policy[]>;
  /** How many of the owner's policies match, counting no further than `limit`. */
  count(realm: string, owner: string, filter: PolicyFilter, limit: number): Promise<number>;
  /**
   * Ids of the resources that policies of any owner name `subject` on (exactly), ascending, after
   * `after` (a resource id), at most `limit`. For "shared with me": indexed by (realm, subject, resource id).
   */
  pageResourcesNaming(realm: string, subject: string, after: string | undefined, limit: number): Promise<string[]>;
  /**
   * Whether any policy of the realm (any owner, any resource) has a permission whose subject is exactly
   * `subject`. An admin check (deleting a user): it may scan the realm's policy subjects.
   */
  isSubjectNamed(realm: string, subject: string): Promise<boolean>;
  /** Every policy of the realm (any owner) ordered by id, then owner: realm export. */
  listByRealm(realm: string): Promise<Policy[]>;
}

export interface AccessRequestStore {
  /**
   * Records a pending request, or refreshes the pending one of the same (realm, owner, resource,
   * requester, client) with the union of scopes. Never creates a duplicate. Returns the stored request.
   */
  upsertPending(request: AccessRequest): Promise<AccessRequest>;
  get(realm: string, owner: string, id: string): Promise<AccessRequest | null>;
  /** One page of the owner's requests that match, newest first (key: createdAt, id) after `query.after`. */
  page(realm: string, owner: string, query: AccessRequestPageQuery): Promise<AccessRequest[]>;
  /** How many of the owner's requests match, counting no further than `limit`. */
  count(realm: string, owner: string, filter: AccessRequestFilter, limit: number): Promise<number>;
  /**
   * One page of the requests a requesting party made (`requester` exactly), to any owner, newest first
   * (key: createdAt, id) after `after`. Indexed by (realm, requester).
   */
  pageByRequester(realm: string, requester: string, after: SortKey | undefined, limit: number): Promise<AccessRequest[]>;
  /**
   * Sets the status (and updatedAt to `now`) when the request is pending, in one conditional statement:
   * of concurrent answers exactly one wins. `approvedScopes` (approvals only) records what was granted.
   * Returns false when absent or no longer pending.
   */
  answer(realm: string, owner: string, id: string, status: 'approved' | 'denied', now: number, approvedScopes?: string[]): Promise<boolean>;
  /** The requester's denied requests on the owner's resource (any client), newest answer first. */
  listDenied(realm: string, owner: string, resourceId: string, requester: string): Promise<AccessRequest[]>;
  /**
   * Withdraws the owner's denial: a denied request becomes pending again (updatedAt `now`). When a
   * pending request of the same key exists meanwhile, the denied one's scopes are merged into it and
   * the denied one is removed. Returns the pending request that now holds the scopes; null when the
   * request is absent or not denied. Throws `conflict` when a concurrent writer made a twin pending.
   */
  reopen(realm: string, owner: string, id: string, now: number): Promise<AccessRequest | null>;
}

/** Which events an audit query returns: every given condition holds (absent ones match all). */
export interface AuditFilter {
  /** Any of these types (an empty list matches nothing). */
  types?: EventType[];
  resourceId?: string;
  requester?: string;
  clientId?: string;
  requestId?: string;
  /** `at >= atLeast`. */
  atLeast?: number;
  /** `at <= atMost`. */
  atMost?: number;
}

export interface AuditQuery {
  filter?: AuditFilter;
  /** By time, ties in the order the events were appended. Default 'asc' (oldest first). */
  sort?: 'asc' | 'desc';
  /** Matches to skip. Default 0. */
  offset?: number;
  /** Start after this key (an AuditPage's `keys` entry) instead of at the first match. */
  after?: SortKey;
  /** Most events to return (0: none, only the total). */
  limit: number;
  /** Count the matches up to this many (0 or absent: no count, `total` is -1). */
  countLimit?: number;
}

export interface AuditPage {
  events: StewardEvent[];
  /** Each event's sort key (its time and append order), for `after`. */
  keys: SortKey[];
  /** How many events match the filter (at most the query's `countLimit`), whatever the offset and limit; -1 when not counted. */
  total: number;
}

/**
 * The audit log: append-only. No method updates or deletes one event; only a whole realm's log can be
 * purged (when the realm itself goes).
 */
export interface AuditStore {
  /** Writes all events or none (throws `conflict` when an (realm, id) exists). An empty list writes nothing. */
  append(events: StewardEvent[]): Promise<void>;
  /** The owner's events in the realm matching the query; events of other owners or realms never appear. */
  query(realm: string, owner: string, query: AuditQuery): Promise<AuditPage>;
  /** Deletes every event of the realm; returns how many. */
  purgeRealm(realm: string): Promise<number>;
}

/** Failed sign-ins in a row under one (realm, key): a user name, or a user name at a client address (services/login-lockout). */
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
  /** The count of `key` in the window starting at `windowStart`, without adding a hit (0 when none). */
  count(key: string, windowStart: number): Promise<number>;
  /** The failures recorded for (realm, key); null when none. Keys are exact. */
  failures(realm: string, key: string): Promise<LoginFailures | null>;
  /**
   * Atomically counts one more failure at `now` and returns the record after it. The count starts
   * again at 1 when the previous failure was before `resetBefore`. Concurrent failures are each counted.
   */
  recordFailure(realm: string, key: string, now: number, resetBefore: number): Promise<LoginFailures>;
  /** Forgets the failures of (realm, key); nothing happens when there are none. */
  clearFailures(realm: string, key: string): Promise<void>;
  /** Forgets the failures of every (realm, key) whose key starts with `prefix` (compared exactly, no pattern). */
  clearFailuresStartingWith(realm: string, prefix: string): Promise<void>;
  /** Deletes counters with `expiresAt < now` and failure records last failed before `forgetBefore`; returns how many rows. */
  purgeExpired(now: number, forgetBefore: number): Promise<number>;
}

/** A realm's webhook subscriptions. Secrets are stored as given (signing needs them). */
export interface WebhookStore {
  /** Null when absent. */
  get(realm: string, id: string): Promise<Webhook | null>;
  /** The realm's webhooks ordered by id. */
  list(realm: string): Promise<Webhook[]>;
  /** Throws `conflict` when the realm has a webhook with this id. */
  create(webhook: Webhook): Promise<void>;
  /** Creates the webhook, or replaces url, secret, events and enabled of the one with this id (createdAt kept). */
  put(webhook: Webhook): Promise<void>;
  /** Returns false when absent. Pending deliveries to it stay; the worker dead-letters them. */
  delete(realm: string, id: string): Promise<boolean>;
}

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

/** One public configuration per (realm, resource server) (ForgeRock's UMA scope model). */
export interface ResourceServerConfigStore {
  /** null when the resource server has published none. */
  get(realm: string, resourceServer: string): Promise<ResourceServerConfig | null>;
  /** Creates or replaces the whole configuration of (realm, resource server). */
  put(config: ResourceServerConfig): Promise<void>;
  /** Returns false when there was none. */
  delete(realm: string, resourceServer: string): Promise<boolean>;
}

/** Groups of users, per realm; every lookup by (realm, id) except `findByName` for policy subjects. */
export interface GroupStore {
  /** Throws `conflict` when the id or the name exists in the realm. */
  create(group: Group): Promise<void>;
  get(realm: string, id: string): Promise<Group | null>;
  /** Exact, case-sensitive match: for resolving a `group:{name}` policy subject. */
  findByName(realm: string, name: string): Promise<Group | null>;
  /** Ordered by name. */
  list(realm: string): Promise<Group[]>;
  /** Deletes the group and its memberships. Returns false when absent. */
  delete(realm: string, id: string): Promise<boolean>;
  /** Adds the user to the group; idempotent. Returns false (and writes nothing) when the group is absent. */
  addMember(realm: string, groupId: string, userId: string): Promise<boolean>;
  /** Returns false when the user was not a member. */
  removeMember(realm: string, groupId: string, userId: string): Promise<boolean>;
  /** User ids of the group's members, ordered; empty for an unknown group. */
  members(realm: string, groupId: string): Promise<string[]>;
  /** The groups the user belongs to, ordered by name. Indexed by (realm, user). */
  groupsOf(realm: string, userId: string): Promise<Group[]>;
}

/** Organizations, per realm, with their administrators (user ids) and clients (client ids). */
export interface OrganizationStore {
  /** Writes the organization with its admins and clients. Throws `conflict` when the id exists, or when one of its clients already belongs to an organization. */
  create(org: Organization): Promise<void>;
  get(realm: string, id: string): Promise<Organization | null>;
  /** Ordered by id. */
  list(realm: string): Promise<Organization[]>;
  /** Deletes it with its admin and client links. Returns false when absent. */
  delete(realm: string, id: string): Promise<boolean>;
  /** Idempotent. Returns false when the organization is absent. */
  addAdmin(realm: string, id: string, userId: string): Promise<boolean>;
  /** Returns false when the user was not an admin. */
  removeAdmin(realm: string, id: string, userId: string): Promise<boolean>;
  /**
   * Links the client to the organization; idempotent. Returns false when the organization is absent;
   * throws `conflict` when the client acts for another organization (a client acts for one at most).
   */
  addClient(realm: string, id: string, clientId: string): Promise<boolean>;
  /** Returns false when the client was not linked to it. */
  removeClient(realm: string, id: string, clientId: string): Promise<boolean>;
  /** The organization the client acts for, or null. Indexed by (realm, client). */
  ofClient(realm: string, clientId: string): Promise<Organization | null>;
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
  grants: GrantStore;
  revocations: RevocationLog;
  sessions: SessionStore;
  accessRequests: AccessRequestStore;
  rateLimits: RateLimitStore;
  resourceServerConfigs: ResourceServerConfigStore;
  groups: GroupStore;
  organizations: OrganizationStore;
  webhooks: WebhookStore;
  outbox: OutboxStore;
  audit: AuditStore;
  /**
   * Runs `fn` in one database transaction with stores bound to it; commits when it resolves, rolls back
   * when it throws. Keep it short: on SQLite it holds the only connection.
   */
  transaction<T>(fn: (tx: Omit<Store, 'transaction' | 'close' | 'ping'>) => Promise<T>): Promise<T>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
