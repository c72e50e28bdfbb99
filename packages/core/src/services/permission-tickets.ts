/**
 * @module services/permission-tickets
 * Keycloak's owner-managed permission tickets (`/authz/protection/permission/ticket`) over Steward's one
 * share model: a granted ticket is one scope of a user in the owner's sharing policy on a resource, a
 * pending ticket one scope of a pending access request. Ticket ids are opaque encodings of what they
 * stand for; every id is checked against the caller (owner or requester) and her resource server.
 */
import { fail, StewardError } from '../errors.ts';
import type { Policy } from '../model/policy.ts';
import type { Resource } from '../model/resource.ts';
import type { User } from '../model/user.ts';
import { approveAccessRequest, denyAccessRequest } from './answer-access-request.ts';
import { createUmaPolicy, type UmaPolicyCaller } from './keycloak-uma-policy.ts';
import { requireLookupBudget, spendLookup } from './lookup-budget.ts';
import { deletePolicy, sharePolicy } from './owner-policies.ts';
import { scanAll } from './paging.ts';
import type { Ports } from './ports.ts';

export interface PermissionTicketView {
  id: string;
  owner: string;
  resource: string;
  scope: string;
  granted: boolean;
  requester: string;
  ownerName?: string;
  resourceName?: string;
  scopeName?: string;
  requesterName?: string;
}

export interface PermissionTicketInput {
  resource: string;
  /** A user id or, when `byName`, a username. */
  requester: string;
  byName: boolean;
  scope: string;
  granted: boolean;
}

export interface PermissionTicketQuery {
  resourceId?: string;
  requester?: string;
  owner?: string;
  granted?: boolean;
  scope?: string;
  returnNames: boolean;
  first: number;
  max: number;
}

type Decoded = { kind: 'g'; resourceId: string; requester: string; scope: string } | { kind: 'p'; owner: string; requestId: string; scope: string };

