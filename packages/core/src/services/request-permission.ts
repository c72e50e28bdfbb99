/**
 * @module services/request-permission
 * The permission endpoint's use case (Fed Authz §4): checks the requested permissions against the
 * caller's resources (services/resources readResource: a user's PAT, hers registered by its resource
 * server; the resource server's own PAT, any it registered) and issues ONE permission ticket for them,
 * belonging to their owner: the same ticket the owner's PAT would have obtained.
 */
import { fail } from '../errors.ts';
import type { Permission } from '../model/permission.ts';
import type { Realm } from '../model/realm.ts';
import type { Ticket } from '../model/ticket.ts';
import type { Ports } from './ports.ts';
import { newEvent } from './new-event.ts';
import { publication } from './publish-events.ts';
import { newOpaque } from './opaque-tokens.ts';
import { isServerCaller } from './resources.ts';

export interface PermissionRequest {
  realm: Realm;
  /** The PAT's subject: a user, or the resource server itself (its own PAT). */
  owner: string;
  /** The PAT's client. */
  resourceServer: string;
  /** At least one; the same resource may appear more than once (merged). Scopes may be empty. */
  permissions: Permission[];
}

/** Merges permissions naming the same resource; scopes keep their first-seen order, without duplicates. */
export function mergePermissions(permissions: Permission[]): Permission[] {
  const byResource = new Map<string, Set<string>>();
  for (const p of permissions) {
    let scopes = byResource.get(p.resourceId);
    if (!scopes) byResource.set(p.resourceId, (scopes = new Set()));
    for (const s of p.scopes) scopes.add(s);
  }
  return [...byResource].map(([resourceId, scopes]) => ({ resourceId, scopes: [...scopes] }));
}

/**
 * Issues a ticket for the permissions. Throws `invalid_resource_id` when a resource is not the caller's
 * (for a user's PAT: hers at this resource server; for the resource server's own PAT: registered by it,
 * for any owner), `invalid_scope` when a scope is not registered on its resource, `invalid_request` when
 * the resources have more than one owner (a ticket is its owner's). Returns the ticket string (only
 * its SHA-256 is stored) and the stored record.
 */
export async function requestPermission(ports: Ports, input: PermissionRequest): Promise<{ ticket: string; record: Ticket }> {
  if (input.permissions.length === 0) throw fail('invalid_request', 'At least one permission is required');
  const permissions = mergePermissions(input.permissions);
  const lookup = permissions.map((p) => p.resourceId).filter((id) => id.length <= 256 && !id.includes('\u0000'));
  // By (realm, owner, id) for a user's PAT; by (realm, resource server, id) for the resource server's own.
  const resources = isServerCaller(input) ? await ports.store.resources.getManyByServer(input.realm.id, input.resourceServer, lookup) : await ports.store.resources.getMany(input.realm.id, input.owner, lookup);
  const ours = new Map(resources.filter((r) => r.resourceServer === input.resourceServer).map((r) => [r.id, r]));
  for (const p of permissions) {
    const resource = ours.get(p.resourceId);
    if (!resource) throw fail('invalid_resource_id', `Unknown resource_id ${p.resourceId.slice(0, 64)}`);
    const unknown = p.scopes.find((s) => !resource.scopes.includes(s));
    if (unknown !== undefined) throw fail('invalid_scope', `Scope ${unknown.slice(0, 64)} is not registered for resource ${p.resourceId}`);
  }
  // The ticket is the resources' owner's, whoever's PAT asked; one ticket, one owner.
  const owners = new Set([...ours.values()].map((r) => r.owner));
  if (owners.size !== 1) throw fail('invalid_request', 'The resources of one permission ticket must have one owner: request a ticket per owner');
  const owner = [...owners][0]!;
  const now = ports.clock.now();
  const { token: ticket, key } = newOpaque(ports);
  const record: Ticket = {
    realm: input.realm.id,
    hash: key,
    owner,
    resourceServer: input.resourceServer,
    permissions,
    claims: {},
    createdAt: now,
    expiresAt: now + input.realm.settings.ticketLifetime,
  };
  // One `permission.requested` per resource, for the owner's history, with the ticket.
  const events = permissions.map((p) => {
    const name = ours.get(p.resourceId)!.name;
    return newEvent(ports, { realm: input.realm.id, owner, type: 'permission.requested', resourceId: p.resourceId, ...(name ? { resourceName: name } : {}), scopes: p.scopes, detail: { resourceServer: input.resourceServer } });
  });
  // The ticket and its events in one commit (GrantStore.issueTicket: shared with concurrent requests on SQLite).
  const published = await publication(ports.store, events);
  await ports.store.grants.issueTicket(record, published.events, published.deliveries);
  return { ticket, record };
}
