/**
 * @module services/keycloak-uma-policy
 * Keycloak's owner policy API (`/authz/protection/uma-policy`) over Steward's one share model: a
 * Keycloak "UMA policy" is the owner's sharing policy on one resource (same id: the resource id), seen
 * as `{scopes, users, groups, clients}`. Every write goes through `sharePolicy` / `deletePolicy`, so
 * what is shared here is what the policies API, the console and the audit history show, and a share
 * withdrawn here revokes the RPTs it allowed at once.
 */
import { distinct } from '../decision/scopes.ts';
import { fail, StewardError } from '../errors.ts';
import { CLIENT_SUBJECT_PREFIX, type Policy, type PolicyPermission } from '../model/policy.ts';
import type { Resource } from '../model/resource.ts';
import type { User } from '../model/user.ts';
import { deletePolicy, sharePolicy } from './owner-policies.ts';
import { scanAll } from './paging.ts';
import type { Ports } from './ports.ts';

/** How a group is named as a policy subject. */
export const UMA_POLICY_GROUP_PREFIX = 'group:';

/** Who calls: a user (the owner) with a token of the resource server that registered the resources. */
export interface UmaPolicyCaller {
  realm: string;
  user: User;
  resourceServer: string;
}

/** What a Keycloak client sends (already checked for shape). */
export interface UmaPolicyInput {
  name?: string;
  description?: string;
  scopes: string[];
  users: string[];
  groups: string[];
  clients: string[];
}

/** Keycloak's `UmaPermissionRepresentation`, as far as Steward's model carries it. */
export interface UmaPolicyView {
  id: string;
  type: 'uma';
  name: string;
  owner: string;
  resource: string;
  scopes: string[];
  users: string[];
  groups: string[];
  clients: string[];
  logic: 'POSITIVE';
  decisionStrategy: 'UNANIMOUS';
}

export interface UmaPolicyQuery {
  name?: string;
  resource?: string;
  scope?: string;
  first: number;
  max: number;
}

function notFound(id: string) {
  return fail('not_found', `Policy with [${id.slice(0, 100)}] does not exist`);
}

function lookupable(id: string): boolean {
  return id.length > 0 && id.length <= 256 && !id.includes('\u0000');
}

/** The caller's own resource registered by the caller's resource server, or `not_found`. */
async function ownResource(ports: Ports, caller: UmaPolicyCaller, id: string): Promise<Resource> {
  const resource = lookupable(id) ? await ports.store.resources.get(caller.realm, caller.user.id, id) : null;
  if (!resource || resource.resourceServer !== caller.resourceServer) throw fail('not_found', `Resource [${id.slice(0, 100)}] does not exist or is not yours`);
  return resource;
}

/** The policy's subjects and scopes in Keycloak's shape. */
export function umaPolicyView(policy: Policy, resource: Resource): UmaPolicyView {
  const users: string[] = [];
  const groups: string[] = [];
  const clients: string[] = [];
  for (const p of policy.permissions) {
    if (p.subject.startsWith(CLIENT_SUBJECT_PREFIX)) clients.push(p.subject.slice(CLIENT_SUBJECT_PREFIX.length));
    else if (p.subject.startsWith(UMA_POLICY_GROUP_PREFIX)) groups.push(p.subject.slice(UMA_POLICY_GROUP_PREFIX.length));
    else if (!p.subject.includes(':')) users.push(p.subject);
  }
  return {
    id: policy.id,
    type: 'uma',
    name: resource.name ?? resource.id,
    owner: policy.owner,
    resource: resource.id,
    scopes: distinct(policy.permissions.flatMap((p) => p.scopes)),
    users,
    groups,
    clients,
    logic: 'POSITIVE',
    decisionStrategy: 'UNANIMOUS',
  };
}

/** The permissions an input grants: every subject named gets the scopes (all the resource offers when none). */
function permissionsOf(input: UmaPolicyInput, resource: Resource): PolicyPermission[] {
  const scopes = input.scopes.length > 0 ? distinct(input.scopes) : [...resource.scopes];
  const subjects = [...input.users, ...input.groups.map((g) => `${UMA_POLICY_GROUP_PREFIX}${g}`), ...input.clients.map((c) => `${CLIENT_SUBJECT_PREFIX}${c}`)];
  if (subjects.length === 0) throw fail('invalid_request', 'A policy must name at least one user, group or client');
  return distinct(subjects).map((subject) => ({ subject, scopes: [...scopes] }));
}

