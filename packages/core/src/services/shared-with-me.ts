/**
 * @module services/shared-with-me
 * What others share with a user ("Shared with me"): every resource a policy names the user on (by
 * username or through one of her groups), the resource owner's primary policy or a re-share, with what the user holds of it now (scopes and when
 * they expire, computed as a grant would, whatever client) and the conditions of the permission.
 */
import { type RequestingParty } from '../decision/decide.ts';
import { decodeCursor, encodeCursor } from '../decision/page-cursor.ts';
import { compareText } from '../decision/text-order.ts';
import type { SortKey } from '../ports/store/pages.ts';
import { scanPage, type Page, type PageRequest } from './paging.ts';
import type { PolicyConditions } from '../model/policy.ts';
import type { Resource } from '../model/resource.ts';
import type { User } from '../model/user.ts';
import { groupSubjectsOf } from './groups.ts';
import { currentAccess } from './policy-sharing.ts';
import type { Ports } from './ports.ts';

export interface SharedResource {
  resource: Resource;
  /** The resource owner's username (a client id for a client-owned resource). */
  ownerName: string;
  /** Usernames of who named the user: the owner, and re-sharers. */
  sharedBy: string[];
  /** What the user holds of the resource now, whatever client they use. */
  scopes: string[];
  /** When those scopes stop holding (seconds); absent: never. */
  expiresAt?: number;
  /** Clients the permission is limited to; absent: any client. */
  clientIds?: string[];
  /** Whether the realm lets the user re-share what they hold. */
  mayReshare: boolean;
  /** The user's own re-share of the resource: the subjects it names. */
  resharedWith: string[];
}

/** Rows (resources) one page may look at beyond its offset and size: each costs several reads. */
const SHARED_SCAN_BUDGET = 500;
const LIST = 'sharedWithMe';

/**
 * One page of the resources shared with `user` in the realm, ordered by resource id (after the cookie,
 * or from a small offset); expired or broken shares are left out (a page may then be short and still
 * have a cookie). Not counted: `total` is -1.
 */
export async function listSharedWithMe(ports: Ports, input: { realm: string; user: User; page: PageRequest }): Promise<Page<SharedResource>> {
  const { realm, user, page } = input;
  const after = page.cookie === undefined ? undefined : decodeCursor(page.cookie, LIST, ['string']);
  const now = ports.clock.now();
  const resharing = (await ports.store.realms.get(realm))?.settings.resharing !== false;
  // The user is named by her username or through one of her groups.
  const groups = await groupSubjectsOf(ports.store.groups, realm, user.id);
  const named = [...new Set([user.username, ...groups])];
  const party: RequestingParty = { kind: 'user', subject: user.id, username: user.username, memberOf: groups };
  const names = new Map<string, string>();
  const nameOf = async (id: string): Promise<string> => {
    if (!names.has(id)) names.set(id, (await ports.store.users.get(realm, id))?.username ?? id);
    return names.get(id)!;
  };
  // The first n resource ids naming any of the subjects: the first n of each subject's, merged.
  const read = async (from: SortKey | undefined, n: number): Promise<string[]> => {
    const ids = new Set<string>();
    for (const subject of named) for (const id of await ports.store.policies.pageResourcesNaming(realm, subject, from?.[0] as string | undefined, n)) ids.add(id);
    return [...ids].sort(compareText).slice(0, n);
  };
  const view = async (id: string): Promise<SharedResource | null> => {
    const policies = [];
    for (const subject of named) policies.push(...(await ports.store.policies.listNaming(realm, id, subject)));
    let ownerId: string | null = null;
    const sharers = new Set<string>();
    let clientIds: Set<string> | null = new Set<string>();
    for (const policy of policies) {
      const policyOwner = policy.resourceOwner ?? policy.owner;
      if (policyOwner === user.id || policy.owner === user.id) continue;
      ownerId = policyOwner;
      sharers.add(policy.owner);
      for (const p of policy.permissions.filter((p) => named.includes(p.subject))) clientIds = mergeClients(clientIds, p.conditions);
    }
    if (ownerId === null) return null;
    const resource = await ports.store.resources.get(realm, ownerId, id);
    if (!resource) return null;
    const access = await currentAccess(ports.store, { realm, resource, party, context: { now, anyClient: true, resharing } });
    if (access.allowed.length === 0) return null;
    const own = await ports.store.policies.get(realm, user.id, id);
    const item: SharedResource = {
      resource,
      ownerName: await nameOf(resource.owner),
      sharedBy: await Promise.all([...sharers].map(nameOf)),
      scopes: access.allowed,
      mayReshare: resharing,
      resharedWith: own ? own.permissions.map((p) => p.subject) : [],
    };
    if (access.exp !== undefined) item.expiresAt = access.exp;
    if (clientIds !== null && clientIds.size > 0) item.clientIds = [...clientIds].sort();
    return item;
  };
  const { items, next } = await scanPage<string, SharedResource>({ read, keyOf: (id) => [id], view }, after, page.offset, page.pageSize, SHARED_SCAN_BUDGET);
  return { result: items, cookie: next === null ? null : encodeCursor(LIST, next), remaining: next === null ? 0 : -1, total: -1 };
}

/** Client restrictions across permissions: null once any permission allows every client. */
function mergeClients(current: Set<string> | null, conditions: PolicyConditions | undefined): Set<string> | null {
  if (current === null || conditions?.clientIds === undefined) return null;
  for (const c of conditions.clientIds) current.add(c);
  return current;
}
