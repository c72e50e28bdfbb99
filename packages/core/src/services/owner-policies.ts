/**
 * @module services/owner-policies
 * The resource owner's sharing policies (ForgeRock AM's UMA policies REST API): who may manage the
 * policies under a username, and creating, updating, reading and deleting the policy of one resource.
 * A policy's id is the id of the resource it protects; its subjects are usernames of the realm or
 * `client:{clientId}` of a confidential client (services/policy-subjects). A requesting party may
 * re-share what they hold: their policy on the owner's resource (services/policy-sharing). A write
 * that takes scopes away revokes the RPT grants that hold them, down the chain of re-shares.
 */
import type { Access, RequestingParty } from '../decision/decide.ts';
import { fail, type StewardError } from '../errors.ts';
import { isPublicClient } from '../model/client.ts';
import type { GrantedPermission } from '../model/permission.ts';
import { CLIENT_SUBJECT_PREFIX, type Policy, type PolicyPermission } from '../model/policy.ts';
import type { Resource } from '../model/resource.ts';
import type { TokenRecord } from '../model/token.ts';
import type { User } from '../model/user.ts';
import { cachedSharingStores, checkReshare, currentAccess, resharedResource } from './policy-sharing.ts';
import { isPrefixedSubject } from '../decision/decide.ts';
import { ORG_SUBJECT_PREFIX } from '../model/organization.ts';
import { resolveOrganizationOwner } from './organizations.ts';
import { requireLookupBudget, spendLookup } from './lookup-budget.ts';
import { clientParty } from './client-party.ts';
import { withMemberships } from './party-subjects.ts';
import { prefixedSubjectExists, publicClientSubjectProblem } from './policy-subjects.ts';
import type { Ports } from './ports.ts';
import { createPolicyPublished, policyChangeEvents } from './policy-events.ts';
import { publishEvents } from './publish-events.ts';

/** What the caller wants to do with the policies under a username. */
export type PolicyAction = 'read' | 'write' | 'delete';

/** How a write treats an existing policy: CREST `If-None-Match: *`, `If-Match`, or neither. */
export type PolicyWriteMode = 'create' | 'update' | 'upsert';

/** A policy as the owner sends it (already checked for shape by the wire layer). */
export interface PolicyInput {
  policyId: string;
  permissions: PolicyPermission[];
}

/** A policy with the resource it protects (the wire form shows the resource's name). */
export interface PolicyView {
  policy: Policy;
  resource: Resource;
}

/** Ids and names we chose or registered are short and free of NUL (which PostgreSQL text refuses). */
function lookupable(value: string): boolean {
  return value.length <= 256 && !value.includes('\u0000');
}

/** The one not-found answer, whether the resource is missing, foreign, or has no policy. */
export function policyNotFound(id: string): StewardError {
  return fail('not_found', `UMA Policy not found, ${id.slice(0, 200)}`);
}

/**
 * The owner whose policies `actor` may act on under `username`. The user herself may do anything; a
 * realm administrator may read and delete but never create or update; anyone else is refused without
 * learning whether the user or the resource exists.
 */
export async function resolvePolicyOwner(
  ports: Ports,
  input: { realm: string; actor: User; username: string; action: PolicyAction; policyId: string },
): Promise<User> {
  if (input.actor.username === input.username) return input.actor;
  // An organization's policies: its administrators manage them (services/organizations).
  if (input.username.startsWith(ORG_SUBJECT_PREFIX)) return resolveOrganizationOwner(ports, { realm: input.realm, actor: input.actor, name: input.username, action: input.action });
  if (!input.actor.admin) throw fail('forbidden', 'Only the resource owner can manage their UMA policies');
  if (input.action === 'write') throw fail('forbidden', 'Only the resource owner can create or update policies');
  const owner = lookupable(input.username) ? await ports.store.users.findByUsername(input.realm, input.username) : null;
  if (!owner) throw policyNotFound(input.policyId);
  return owner;
}

/**
 * Merges permissions naming the same subject and drops repeated scopes, keeping first-seen order. A
 * subject repeated with different conditions is `invalid_request` (one subject, one set of conditions).
 */
export function mergePolicyPermissions(permissions: readonly PolicyPermission[]): PolicyPermission[] {
  const merged = new Map<string, PolicyPermission>();
  for (const p of permissions) {
    const seen = merged.get(p.subject);
    if (!seen) {
      merged.set(p.subject, p.conditions ? { subject: p.subject, scopes: [...new Set(p.scopes)], conditions: p.conditions } : { subject: p.subject, scopes: [...new Set(p.scopes)] });
      continue;
    }
    if (conditionsKey(seen) !== conditionsKey(p)) throw fail('invalid_request', `Invalid UMA policy permission. Subject '${p.subject.slice(0, 256)}' is repeated with different conditions.`);
    seen.scopes = [...new Set([...seen.scopes, ...p.scopes])];
  }
  return [...merged.values()];
}

