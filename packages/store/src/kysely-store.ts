/**
 * @module kysely-store
 * The Store: one Kysely instance, the aggregate stores bound to it, `transaction` handing `fn` the
 * same stores bound to a Kysely transaction, and the operations port of the database.
 */
import type { PoolStats, Store, StoreOperations } from '@steward/core';
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
import { storeOperations } from './stores/operations.ts';

export type Dialect = StoreOperations['dialect'];
export type BoundStores = Omit<Store, 'transaction' | 'close' | 'ping'>;

/** A Store as `openStore` returns it: the core's storage ports, and the operations port of its database. */
export interface OpenedStore extends Store {
  /** Readiness, metrics and upkeep for operators (ports/store/operations); no core service reads it. */
  readonly operations: StoreOperations;
}

/**
 * The aggregate stores over one executor (the database or a transaction): the one place a store is
 * added. `durable` is told of each write that removes access: by default the database's own (it syncs
 * at once); a transaction passes its own (one sync after the commit).
 */
export function bindStores(db: Kysely<Database>, dialect: Dialect, durable: WriteDurability = durabilityOf(db).immediate): BoundStores {
  return {
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

/** The Store over one Kysely instance: the stores bound to it once, and its operations. */
export function kyselyStore(db: Kysely<Database>, dialect: Dialect, poolStats: () => PoolStats | null = () => null): OpenedStore {
  let closed: Promise<void> | null = null;
  return {
    ...bindStores(db, dialect),
    operations: storeOperations(db, dialect, poolStats),
    /**
     * Commits when `fn` resolves, rolls back when it throws (the error propagates unchanged). When `fn`
     * removed access, the commit is made durable (durability) before the promise resolves.
     */
    async transaction<T>(fn: (tx: BoundStores) => Promise<T>): Promise<T> {
      const durable = durabilityOf(db).transaction();
      const result = await db.transaction().execute((trx) => fn(bindStores(trx, dialect, durable)));
      durable.committed();
      return result;
    },
    async ping(): Promise<void> {
      await sql`select 1`.execute(db);
    },
    /** Idempotent. */
    close(): Promise<void> {
      closed ??= db.destroy();
      return closed;
    },
  };
}
