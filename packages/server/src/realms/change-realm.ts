/**
 * @module realms/change-realm
 * The server's side of realm updates and deletions (admin API and CLI): the core services, then this
 * process's caches of the realm and its keys are dropped so the change is seen at once here (other
 * nodes see it within the realm cache's few seconds, http/realm).
 */
import { deleteRealm, updateRealm, type Realm, type RealmChanges, type RealmContent } from '@steward/core';
import type { Deps } from '../deps.ts';
import { forgetRealm } from '../http/realm.ts';
import { ACCOUNT_CONSOLE_CLIENT_ID } from './create-realm.ts';

export async function changeRealm(deps: Deps, id: string, changes: RealmChanges): Promise<Realm> {
  const realm = await updateRealm(deps, id, changes);
  forgetRealm(deps, realm.id);
  return realm;
}

/**
 * Deletes the realm (see core `deleteRealm`); the account console's client, which every realm gets,
 * does not count as something the realm holds.
 */
export async function removeRealm(deps: Deps, id: string, force: boolean): Promise<RealmContent[]> {
  const held = await deleteRealm(deps, id, { force, builtInClients: [ACCOUNT_CONSOLE_CLIENT_ID] });
  forgetRealm(deps, id);
  deps.keys.invalidate(id);
  return held;
}
