/**
 * @module kysely-store
 * The Store: one Kysely instance, the aggregate stores bound to it, and `transaction` handing `fn`
 * the same stores bound to a Kysely transaction.
 */
import type { Store } from '@steward/core';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { durabilityOf, type WriteDurability } from './durability.ts';
import { KyselyAccessRequestStore } from './stores/access-requests.ts';
import { KyselyAuditStore } from './stores/audit.ts';
import { KyselyClientStore } from './stores/clients.ts';
import { KyselyKeyStore } from './stores/keys.ts';
import { KyselyPolicyStore } from './stores/policies.ts';
import { KyselyRealmStore } from './stores/realms.ts';
import { KyselyResourceStore } from './stores/resources.ts';
import { KyselySessionStore } from './stores/sessions.ts';
import { KyselyTicketStore } from './stores/tickets.ts';
import { KyselyTokenStore } from './stores/tokens.ts';
import { KyselyUserStore } from './stores/users.ts';
import { KyselyRateLimitStore } from './stores/rate-limits.ts';
import { KyselyResourceServerConfigStore } from './stores/resource-server-configs.ts';
import { KyselyGroupStore } from './stores/groups.ts';
import { KyselyOrganizationStore } from './stores/organizations.ts';
import { KyselyWebhookStore } from './stores/webhooks.ts';
import { KyselyOutboxStore } from './stores/outbox.ts';
import { KyselyGrantStore } from './stores/grants.ts';
import { KyselyRevocationLog } from './stores/revocations.ts';
import { storeOperations, type PoolStats, type StoreOperations } from './stores/operations.ts';

export type Dialect = Store['dialect'];
export type BoundStores = Omit<Store, 'transaction' | 'close' | 'ping'>;

/**
 * The aggregate stores over one executor (the database or a transaction). `durable` is told of each
 * write that removes access: by default the database's own (it syncs at once); a transaction passes
 * its own (one sync after the commit).
 */
export function bindStores(db: Kysely<Database>, dialect: Dialect, durable: WriteDurability = durabilityOf(db).immediate): BoundStores {
  return {
    dialect,
    realms: new KyselyRealmStore(db, durable),
    keys: new KyselyKeyStore(db, durable),
    users: new KyselyUserStore(db, durable),
    clients: new KyselyClientStore(db, durable),
    resources: new KyselyResourceStore(db, durable),
    policies: new KyselyPolicyStore(db, durable),
    tickets: new KyselyTicketStore(db),
    tokens: new KyselyTokenStore(db, durable),
    grants: new KyselyGrantStore(db, dialect),
    revocations: new KyselyRevocationLog(db),
    sessions: new KyselySessionStore(db, durable),
    accessRequests: new KyselyAccessRequestStore(db),
    rateLimits: new KyselyRateLimitStore(db),
    resourceServerConfigs: new KyselyResourceServerConfigStore(db),
    groups: new KyselyGroupStore(db, durable),
    organizations: new KyselyOrganizationStore(db, durable),
    webhooks: new KyselyWebhookStore(db),
    outbox: new KyselyOutboxStore(db, dialect),
    audit: new KyselyAuditStore(db),
  };
}

export class KyselyStore implements Store {
  readonly dialect: Dialect;
  readonly realms: Store['realms'];
  readonly keys: Store['keys'];
  readonly users: Store['users'];
  readonly clients: Store['clients'];
  readonly resources: Store['resources'];
  readonly policies: Store['policies'];
  readonly tickets: Store['tickets'];
  readonly tokens: Store['tokens'];
  readonly grants: Store['grants'];
  readonly revocations: Store['revocations'];
  readonly sessions: Store['sessions'];
  readonly accessRequests: Store['accessRequests'];
  readonly rateLimits: Store['rateLimits'];
  readonly resourceServerConfigs: Store['resourceServerConfigs'];
  readonly groups: Store['groups'];
  readonly organizations: Store['organizations'];
  readonly webhooks: Store['webhooks'];
  readonly outbox: Store['outbox'];
  readonly audit: Store['audit'];
  readonly #db: Kysely<Database>;
  #closed: Promise<void> | null = null;
  /** Readiness and metrics for operators (not a core port). */
  readonly operations: StoreOperations;

  constructor(db: Kysely<Database>, dialect: Dialect, poolStats: () => PoolStats | null = () => null) {
    this.#db = db;
    this.operations = storeOperations(db, poolStats);
    const stores = bindStores(db, dialect);
    this.dialect = dialect;
    this.realms = stores.realms;
    this.keys = stores.keys;
    this.users = stores.users;
    this.clients = stores.clients;
    this.resources = stores.resources;
    this.policies = stores.policies;
    this.tickets = stores.tickets;
    this.tokens = stores.tokens;
    this.grants = stores.grants;
    this.revocations = stores.revocations;
    this.sessions = stores.sessions;
    this.accessRequests = stores.accessRequests;
    this.rateLimits = stores.rateLimits;
    this.resourceServerConfigs = stores.resourceServerConfigs;
    this.groups = stores.groups;
    this.organizations = stores.organizations;
    this.webhooks = stores.webhooks;
    this.outbox = stores.outbox;
    this.audit = stores.audit;
  }

  /**
   * Commits when `fn` resolves, rolls back when it throws (the error propagates unchanged). When `fn`
   * removed access, the commit is made durable (durability) before the promise resolves.
   */
  async transaction<T>(fn: (tx: BoundStores) => Promise<T>): Promise<T> {
    const durable = durabilityOf(this.#db).transaction();
    const result = await this.#db.transaction().execute((trx) => fn(bindStores(trx, this.dialect, durable)));
    durable.committed();
    return result;
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  /** Idempotent. */
  close(): Promise<void> {
    this.#closed ??= this.#db.destroy();
    return this.#closed;
  }
}