function encode(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

function notFound(): StewardError {
  return fail('not_found', 'Permission ticket not found');
}

function decode(id: string): Decoded {
  try {
    if (id.length > 2048) throw notFound();
    const parts: unknown = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
    if (!Array.isArray(parts) || parts.length !== 4 || !parts.every((p) => typeof p === 'string' && p.length <= 256 && !p.includes('\u0000'))) throw notFound();
    const [kind, a, b, c] = parts as string[];
    if (kind === 'g') return { kind, resourceId: a!, requester: b!, scope: c! };
    if (kind === 'p') return { kind, owner: a!, requestId: b!, scope: c! };
  } catch {
    // falls through
  }
  throw notFound();
}

async function userBy(ports: Ports, realm: string, idOrName: string, byName: boolean): Promise<User | null> {
  if (idOrName.length > 256 || idOrName.includes('\u0000')) return null;
  const user = byName ? await ports.store.users.findByUsername(realm, idOrName) : ((await ports.store.users.get(realm, idOrName)) ?? (await ports.store.users.findByUsername(realm, idOrName)));
  return user && !user.disabled ? user : null;
}

/** Grants one scope to one user on the caller's own resource (a granted ticket). */
export async function createPermissionTicket(ports: Ports, caller: UmaPolicyCaller, input: PermissionTicketInput): Promise<PermissionTicketView> {
  if (!input.granted) throw fail('invalid_request', 'An owner creates granted tickets; pending ones come from requesting parties');
  // Naming a requester is a lookup: it draws on the caller's lookup budget (services/lookup-budget).
  await requireLookupBudget(ports, caller.realm, caller.user.id);
  const requester = await userBy(ports, caller.realm, input.requester, input.byName);
  if (!requester) {
    await spendLookup(ports, caller.realm, caller.user.id);
    throw fail('invalid_request', 'Unknown requester');
  }
  const ok = input.resource.length <= 256 && !input.resource.includes('\u0000');
  const resource = ok ? await ports.store.resources.get(caller.realm, caller.user.id, input.resource) : null;
  if (!resource || resource.resourceServer !== caller.resourceServer) throw fail('not_found', 'Resource not found');
  if (!resource.scopes.includes(input.scope)) throw fail('invalid_request', `Scope ${input.scope.slice(0, 100)} is not offered by the resource`);
  const policy = await ports.store.policies.get(caller.realm, caller.user.id, resource.id);
  if (policy?.permissions.some((p) => p.subject === requester.username && p.scopes.includes(input.scope))) throw fail('invalid_request', 'Permission already exists');
  await createUmaPolicy(ports, caller, resource.id, { scopes: [input.scope], users: [requester.username], groups: [], clients: [] });
  return { id: encode(['g', resource.id, requester.id, input.scope]), owner: caller.user.id, resource: resource.id, scope: input.scope, granted: true, requester: requester.id };
}

/** Removes one scope of one user from the owner's policy (the policy goes when nothing is left). */
async function withdraw(ports: Ports, realm: string, owner: User, policy: Policy, username: string, scope: string): Promise<void> {
  const permissions = policy.permissions.map((p) => (p.subject === username ? { ...p, scopes: p.scopes.filter((s) => s !== scope) } : p)).filter((p) => p.scopes.length > 0);
  if (permissions.length === 0) await deletePolicy(ports, { realm, owner, resourceId: policy.id });
  else await sharePolicy(ports, { realm, owner, resourceId: policy.id, body: { policyId: policy.id, permissions }, mode: 'update', expectedRev: null });
}

/** A granted ticket as seen by the caller (its owner or its requester); `not_found` otherwise. */
async function grantedTicket(ports: Ports, caller: UmaPolicyCaller, d: Extract<Decoded, { kind: 'g' }>) {
  const resource = await ports.store.resources.getByServer(caller.realm, caller.resourceServer, d.resourceId);
  if (!resource || (resource.owner !== caller.user.id && d.requester !== caller.user.id)) throw notFound();
  const [owner, requester, policy] = await Promise.all([
    ports.store.users.get(caller.realm, resource.owner),
    ports.store.users.get(caller.realm, d.requester),
    ports.store.policies.get(caller.realm, resource.owner, resource.id),
  ]);
  if (!owner || !requester || !policy?.permissions.some((p) => p.subject === requester.username && p.scopes.includes(d.scope))) throw notFound();
  return { resource, owner, requester, policy };
}

/** The owner answers a ticket: granting a pending one approves that scope; ungranting a granted one withdraws it. */
export async function updatePermissionTicket(ports: Ports, caller: UmaPolicyCaller, id: string, granted: boolean): Promise<void> {
  const d = decode(id);
  if (d.kind === 'p') {
    if (d.owner !== caller.user.id) throw notFound();
    const request = await ports.store.accessRequests.get(caller.realm, caller.user.id, d.requestId);
    if (!request || request.status !== 'pending' || !request.scopes.includes(d.scope)) throw notFound();
    const resource = await ports.store.resources.get(caller.realm, caller.user.id, request.resourceId);
    if (!resource || resource.resourceServer !== caller.resourceServer) throw notFound();
    if (granted) await approveAccessRequest(ports, { realm: caller.realm, owner: caller.user, id: request.id, scopes: [d.scope] });
    return;
  }
  const t = await grantedTicket(ports, caller, d);
  if (t.owner.id !== caller.user.id) throw fail('forbidden', 'Only the resource owner may change a ticket');
  if (!granted) await withdraw(ports, caller.realm, t.owner, t.policy, t.requester.username, d.scope);
}

/** Deletes a ticket: the owner withdraws a grant or denies a request; the requester gives up a grant. */
export async function deletePermissionTicket(ports: Ports, caller: UmaPolicyCaller, id: string): Promise<void> {
  const d = decode(id);
  if (d.kind === 'p') {
    if (d.owner !== caller.user.id) throw notFound();
    const request = await ports.store.accessRequests.get(caller.realm, caller.user.id, d.requestId);
    const resource = request ? await ports.store.resources.get(caller.realm, caller.user.id, request.resourceId) : null;
    if (!request || request.status !== 'pending' || !resource || resource.resourceServer !== caller.resourceServer) throw notFound();
    await denyAccessRequest(ports, { realm: caller.realm, owner: caller.user, id: request.id });
    return;
  }
  const t = await grantedTicket(ports, caller, d);
  await withdraw(ports, caller.realm, t.owner, t.policy, t.requester.username, d.scope);
}

/** Most tickets `/count` counts. */
export const MAX_TICKET_COUNT = 10_000;

/**
 * Tickets on the caller's resources of this resource server, and those naming her as requester, from
 * `first`, at most `max`. The sources are read a store page at a time and reading stops once the page
 * is full, so the cost follows `first + max`, not how much the caller owns or was given.
 */
export async function queryPermissionTickets(ports: Ports, caller: UmaPolicyCaller, q: PermissionTicketQuery): Promise<PermissionTicketView[]> {
  const { realm } = caller;
  const users = new Map<string, User | null>();
  const byName = async (name: string) => {
    if (!users.has(`n:${name}`)) users.set(`n:${name}`, await ports.store.users.findByUsername(realm, name));
    return users.get(`n:${name}`)!;
  };
  const byId = async (id: string) => {
    if (!users.has(`i:${id}`)) users.set(`i:${id}`, await ports.store.users.get(realm, id));
    return users.get(`i:${id}`)!;
  };
  const ownerId = q.owner === undefined ? undefined : ((await byName(q.owner)) ?? (await byId(q.owner)))?.id ?? '\u0000';
  const requesterId = q.requester === undefined ? undefined : ((await byName(q.requester)) ?? (await byId(q.requester)))?.id ?? '\u0000';
  const wanted = (t: PermissionTicketView) =>
    (q.resourceId === undefined || t.resource === q.resourceId) &&
    (ownerId === undefined || t.owner === ownerId) &&
    (requesterId === undefined || t.requester === requesterId) &&
    (q.granted === undefined || t.granted === q.granted) &&
    (q.scope === undefined || t.scope === q.scope);
  const page: PermissionTicketView[] = [];
  if (q.max <= 0) return page;
  let skipped = 0;
  for await (const ticket of allTickets(ports, caller, byName, { asOwner: ownerId === undefined || ownerId === caller.user.id, asRequester: requesterId === undefined || requesterId === caller.user.id })) {
    if (!wanted(ticket)) continue;
    if (skipped < q.first) skipped++;
    else if (page.push(ticket) >= q.max) break;
  }
  if (!q.returnNames) return page;
  const names = new Map<string, string | null>();
  for (const t of page) {
    t.ownerName = (await byId(t.owner))?.username ?? t.owner;
    t.requesterName = (await byId(t.requester))?.username ?? t.requester;
    t.scopeName = t.scope;
    if (!names.has(t.resource)) names.set(t.resource, (await ports.store.resources.get(realm, t.owner, t.resource))?.name ?? null);
    const name = names.get(t.resource);
    if (name) t.resourceName = name;
  }
  return page;
}

/** Every ticket the caller sees: as owner (her policies, then her pending requests), then as requester. */
async function* allTickets(ports: Ports, caller: UmaPolicyCaller, byName: (name: string) => Promise<User | null>, sides: { asOwner: boolean; asRequester: boolean }): AsyncGenerator<PermissionTicketView> {
  const { realm } = caller;
  const granted = async function* (resource: Resource, policy: Policy, onlyUser?: string): AsyncGenerator<PermissionTicketView> {
    for (const p of policy.permissions) {
      if (p.subject.includes(':') || (onlyUser !== undefined && p.subject !== onlyUser)) continue;
      const requester = await byName(p.subject);
      if (!requester) continue;
      for (const scope of p.scopes) yield { id: encode(['g', resource.id, requester.id, scope]), owner: resource.owner, resource: resource.id, scope, granted: true, requester: requester.id };
    }
  };
  const pendingTicket = (r: { id: string; owner: string; resourceId: string; requester: string }, scope: string): PermissionTicketView => ({ id: encode(['p', r.owner, r.id, scope]), owner: r.owner, resource: r.resourceId, scope, granted: false, requester: r.requester });
  const ownerId = caller.user.id;
  if (sides.asOwner) {
    // Her own policies on resources of this resource server.
    const policies = scanAll((after, n) => ports.store.policies.page(realm, ownerId, { order: 'id', ownOnly: true, resourceServer: caller.resourceServer, ...(after ? { after } : {}), limit: n }), (p) => [p.id]);
    for await (const policy of policies) {
      const resource = await ports.store.resources.get(realm, ownerId, policy.id);
      if (resource) yield* granted(resource, policy);
    }
    const pending = scanAll((after, n) => ports.store.accessRequests.page(realm, ownerId, { status: 'pending', ...(after ? { after } : {}), limit: n }), (r) => [r.createdAt, r.id]);
    for await (const r of pending) {
      const resource = await ports.store.resources.get(realm, ownerId, r.resourceId);
      if (resource && resource.resourceServer === caller.resourceServer) for (const s of r.scopes) yield pendingTicket(r, s);
    }
  }
  if (!sides.asRequester) return;
  // Shares naming her and her pending requests, on this resource server's resources.
  const named = scanAll(async (after, n) => (await ports.store.policies.pageResourcesNaming(realm, caller.user.username, after?.[0] as string | undefined, n)).map((id) => [id]), (k) => k);
  for await (const [id] of named) {
    for (const policy of await ports.store.policies.listNaming(realm, id as string, caller.user.username)) {
      if (policy.resourceOwner !== undefined || policy.owner === ownerId) continue;
      const resource = await ports.store.resources.get(realm, policy.owner, policy.id);
      if (resource && resource.resourceServer === caller.resourceServer) yield* granted(resource, policy, caller.user.username);
    }
  }
  for await (const r of scanAll((after, n) => ports.store.accessRequests.pageByRequester(realm, ownerId, after, n), (r) => [r.createdAt, r.id])) {
    if (r.status !== 'pending' || r.owner === ownerId) continue;
    const resource = await ports.store.resources.get(realm, r.owner, r.resourceId);
    if (resource && resource.resourceServer === caller.resourceServer) for (const s of r.scopes) yield pendingTicket(r, s);
  }
}
