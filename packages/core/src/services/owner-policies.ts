/**
 * @module services/owner-policies
 * The resource owner's sharing policies (seed 002: ForgeRock AM's UMA policies): who may manage the
 * policies under a username, and creating, updating, reading and deleting the policy of one resource.
 * A policy's id is the id of the resource it protects; its subjects are usernames of the realm or
 * `client:{clientId}`.
 */
import { fail, type StewardError } from '../errors.ts';
import { CLIENT_SUBJECT_PREFIX, type Policy, type PolicyPermission } from '../model/policy.ts';
import type { Resource } from '../model/resource.ts';
import type { User } from '../model/user.ts';
import type { Ports } from './ports.ts';

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
  if (!input.actor.admin) throw fail('forbidden', 'Only the resource owner can manage their UMA policies');
  if (input.action === 'write') throw fail('forbidden', 'Only the resource owner can create or update policies');
  const owner = lookupable(input.username) ? await ports.store.users.findByUsername(input.realm, input.username) : null;
  if (!owner) throw policyNotFound(input.policyId);
  return owner;
}

/** The owner's resource with this id, or the policy 404 (a foreign resource looks missing). */
async function ownResource(ports: Ports, realm: string, owner: User, id: string): Promise<Resource> {
  const resource = lookupable(id) ? await ports.store.resources.get(realm, owner.id, id) : null;
  if (!resource) throw policyNotFound(id);
  return resource;
}

/** Merges permissions naming the same subject and drops repeated scopes, keeping first-seen order. */
export function mergePolicyPermissions(permissions: readonly PolicyPermission[]): PolicyPermission[] {
  const bySubject = new Map<string, Set<string>>();
  for (const p of permissions) {
    let scopes = bySubject.get(p.subject);
    if (!scopes) bySubject.set(p.subject, (scopes = new Set()));
    for (const s of p.scopes) scopes.add(s);
  }
  return [...bySubject].map(([subject, scopes]) => ({ subject, scopes: [...scopes] }));
}

async function subjectExists(ports: Ports, realm: string, subject: string): Promise<boolean> {
  if (!lookupable(subject)) return false;
  if (subject.startsWith(CLIENT_SUBJECT_PREFIX)) {
    const clientId = subject.slice(CLIENT_SUBJECT_PREFIX.length);
    return clientId !== '' && (await ports.store.clients.get(realm, clientId)) !== null;
  }
  return (await ports.store.users.findByUsername(realm, subject)) !== null;
}

/** Throws `invalid_request` naming the first scope the resource does not offer or subject that does not exist. */
async function checkPermissions(ports: Ports, realm: string, owner: User, resource: Resource, permissions: PolicyPermission[]): Promise<void> {
  const offered = new Set(resource.scopes);
  for (const p of permissions) {
    const unknown = p.scopes.find((s) => !offered.has(s));
    if (unknown !== undefined) throw fail('invalid_request', `Invalid UMA policy permission. Unknown scope, '${unknown}', for resource ${resource.id}.`);
  }
  for (const p of permissions) {
    if (p.subject === owner.username) throw fail('invalid_request', 'Invalid UMA policy permission. The resource owner cannot share a resource with themselves.');
    if (!(await subjectExists(ports, realm, p.subject))) throw fail('invalid_request', `Invalid UMA policy permission. Unknown subject, '${p.subject}'.`);
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
  const resource = await ownResource(ports, realm, owner, resourceId);
  const permissions = mergePolicyPermissions(input.body.permissions);
  await checkPermissions(ports, realm, owner, resource, permissions);

  const now = ports.clock.now();
  const policy: Policy = { realm, id: resourceId, owner: owner.id, rev: ports.random.uuid(), permissions, createdAt: now, updatedAt: now };

  if (input.mode !== 'update') {
    if (await ports.store.policies.create(policy)) return { policy, resource, created: true };
    if (input.mode === 'create') throw fail('precondition_failed', `UMA Policy already exists, ${resourceId}`);
  }
  const existing = await ports.store.policies.get(realm, owner.id, resourceId);
  if (!existing) {
    // An upsert that lost a race with a delete: the policy is gone again, so this write creates it.
    if (input.mode === 'upsert' && (await ports.store.policies.create(policy))) return { policy, resource, created: true };
    throw policyNotFound(resourceId);
  }
  const expectedRev = input.mode === 'update' ? input.expectedRev : null;
  if (expectedRev !== null && existing.rev !== expectedRev) throw staleRevision();
  const updated: Policy = { ...policy, createdAt: existing.createdAt };
  const outcome = await ports.store.policies.update(updated, expectedRev);
  if (outcome === 'missing') throw policyNotFound(resourceId);
  if (outcome === 'stale') throw staleRevision();
  return { policy: updated, resource, created: false };
}

function staleRevision(): StewardError {
  return fail('precondition_failed', 'The UMA Policy has been modified since that revision was read.');
}

/** The owner's policy for one of her resources, or 404. */
export async function readPolicy(ports: Ports, input: { realm: string; owner: User; resourceId: string }): Promise<PolicyView> {
  const resource = await ownResource(ports, input.realm, input.owner, input.resourceId);
  const policy = await ports.store.policies.get(input.realm, input.owner.id, input.resourceId);
  if (!policy) throw policyNotFound(input.resourceId);
  return { policy, resource };
}

/** Deletes the owner's policy for one of her resources, or 404. Sharing ends at once: grants read current policies. */
export async function deletePolicy(ports: Ports, input: { realm: string; owner: User; resourceId: string }): Promise<void> {
  if (!lookupable(input.resourceId) || !(await ports.store.policies.delete(input.realm, input.owner.id, input.resourceId))) throw policyNotFound(input.resourceId);
}