function conditionsKey(p: PolicyPermission): string {
  return JSON.stringify([p.conditions?.expiresAt ?? null, p.conditions?.clientIds ? [...p.conditions.clientIds].sort() : null]);
}

/** What a subject names: someone a policy may name, nobody, or a public client (which no policy may name). */
type SubjectCheck = 'named' | 'unknown' | 'public-client';

async function checkSubject(ports: Ports, realm: string, subject: string, owner: User): Promise<SubjectCheck> {
  if (!lookupable(subject)) return 'unknown';
  // Groups, organizations (services/policy-subjects); a username never carries their prefixes.
  if (isPrefixedSubject(subject) && !subject.startsWith(CLIENT_SUBJECT_PREFIX)) return (await prefixedSubjectExists(ports.store, realm, subject, owner.id)) ? 'named' : 'unknown';
  if (subject.startsWith(CLIENT_SUBJECT_PREFIX)) {
    const clientId = subject.slice(CLIENT_SUBJECT_PREFIX.length);
    const client = clientId === '' ? null : await ports.store.clients.get(realm, clientId);
    return client === null ? 'unknown' : isPublicClient(client) ? 'public-client' : 'named';
  }
  // A disabled user is nobody to share with, and is answered exactly like a name nobody has.
  const user = await ports.store.users.findByUsername(realm, subject);
  return user !== null && !user.disabled ? 'named' : 'unknown';
}

/**
 * Throws `invalid_request` naming the first scope the resource does not offer, or new subject that
 * names nobody or may not be named. Subjects the stored policy already holds (`held`) are kept as they
 * are: they were checked when named, and a user disabled or gone since must not block an edit or a
 * withdrawal. Naming new subjects draws on the owner's lookup budget (services/lookup-budget): refused
 * once it is spent, and each subject that names nobody spends one unit, so policy writes reveal who
 * exists no faster than the person lookup.
 */
async function checkPermissions(ports: Ports, realm: string, owner: User, resource: Resource, permissions: PolicyPermission[], held: ReadonlySet<string>): Promise<void> {
  const offered = new Set(resource.scopes);
  for (const p of permissions) {
    const unknown = p.scopes.find((s) => !offered.has(s));
    if (unknown !== undefined) throw fail('invalid_request', `Invalid UMA policy permission. Unknown scope, '${unknown}', for resource ${resource.id}.`);
  }
  for (const p of permissions) {
    if (p.subject === owner.username) {
      throw fail('invalid_request', resource.owner === owner.id ? 'Invalid UMA policy permission. The resource owner cannot share a resource with themselves.' : 'Invalid UMA policy permission. A requesting party cannot re-share a resource with themselves.');
    }
  }
  const added = permissions.filter((p) => !held.has(p.subject));
  if (added.length > 0) await requireLookupBudget(ports, realm, owner.id);
  for (const p of added) {
    const named = await checkSubject(ports, realm, p.subject, owner);
    if (named === 'public-client') throw fail('invalid_request', `Invalid UMA policy permission. ${publicClientSubjectProblem(p.subject)}.`);
    if (named === 'unknown') {
      await spendLookup(ports, realm, owner.id);
      throw fail('invalid_request', `Invalid UMA policy permission. Unknown subject, '${p.subject}'.`);
    }
  }
}

/**
 * Creates or replaces the owner's policy for one of her resources. `expectedRev` (update only) is the
 * CREST `If-Match` revision, null for `*`. Answers 404 when the resource is not hers, 412 when a create
 * meets an existing policy or an update a newer revision.
 */
