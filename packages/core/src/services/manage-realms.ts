/**
 * @module services/manage-realms
 * Realm administration after creation (admin API and CLI): change the display name and settings, and
 * delete a realm. Settings are checked against the one table (model/realm-settings) exactly as at
 * creation; only the settings given change. Deleting is refused while the realm holds anything
 * (users, clients, resources, policies, groups, organizations, resource-server configurations) unless
 * forced; a forced deletion removes every record of the realm in one transaction.
 */
import { fail } from '../errors.ts';
import { REALM_ID_PATTERN, type Realm, type RealmContent } from '../model/realm.ts';
import { readRealmSettingsPatch } from '../model/realm-settings.ts';
import type { Ports } from './ports.ts';

export interface RealmChanges {
  displayName?: string;
  /** Some settings (unknown names and bad values are `invalid_request`); the others keep their values. */
  settings?: unknown;
}

const CONTENT_NAMES: Record<RealmContent, string> = {
  users: 'users',
  clients: 'clients',
  resources: 'resources',
  policies: 'sharing policies',
  groups: 'groups',
  organizations: 'organizations',
  resourceServers: 'resource-server configurations',
};

/** Checks the changes before anything is read; `invalid_request` naming the member. */
function checkChanges(changes: RealmChanges): { displayName?: string; settings?: Partial<Realm['settings']> } {
  const out: { displayName?: string; settings?: Partial<Realm['settings']> } = {};
  if (changes.displayName !== undefined) {
    if (typeof changes.displayName !== 'string' || changes.displayName.length === 0 || changes.displayName.length > 255) throw fail('invalid_request', 'displayName must be 1–255 characters');
    out.displayName = changes.displayName;
  }
  if (changes.settings !== undefined) out.settings = readRealmSettingsPatch(changes.settings);
  return out;
}

async function existing(tx: Pick<Ports['store'], 'realms'>, id: string): Promise<Realm> {
  const realm = REALM_ID_PATTERN.test(id) ? await tx.realms.get(id) : null;
  if (!realm) throw fail('not_found', `Realm ${id.slice(0, 64)} not found`);
  return realm;
}

/** Changes the realm's display name and some of its settings; returns the realm as it is now. */
export async function updateRealm(ports: Pick<Ports, 'store'>, id: string, changes: RealmChanges): Promise<Realm> {
  const checked = checkChanges(changes);
  return ports.store.transaction(async (tx) => {
    const realm = await existing(tx, id);
    const next: Realm = { ...realm, displayName: checked.displayName ?? realm.displayName, settings: { ...realm.settings, ...checked.settings } };
    await tx.realms.update(next);
    return next;
  });
}

/**
 * Deletes the realm. Without `force`, `conflict` names what it still holds (the clients in
 * `builtInClients`, which the server registers in every realm, do not count). With `force`, or when it
 * holds nothing, every record of the realm goes with it in one transaction. Returns what it held.
 */
export async function deleteRealm(ports: Pick<Ports, 'store'>, id: string, options: { force: boolean; builtInClients: readonly string[] }): Promise<RealmContent[]> {
  return ports.store.transaction(async (tx) => {
    const realm = await existing(tx, id);
    const held = await tx.realms.contents(realm.id, options.builtInClients);
    if (held.length > 0 && !options.force) {
      throw fail('conflict', `Realm ${realm.id} still has ${held.map((k) => CONTENT_NAMES[k]).join(', ')}: delete them first, or force the deletion to remove everything of the realm`);
    }
    await tx.realms.delete(realm.id);
    return held;
  });
}
