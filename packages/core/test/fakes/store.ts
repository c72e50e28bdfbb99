/**
 * @module test/fakes/store
 * A Store in memory for the core's unit tests: the fakes of this folder behind the Store port. A
 * method no fake implements throws, naming itself, so a test never passes through a stub. The
 * transaction runs one at a time (as SQLite's one connection does), joins an enclosing one, and
 * restores every table when its callback throws.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Store } from '@steward/core';
import { FakeAccessRequests } from './access-requests.ts';
import { FakeAudit } from './audit.ts';
import { FakeClients } from './clients.ts';
import { FakeGrants } from './grants.ts';
import { FakeGroups } from './groups.ts';
import { FakeOrganizations } from './organizations.ts';
import { FakeOutbox } from './outbox.ts';
import { FakePolicies } from './policies.ts';
import { FakeResources } from './resources.ts';
import { Table } from './table.ts';
import { FakeTickets } from './tickets.ts';
import { FakeTokens } from './tokens.ts';
import { FakeUsers } from './users.ts';
import { FakeWebhooks } from './webhooks.ts';

/** The fakes themselves, for arranging a test and reading what a service wrote. */
export interface Fakes {
  users: FakeUsers;
  clients: FakeClients;
  resources: FakeResources;
  policies: FakePolicies;
  tickets: FakeTickets;
  tokens: FakeTokens;
  grants: FakeGrants;
  accessRequests: FakeAccessRequests;
  groups: FakeGroups;
  organizations: FakeOrganizations;
  webhooks: FakeWebhooks;
  outbox: FakeOutbox;
  audit: FakeAudit;
}

/** `impl` as a whole `T`: members it lacks throw when called. */
function partial<T extends object>(name: string, impl: Partial<T>): T {
  return new Proxy(impl, {
    get(target, prop) {
      if (prop in target) {
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      return () => {
        throw new Error(`the fake store has no ${name}.${prop}`);
      };
    },
  }) as T;
}

export function fakeStore(): { store: Store; fakes: Fakes } {
  const tables = (): Table<unknown>[] => Object.values(fakes).flatMap((f: object) => Object.values(f).filter((v): v is Table<unknown> => v instanceof Table));
  const inside = new AsyncLocalStorage<true>();
  let queue: Promise<unknown> = Promise.resolve();
  const atomically = <T>(fn: () => Promise<T>): Promise<T> => {
    if (inside.getStore()) return fn();
    const run = async (): Promise<T> => {
      const saved = tables().map((t) => [t, t.snapshot()] as const);
      try {
        return await inside.run(true, fn);
      } catch (error) {
        for (const [t, snapshot] of saved) t.restore(snapshot);
        throw error;
      }
    };
    const result = queue.then(run);
    queue = result.catch(() => undefined);
    return result;
  };
  const tickets = new FakeTickets();
  const tokens = new FakeTokens();
  const audit = new FakeAudit();
  const outbox = new FakeOutbox();
  const fakes: Fakes = {
    users: new FakeUsers(),
    clients: new FakeClients(),
    resources: new FakeResources(),
    policies: new FakePolicies(),
    tickets,
    tokens,
    grants: new FakeGrants({ tickets, tokens, audit, outbox, atomically }),
    accessRequests: new FakeAccessRequests(),
    groups: new FakeGroups(),
    organizations: new FakeOrganizations(),
    webhooks: new FakeWebhooks(),
    outbox,
    audit,
  };
  // The stores no fake implements yet: every method throws, naming itself.
  const absent: Array<[string, object]> = ['realms', 'keys', 'revocations', 'sessions', 'rateLimits', 'resourceServerConfigs'].map((name) => [name, {}]);
  const stores = Object.fromEntries([...Object.entries(fakes), ...absent].map(([name, fake]) => [name, partial(name, fake)]));
  const store: Store = partial<Store>('store', {
    ...stores,
    transaction: (fn) => atomically(() => fn(store)),
    ping: async () => undefined,
    close: async () => undefined,
  });
  return { store, fakes };
}