export async function sharePolicy(
  ports: Ports,
  input: { realm: string; owner: User; resourceId: string; body: PolicyInput; mode: PolicyWriteMode; expectedRev: string | null },
): Promise<PolicyView & { created: boolean }> {
  const { realm, owner, resourceId } = input;
  if (input.body.policyId !== resourceId) throw fail('invalid_request', 'Policy ID does not match policy ID in the body.');
  const now = ports.clock.now();
  const { resource, reshare } = await writableResource(ports, realm, owner, resourceId);
  const permissions = mergePolicyPermissions(input.body.permissions);
  const stored = await ports.store.policies.get(realm, owner.id, resourceId);
  await checkPermissions(ports, realm, owner, resource, permissions, new Set(stored?.permissions.map((p) => p.subject)));
  if (reshare) await checkReshare(ports.store, { realm, sharer: owner, resource, permissions, now });

  const policy: Policy = { realm, id: resourceId, owner: owner.id, rev: ports.random.uuid(), permissions, createdAt: now, updatedAt: now };
  if (reshare) policy.resourceOwner = resource.owner;
  const resharing = await resharingOn(ports, realm);

  if (input.mode !== 'update') {
    if (await createPolicyPublished(ports, policy, resource)) return revokeOnCreate(ports, { policy, resource, created: true }, resharing);
    if (input.mode === 'create') throw fail('precondition_failed', `UMA Policy already exists, ${resourceId}`);
  }
  const existing = await ports.store.policies.get(realm, owner.id, resourceId);
  if (!existing) {
    // An upsert that lost a race with a delete: the policy is gone again, so this write creates it.
    if (input.mode === 'upsert' && (await createPolicyPublished(ports, policy, resource))) return revokeOnCreate(ports, { policy, resource, created: true }, resharing);
    throw policyNotFound(resourceId);
  }
  const expectedRev = input.mode === 'update' ? input.expectedRev : null;
  if (expectedRev !== null && existing.rev !== expectedRev) throw staleRevision();
  const updated: Policy = { ...policy, createdAt: existing.createdAt };
  // The new policy and the revocations it implies are committed together.
  const outcome = await ports.store.transaction(async (tx) => {
    const written = await tx.policies.update(updated, expectedRev);
    if (written === 'updated') {
      await revokeWithdrawnGrants(tx, { realm, resource, now, resharing });
      await publishEvents(tx, await policyChangeEvents(ports, tx, { before: existing, after: updated, resource }));
    }
    return written;
  });
  if (outcome === 'missing') throw policyNotFound(resourceId);
  if (outcome === 'stale') throw staleRevision();
  return { policy: updated, resource, created: false };
}

/**
 * Revokes what a newly created policy does not allow. Nothing should be live then (a deleted policy
 * revoked its grants), but grants left from before that rule existed are caught here too.
 */
async function revokeOnCreate<T extends PolicyView>(ports: Ports, view: T, resharing: boolean): Promise<T> {
  await revokeWithdrawnGrants(ports.store, { realm: view.policy.realm, resource: view.resource, now: ports.clock.now(), resharing });
  return view;
}

/**
 * The resource a user may write a policy for: her own (a primary policy), or, when the realm allows
 * re-sharing, one shared with her (a re-share). Otherwise the policy 404.
 */
async function writableResource(ports: Ports, realm: string, owner: User, id: string): Promise<{ resource: Resource; reshare: boolean }> {
  const own = lookupable(id) ? await ports.store.resources.get(realm, owner.id, id) : null;
  if (own) return { resource: own, reshare: false };
  const shared = lookupable(id) ? await resharedResource(ports.store, realm, owner, id) : null;
  if (!shared) throw policyNotFound(id);
  if (!(await resharingOn(ports, realm))) throw fail('forbidden', 'Re-sharing is turned off in this realm.');
  return { resource: shared, reshare: true };
}

/** The realm's re-sharing switch (on unless set to false). */
async function resharingOn(ports: Ports, realm: string): Promise<boolean> {
  return (await ports.store.realms.get(realm))?.settings.resharing !== false;
}

/** The resource a stored policy protects: the owner's, or for a re-share the resource owner's. */
async function policyResource(ports: Pick<Ports['store'], 'resources'>, policy: Policy): Promise<Resource | null> {
  return ports.resources.get(policy.realm, policy.resourceOwner ?? policy.owner, policy.id);
}

/** The stores revocation needs: the whole Store or one transaction's. */
type RevocationStores = Pick<Ports['store'], 'tokens' | 'users' | 'clients' | 'policies' | 'groups' | 'organizations'>;

/**
 * Revokes the grant (RPT, refresh token and their rotations) of every live RPT or RPT refresh token
 * on the resource whose requesting party the current policies (the owner's and the re-shares, read
 * from `stores` after the change) no longer allow every scope it holds there, or allow for a shorter
 * time (an `Expiration`), or not with that client (a `ClientId`). UMA Grant
 * §3.6 forbids re-assessing on refresh, but §6.1 lets the AS revoke tokens when the owner's policy
 * changes: this is what makes a withdrawn share stop working, refresh included. The owner's own tokens
 * are never revoked. Cost: the live RPT and refresh records of the grants on the resource (read through
 * the store's index by resource, TokenStore.listLiveByResource), plus one chain lookup per distinct (client, party)
 * holding a live grant on the resource: bounded by live grants, not by the number of re-shares.
 */
