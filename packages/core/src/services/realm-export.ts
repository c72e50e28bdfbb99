/**
 * @module services/realm-export
 * A realm as one JSON document: settings, users, clients, resources, policies, groups, organizations and
 * resource-server configurations. Secrets appear only
 * as hashes (argon2id password hashes, SHA-256 client secret hashes); signing keys are not exported
 * (an import makes new ones). The document imports back with services/realm-import.ts, and exporting
 * the imported realm gives the same document.
 */
import { fail } from '../errors.ts';
import type { Client } from '../model/client.ts';
import type { Policy } from '../model/policy.ts';
import type { RealmSettings } from '../model/realm.ts';
import type { Resource } from '../model/resource.ts';
import type { User } from '../model/user.ts';
import type { Ports } from './ports.ts';
import { exportExtras, type RealmExtras } from './realm-document-extras.ts';

export const REALM_EXPORT_FORMAT = 'steward-realm';
export const REALM_EXPORT_VERSION = 1;

export interface RealmDocument {
  format: typeof REALM_EXPORT_FORMAT;
  version: typeof REALM_EXPORT_VERSION;
  realm: { id: string; displayName: string; settings: RealmSettings; createdAt: number };
  // Stored records without their `realm` (the document names it once): the document follows the model.
  users: Array<Omit<User, 'realm'>>;
  clients: Array<Omit<Client, 'realm'>>;
  resources: Array<Omit<Resource, 'realm'>>;
  policies: Array<Omit<Policy, 'realm'>>;
  groups: RealmExtras['groups'];
  organizations: RealmExtras['organizations'];
  resourceServers: RealmExtras['resourceServers'];
}

/** Drops the `realm` member every stored record carries (the document names the realm once). */
function withoutRealm<T extends { realm: string }>(record: T): Omit<T, 'realm'> {
  const { realm: _realm, ...rest } = record;
  return rest;
}

export async function exportRealm(ports: Pick<Ports, 'store'>, realmId: string): Promise<RealmDocument> {
  const realm = await ports.store.realms.get(realmId);
  if (!realm) throw fail('not_found', `Realm ${realmId.slice(0, 64)} not found`);
  const [users, clients, resources, policies] = await Promise.all([
    ports.store.users.list(realm.id),
    ports.store.clients.list(realm.id),
    ports.store.resources.listByRealm(realm.id),
    ports.store.policies.listByRealm(realm.id),
  ]);
  return {
    format: REALM_EXPORT_FORMAT,
    version: REALM_EXPORT_VERSION,
    realm: { id: realm.id, displayName: realm.displayName, settings: realm.settings, createdAt: realm.createdAt },
    users: users.map(withoutRealm),
    // A replaced secret in its grace period is not part of the realm: it ends with this database.
    clients: clients.map(({ previousSecret: _previous, ...client }) => withoutRealm(client)),
    resources: resources.map(withoutRealm),
    policies: policies.map(withoutRealm),
    ...(await exportExtras(ports.store, realm.id, clients.map((c) => c.clientId))),
  };
}