/**
 * Adds what the input grants to the owner's policy on the resource (creating it when there is none):
 * a subject already named keeps its conditions and gains the scopes.
 */
export async function createUmaPolicy(ports: Ports, caller: UmaPolicyCaller, resourceId: string, input: UmaPolicyInput): Promise<UmaPolicyView> {
  const resource = await ownResource(ports, caller, resourceId);
  const added = permissionsOf(input, resource);
  const existing = await ports.store.policies.get(caller.realm, caller.user.id, resource.id);
  const merged: PolicyPermission[] = (existing?.permissions ?? []).map((p) => ({ ...p, scopes: [...p.scopes] }));
  for (const p of added) {
    const seen = merged.find((m) => m.subject === p.subject);
    if (seen) seen.scopes = distinct([...seen.scopes, ...p.scopes]);
    else merged.push(p);
  }
  const view = await sharePolicy(ports, { realm: caller.realm, owner: caller.user, resourceId: resource.id, body: { policyId: resource.id, permissions: merged }, mode: 'upsert', expectedRev: null });
  return umaPolicyView(view.policy, view.resource);
}

/** Replaces the policy's grants with what the input names (conditions are dropped); `not_found` when there is no policy. */
export async function updateUmaPolicy(ports: Ports, caller: UmaPolicyCaller, id: string, input: UmaPolicyInput): Promise<void> {
  const resource = await ownResource(ports, caller, id);
  if (!(await ports.store.policies.get(caller.realm, caller.user.id, resource.id))) throw notFound(id);
  await sharePolicy(ports, { realm: caller.realm, owner: caller.user, resourceId: resource.id, body: { policyId: resource.id, permissions: permissionsOf(input, resource) }, mode: 'update', expectedRev: null });
}

/** The owner's policy on her resource, or `not_found`. */
export async function readUmaPolicy(ports: Ports, caller: UmaPolicyCaller, id: string): Promise<UmaPolicyView> {
  const resource = await ownResource(ports, caller, id).catch((e: unknown) => {
    throw e instanceof StewardError && e.code === 'not_found' ? notFound(id) : e;
  });
  const policy = await ports.store.policies.get(caller.realm, caller.user.id, resource.id);
  if (!policy) throw notFound(id);
  return umaPolicyView(policy, resource);
}

/** Deletes the owner's policy on her resource: sharing ends now, and the RPTs it allowed are revoked. */
export async function deleteUmaPolicy(ports: Ports, caller: UmaPolicyCaller, id: string): Promise<void> {
  await readUmaPolicy(ports, caller, id);
  try {
    await deletePolicy(ports, { realm: caller.realm, owner: caller.user, resourceId: id });
  } catch (e) {
    throw e instanceof StewardError && e.code === 'not_found' ? notFound(id) : e;
  }
}

/**
 * The owner's policies on her resources of this resource server, filtered, ordered by id, from `first`,
 * at most `max`: read a store page at a time (by the primary key), stopping once the page is full.
 */
export async function queryUmaPolicies(ports: Ports, caller: UmaPolicyCaller, query: UmaPolicyQuery): Promise<UmaPolicyView[]> {
  const views: UmaPolicyView[] = [];
  if (query.max <= 0) return views;
  let skipped = 0;
  const policies = scanAll((after, n) => ports.store.policies.page(caller.realm, caller.user.id, { order: 'id', ownOnly: true, resourceServer: caller.resourceServer, ...(after ? { after } : {}), limit: n }), (p) => [p.id]);
  for await (const policy of policies) {
    const resource = await ports.store.resources.get(caller.realm, caller.user.id, policy.id);
    if (!resource || resource.resourceServer !== caller.resourceServer) continue;
    const view = umaPolicyView(policy, resource);
    if (query.resource !== undefined && view.resource !== query.resource) continue;
    if (query.name !== undefined && !view.name.includes(query.name)) continue;
    if (query.scope !== undefined && !view.scopes.includes(query.scope)) continue;
    if (skipped < query.first) skipped++;
    else if (views.push(view) >= query.max) break;
  }
  return views;
}
