/**
 * @module test/store-suite
 * The one suite every Store implementation passes: each port method's contract (round trips of every
 * field, nulls, ordering, owner scoping, conflicts, revisions, expiry, revocation, upserts,
 * transactions) and the single-use races. Each test gets a fresh store from `makeStore`.
 *
 *   storeSuite('sqlite', async () => ({ store, dialect: 'sqlite', cleanup, openAnother }))
 */
import { afterEach, beforeEach, describe } from 'node:test';
import type { Store } from '@steward/core';
import { accessRequestTests } from './suite/access-requests.ts';
import { administrationTests } from './suite/administration.ts';
import { auditTests } from './suite/audit.ts';
import { accessAnswerTests } from './suite/access-answers.ts';
import { concurrencyTests } from './suite/concurrency.ts';
import { consoleTests } from './suite/console.ts';
import type { StoreHandle } from './suite/fixtures.ts';
import { grantTests, identityFreshnessTests, issueTicketTests, sharingFreshnessTests, tokenFreshnessTests } from './suite/grants.ts';
import { identityTests } from './suite/identity.ts';
import { keycloakTests } from './suite/keycloak.ts';
import { keysetPageTests } from './suite/keyset-pages.ts';
import { longListTests } from './suite/long-lists.ts';
import { ownershipTests } from './suite/ownership.ts';
import { outboxTests } from './suite/outbox.ts';
import { rateLimitTests } from './suite/rate-limits.ts';
import { realmDeletionTests } from './suite/realm-deletion.ts';
import { revocationTests } from './suite/revocations.ts';
import { singleUseTests } from './suite/single-use.ts';
import { scopesGroupsOrgsTests } from './suite/scopes-groups-orgs.ts';
import { transactionTests } from './suite/transactions.ts';

export type { StoreHandle } from './suite/fixtures.ts';

/**
 * Declares the suite under `describe(name)`. `makeStore` must return a store on an empty database;
 * when the handle also has `openAnother`, the races run across two independent stores as well.
 */
export function storeSuite(name: string, makeStore: () => Promise<StoreHandle>): void {
  describe(name, () => {
    let current: StoreHandle | null = null;

    beforeEach(async () => {
      current = await makeStore();
    });

    afterEach(async () => {
      const handle = current;
      current = null;
      await handle?.cleanup();
    });

    const handle = (): StoreHandle => {
      if (!current) throw new Error('no store: storeSuite tests run between beforeEach and afterEach');
      return current;
    };
    const store = (): Store => handle().store;

    identityTests(store);
    administrationTests(store);
    ownershipTests(store);
    consoleTests(store);
    keycloakTests(store);
    longListTests(store);
    keysetPageTests(store);
    singleUseTests(store);
    accessRequestTests(store);
    auditTests(store);
    accessAnswerTests(store);
    transactionTests(store);
    scopesGroupsOrgsTests(store);
    realmDeletionTests(store);
    concurrencyTests(handle);
    rateLimitTests(handle);
    outboxTests(handle);
    grantTests(handle);
    revocationTests(handle);
    issueTicketTests(handle);
    identityFreshnessTests(handle);
    sharingFreshnessTests(handle);
    tokenFreshnessTests(handle);
  });
}