async function revokeWithdrawnGrants(
  stores: RevocationStores,
  input: { realm: string; resource: Resource; now: number; resharing: boolean; /** Nobody but the owner holds anything (the primary is gone). */ noneHold?: boolean },
): Promise<void> {
  const { realm, resource, now, resharing } = input;
  // Parties share the upper part of their chains: each policy lookup is read once per revocation.
  const chain: RevocationStores = input.noneHold ? stores : { tokens: stores.tokens, clients: stores.clients, organizations: stores.organizations, ...cachedSharingStores(stores) };
  const owner = resource.owner;
  const resourceId = resource.id;
  const revoked = new Set<string>();
  const accessOf = new Map<string, Access | null>();
  for (const record of await stores.tokens.listLiveByResource(realm, resourceId, now)) {
    if (record.subject === owner || revoked.has(record.grantId)) continue;
    const held = (record.data.permissions ?? []).filter((p) => p.resourceId === resourceId && p.owner === owner && (p.exp === undefined || p.exp > now));
    if (held.length === 0) continue;
    const key = `${record.clientId}\u0000${record.subject}`;
    if (input.noneHold) accessOf.set(key, null);
    else if (!accessOf.has(key)) {
      const party = await partyOf(chain, realm, record);
      accessOf.set(key, party ? await currentAccess(chain, { realm, resource, party, context: { now, clientId: record.clientId, resharing } }) : null);
    }
    const access = accessOf.get(key)!;
    if (access && held.every((p) => stillAllowed(p, access))) continue;
    await stores.tokens.revokeGrant(realm, record.grantId);
    revoked.add(record.grantId);
  }
}

/**
 * The requesting party of an RPT grant: the client itself when it is the subject (as at refresh), else
 * the user; null when that user is gone, or the client is gone or public (no party of its own).
 */
async function partyOf(stores: RevocationStores, realm: string, record: TokenRecord): Promise<RequestingParty | null> {
  // With its groups or organization, as at the grant: a share with them still counts.
  if (record.subject === record.clientId) {
    const client = await stores.clients.get(realm, record.clientId);
    const party = client ? clientParty(client) : null;
    return party ? withMemberships(stores, realm, party) : null;
  }
  const user = await stores.users.get(realm, record.subject);
  return user ? withMemberships(stores, realm, { kind: 'user', subject: user.id, username: user.username }) : null;
}

/** Every scope held is still allowed, and no longer than allowed; a permission with no scopes needs access to the resource at all. */
function stillAllowed(held: GrantedPermission, access: Access): boolean {
  if (access.exp !== undefined && (held.exp === undefined || held.exp > access.exp)) return false;
  if (held.scopes.length === 0) return access.mayAccess;
  const allowed = new Set(access.allowed);
  return held.scopes.every((s) => allowed.has(s));
}

function staleRevision(): StewardError {
  return fail('precondition_failed', 'The UMA Policy has been modified since that revision was read.');
}

/** The user's policy for one of her resources, or her re-share of another's; 404 otherwise. */
export async function readPolicy(ports: Ports, input: { realm: string; owner: User; resourceId: string }): Promise<PolicyView> {
  const policy = lookupable(input.resourceId) ? await ports.store.policies.get(input.realm, input.owner.id, input.resourceId) : null;
  if (!policy) throw policyNotFound(input.resourceId);
  const resource = await policyResource(ports.store, policy);
  if (!resource) throw policyNotFound(input.resourceId);
  return { policy, resource };
}

/**
 * Deletes the owner's policy for one of her resources, or 404. Sharing ends at once: new grants read
 * current policies, and the RPT grants the policy had allowed others are revoked with it.
 */
export async function deletePolicy(ports: Ports, input: { realm: string; owner: User; resourceId: string }): Promise<void> {
  if (!lookupable(input.resourceId)) throw policyNotFound(input.resourceId);
  const { realm, owner, resourceId } = input;
  const now = ports.clock.now();
  const resharing = await resharingOn(ports, realm);
  const deleted = await ports.store.transaction(async (tx) => {
    const policy = await tx.policies.get(realm, owner.id, resourceId);
    if (!policy || !(await tx.policies.delete(realm, owner.id, resourceId))) return false;
    // Re-shares below stay stored; they stop granting because the chain is read anew (and revoked here).
    const resource = await policyResource(tx, policy);
    if (resource) await revokeWithdrawnGrants(tx, { realm, resource, now, resharing, noneHold: policy.resourceOwner === undefined });
    if (resource) await publishEvents(tx, await policyChangeEvents(ports, tx, { before: policy, after: null, resource }));
    return true;
  });
  if (!deleted) throw policyNotFound(resourceId);
}
