/**
 * @module services/keycloak-resources
 * Keycloak's additions to resource registration: a resource server registering with its own PAT may
 * name the resource's `owner` (a user of the realm) and then reads and manages what it registered
 * for anyone; the list filters by `name` (substring, or exact), `uri` (exact, or a `matchingUri`
 * pattern), `owner`, `type`, `scope`, and pages with `first`/`max`. Lookups stay scoped by realm and
 * resource server; an owner is resolved to a user id first, never matched by name across owners.
 */
import { fail } from '../errors.ts';
import type { Resource } from '../model/resource.ts';
import type { Ports } from './ports.ts';
import type { ProtectionCaller } from './resources.ts';

/** Members Keycloak adds to a resource, kept with it (in `extra`) and answered back. */
export const KEYCLOAK_RESOURCE_MEMBERS = ['displayName', 'uris', 'attributes', 'ownerManagedAccess'] as const;

export interface KeycloakResourceQuery {
  name?: string;
  exactName: boolean;
  uri?: string;
  matchingUri: boolean;
  /** A username or user id (or the resource server's client id). */
  owner?: string;
  type?: string;
  scope?: string;
  first: number;
  max: number;
}

/** True when the PAT is the resource server's own (not a user's). */
export function isServerCaller(caller: ProtectionCaller): boolean {
  return caller.owner === caller.resourceServer;
}

/**
 * The owner a resource server names (username, user id, or its own client id), as a user id; only the
 * resource server's own PAT may name one. `invalid_request` for an unknown or disabled user.
 */
export async function resolveOwner(ports: Ports, caller: ProtectionCaller, owner: string): Promise<string> {
  if (owner === caller.owner) return owner;
  const ok = owner.length <= 256 && !owner.includes('\u0000');
  const user = ok ? ((await ports.store.users.findByUsername(caller.realm, owner)) ?? (await ports.store.users.get(caller.realm, owner))) : null;
  if (!user || user.disabled) throw fail('invalid_request', `Unknown owner ${owner.slice(0, 100)}`);
  if (!isServerCaller(caller) && user.id !== caller.owner) throw fail('invalid_request', 'owner may name another user only with the resource server\'s own PAT');
  return user.id;
}

/**
 * The caller's resource: for the resource server's own PAT, any resource it registered (whoever
 * owns it); for a user's PAT, hers. `not_found` otherwise.
 */
export async function serverResource(ports: Ports, caller: ProtectionCaller, id: string): Promise<Resource> {
  const ok = id.length <= 256 && !id.includes('\u0000');
  const resource = !ok ? null : isServerCaller(caller) ? await ports.store.resources.getByServer(caller.realm, caller.resourceServer, id) : await ports.store.resources.get(caller.realm, caller.owner, id);
  if (!resource || resource.resourceServer !== caller.resourceServer) throw fail('not_found', 'Resource not found');
  return resource;
}

/** A Keycloak URI pattern (`/a/*`, `/a/{id}/b`) as an anchored regular expression. */
function uriPattern(pattern: string): RegExp {
  const source = pattern
    .split(/(\*|\{[^}/]*\})/)
    .map((part) => (part === '*' ? '.*' : /^\{[^}/]*\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

function urisOf(resource: Resource): string[] {
  const uris = resource.extra.uris;
  return Array.isArray(uris) ? uris.filter((u): u is string => typeof u === 'string') : [];
}

/** Whether one of the resource's `uris` is `uri`, or (with `matching`) a pattern `uri` fits. */
export function resourceHasUri(resource: Resource, uri: string, matching: boolean): boolean {
  const uris = urisOf(resource);
  return uris.includes(uri) || (matching && uris.some((u) => uriPattern(u).test(uri)));
}

function matches(resource: Resource, q: KeycloakResourceQuery): boolean {
  if (q.name !== undefined && !(q.exactName ? resource.name === q.name : (resource.name ?? '').includes(q.name))) return false;
  if (q.type !== undefined && resource.type !== q.type) return false;
  if (q.scope !== undefined && !resource.scopes.includes(q.scope)) return false;
  if (q.uri !== undefined && !resourceHasUri(resource, q.uri, q.matchingUri)) return false;
  return true;
}

/** The caller's resources (or, for the resource server, those of the `owner` filter) that match, oldest first, paged. */
export async function queryResources(ports: Ports, caller: ProtectionCaller, q: KeycloakResourceQuery): Promise<Resource[]> {
  const owner = q.owner === undefined ? caller.owner : await resolveOwner(ports, caller, q.owner).catch(() => null);
  if (owner === null) return [];
  const ids = await ports.store.resources.listIds(caller.realm, owner, caller.resourceServer);
  const byId = new Map((await ports.store.resources.getMany(caller.realm, owner, ids)).map((r) => [r.id, r]));
  const found = ids.map((id) => byId.get(id)).filter((r): r is Resource => r !== undefined && matches(r, q));
  return found.slice(q.first, q.first + q.max);
}
