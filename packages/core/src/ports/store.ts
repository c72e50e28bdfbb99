/**
 * @module ports/store
 * The storage ports: the Store, one contract per aggregate under ports/store/ (one file each), the
 * keyset paging of owner-facing lists (ports/store/pages) and what operators watch of the database
 * (ports/store/operations, not part of the Store). Every store implementation (SQLite, PostgreSQL)
 * passes the one shared suite in packages/store/test/store-suite.ts. All times are seconds since the
 * epoch (the outbox's retries and leases excepted). Every lookup is scoped by realm; resources and
 * policies also by owner. Nothing is looked up by name except a user at sign-in.
 */
import type { AccessRequestStore } from './store/access-requests.ts';
import type { AuditStore } from './store/audit.ts';
import type { ClientStore } from './store/clients.ts';
import type { GrantStore } from './store/grants.ts';
import type { GroupStore } from './store/groups.ts';
import type { KeyStore } from './store/keys.ts';
import type { OrganizationStore } from './store/organizations.ts';
import type { OutboxStore } from './store/outbox.ts';
import type { PolicyStore } from './store/policies.ts';
import type { RateLimitStore } from './store/rate-limits.ts';
import type { RealmStore } from './store/realms.ts';
import type { ResourceServerConfigStore } from './store/resource-server-configs.ts';
import type { ResourceStore } from './store/resources.ts';
import type { RevocationLog } from './store/revocations.ts';
import type { SessionStore } from './store/sessions.ts';
import type { TicketStore } from './store/tickets.ts';
import type { TokenStore } from './store/tokens.ts';
import type { UserStore } from './store/users.ts';
import type { WebhookStore } from './store/webhooks.ts';

export type * from './store/access-requests.ts';
export type * from './store/audit.ts';
export type * from './store/clients.ts';
export type * from './store/grants.ts';
export type * from './store/groups.ts';
export type * from './store/keys.ts';
export type * from './store/operations.ts';
export type * from './store/organizations.ts';
export type * from './store/outbox.ts';
export type * from './store/pages.ts';
export type * from './store/policies.ts';
export type * from './store/rate-limits.ts';
export type * from './store/realms.ts';
export type * from './store/resource-server-configs.ts';
export type * from './store/resources.ts';
export type * from './store/revocations.ts';
export type * from './store/sessions.ts';
export type * from './store/tickets.ts';
export type * from './store/tokens.ts';
export type * from './store/users.ts';
export type * from './store/webhooks.ts';

export interface Store {
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
