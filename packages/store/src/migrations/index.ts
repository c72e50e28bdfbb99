/**
 * @module migrations
 * The versioned migrations, listed explicitly (no filesystem scanning) so they bundle and run the same
 * everywhere. Names sort in the order they apply; never rename or edit one that has shipped — add the next.
 */
import type { Migration, MigrationProvider } from 'kysely/migration';
import * as initial from './0001-initial.ts';
import * as policySharing from './0002-policy-sharing.ts';
import * as accessAudit from './0003-access-audit.ts';
import * as outbox from './0004-outbox.ts';
import * as scopesGroupsOrgs from './0005-scopes-groups-orgs.ts';
import * as adminKeys from './0006-admin-keys.ts';
import * as rateLimits from './0007-rate-limits.ts';
import * as keycloak from './0008-keycloak.ts';
import * as partyIndexes from './0009-party-indexes.ts';
import * as storeVersion from './0010-store-version.ts';
import * as keysetIndexes from './0011-keyset-indexes.ts';
import * as grantResources from './0012-grant-resources.ts';
import * as codePointOrder from './0013-code-point-order.ts';
import * as userEmailIndex from './0014-user-email-index.ts';
import * as serverResourceIndexes from './0015-server-resource-indexes.ts';
import * as revocations from './0016-revocations.ts';
import * as clientSecretRotation from './0017-client-secret-rotation.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-policy-sharing': policySharing,
  '0003-access-audit': accessAudit,
  '0004-outbox': outbox,
  '0005-scopes-groups-orgs': scopesGroupsOrgs,
  '0006-admin-keys': adminKeys,
  '0007-rate-limits': rateLimits,
  '0008-keycloak': keycloak,
  '0009-party-indexes': partyIndexes,
  '0010-store-version': storeVersion,
  '0011-keyset-indexes': keysetIndexes,
  '0012-grant-resources': grantResources,
  '0013-code-point-order': codePointOrder,
  '0014-user-email-index': userEmailIndex,
  '0015-server-resource-indexes': serverResourceIndexes,
  '0016-revocations': revocations,
  '0017-client-secret-rotation': clientSecretRotation,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return MIGRATIONS;
  },
};

/** Kysely's bookkeeping tables, named for Steward. */
export const MIGRATION_TABLE = 'steward_migration';
export const MIGRATION_LOCK_TABLE = 'steward_migration_lock';
