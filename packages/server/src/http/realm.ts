/** @module http/realm — resolves the `{realm}` URL segment to a realm, with a short per-process cache. */
import { fail, REALM_ID_PATTERN, type Realm } from '@steward/core';
import type { Deps } from '../deps.ts';

const CACHE_SECONDS = 5;
const cache = new WeakMap<Deps, Map<string, { at: number; realm: Realm | null }>>();

/** The realm, or `not_found`. Settings changed on another node are seen within a few seconds. */
export async function loadRealm(deps: Deps, id: string): Promise<Realm> {
  let byId = cache.get(deps);
  if (!byId) cache.set(deps, (byId = new Map()));
  const now = deps.clock.now();
  const hit = byId.get(id);
  let realm: Realm | null;
  if (hit && now - hit.at < CACHE_SECONDS) realm = hit.realm;
  else {
    // Only a well-formed id can name a realm (and PostgreSQL refuses NUL in text).
    realm = REALM_ID_PATTERN.test(id) ? await deps.store.realms.get(id) : null;
    if (byId.size > 1000) byId.clear();
    byId.set(id, { at: now, realm });
  }
  if (!realm) throw fail('not_found', `Realm not found: ${id.slice(0, 64)}`);
  return realm;
}

/** Drop cached realms (after an update in this process). */
export function forgetRealm(deps: Deps, id: string): void {
  cache.get(deps)?.delete(id);
}
