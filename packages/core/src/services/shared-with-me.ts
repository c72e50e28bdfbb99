/**
 * @module services/shared-with-me
 * What others share with a user ("Shared with me"): every resource a policy names the user on (by
 * username or through one of her groups), the resource owner's primary policy or a re-share, with what the user holds of it now (scopes and when
 * they expire, computed as a grant would, whatever client) and the conditions of the permission.
 */
import { type RequestingParty } from '../decision/decide.ts';
import type { PolicyConditions } from '../model/policy.ts';
import type { Resource } from '../model/resource.ts';
import type { User } from '../model/user.ts';
import { groupSubjectsOf } from './groups.ts';
import { currentAccess } from './policy-sharing.ts';
import type { Ports } from './ports.ts';

/** Most policies naming one user that the list reads. */
export const MAX_SHARED_WITH_ME = 1000;

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

/** Resources shared with `user` in the realm, ordered by name then id; expired or broken shares are left out. */
export async function listSharedWithMe(ports: Ports, input: { realm: string; user: User }): Promise<SharedResource[]> {
  const { realm, user } = input;
  const now = ports.clock.now();
  const resharing = (await ports.store.realms.get(realm))?.settings.resharing !== false;
  // The user is named by her username or through one of her groups.
  const groups = await groupSubjectsOf(ports.store.groups, realm, user.id);
  const named = new Set([user.username, ...groups]);
  const policies = [];
  for (const subject of named) policies.push(...(await ports.store.policies.listNamingSubject(realm, subject, MAX_SHARED_WITH_ME)));
  const byResource = new Map<string, { ownerId: string; sharers: Set<string>; clientIds: Set<string> | null }>();
  for (const policy of policies) {
    const ownerId = policy.resourceOwner ?? policy.owner;
    if (ownerId === user.id || policy.owner === user.id) continue;
    const entry = byResource.get(policy.id) ?? { ownerId, sharers: new Set<string>(), clientIds: new Set<string>() };
    entry.sharers.add(policy.owner);
    for (const p of policy.permissions.filter((p) => named.has(p.subject))) entry.clientIds = mergeClients(entry.clientIds, p.conditions);
    byResource.set(policy.id, entry);
  }
  const party: RequestingParty = { kind: 'user', subject: user.id, username: user.username, memberOf: groups };
  const names = new Map<string, string>();
  const nameOf = async (id: string): Promise<string> => {
    if (!names.has(id)) names.set(id, (await ports.store.users.get(realm, id))?.username ?? id);
    return names.get(id)!;
  };
  const shared: SharedResource[] = [];
  for (const [id, entry] of byResource) {
    const resource = await ports.store.resources.get(realm, entry.ownerId, id);
    if (!resource) continue;
    const access = await currentAccess(ports.store, { realm, resource, party, context: { now, anyClient: true, resharing } });
    if (access.allowed.length === 0) continue;
    const own = await ports.store.policies.get(realm, user.id, id);
    const item: SharedResource = {
      resource,
      ownerName: await nameOf(resource.owner),
      sharedBy: await Promise.all([...entry.sharers].map(nameOf)),
      scopes: access.allowed,
      mayReshare: resharing,
      resharedWith: own ? own.permissions.map((p) => p.subject) : [],
    };
    if (access.exp !== undefined) item.expiresAt = access.exp;
    if (entry.clientIds !== null && entry.clientIds.size > 0) item.clientIds = [...entry.clientIds].sort();
    shared.push(item);
  }
  const label = (r: Resource) => r.name ?? r.id;
  return shared.sort((a, b) => (label(a.resource) < label(b.resource) ? -1 : label(a.resource) > label(b.resource) ? 1 : a.resource.id < b.resource.id ? -1 : 1));
}

/** Client restrictions across permissions: null once any permission allows every client. */
function mergeClients(current: Set<string> | null, conditions: PolicyConditions | undefined): Set<string> | null {
  if (current === null || conditions?.clientIds === undefined) return null;
  for (const c of conditions.clientIds) current.add(c);
  return current;
}
