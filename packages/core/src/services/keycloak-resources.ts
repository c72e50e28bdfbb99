/**
 * @module services/keycloak-resources
 * Keycloak's additions to resource registration: a resource server registering with its own PAT may
 * name the resource's `owner` (a user of the realm) and then reads, manages and lists what it
 * registered for anyone (services/resources readResource); the list filters by `name` (substring, or
 * exact), `uri` (exact, or a `matchingUri` pattern), `owner`, `type`, `scope`, and pages with
 * `first`/`max`. Lookups stay scoped by realm and resource server; an owner is resolved to a user id
 * first, never matched by name across owners.
 */
import { globMatches, type GlobCounter } from '../decision/glob.ts';
import { fail } from '../errors.ts';
import type { Resource } from '../model/resource.ts';
import { scanAll } from './paging.ts';
import { resourceSortKey } from './owner-resources.ts';
import type { Ports } from './ports.ts';
import { isServerCaller, type ProtectionCaller } from './resources.ts';

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

function urisOf(resource: Resource): string[] {
  const uris = resource.extra.uris;
  return Array.isArray(uris) ? uris.filter((u): u is string => typeof u === 'string') : [];
}

/** The longest `uri` a lookup may name (as the longest registered one). */
export const MAX_LOOKUP_URI_LENGTH = 2048;

/**
 * What matching one URI against the patterns of every resource one lookup looks at may cost, in
 * matcher steps: URI_MATCH_STEPS plus URI_MATCH_STEPS_PER_CHARACTER per character of the URI (and
 * one), about 1.6 million steps (milliseconds) for a 2,048-character URI. Plausible patterns fail on
 * their first literal or need a few steps per character; crafted ones could need one per character and
 * pattern position, and the more resources carry them the more a lookup would cost: past this budget
 * the lookup is refused instead, however many resources it spans.
 */
export const URI_MATCH_STEPS_PER_CHARACTER = 256;
export const URI_MATCH_STEPS = 1_048_576;

/** The step budget of one lookup of `uri`, to pass to every `resourceHasUri` of that lookup. */
export function uriMatchBudget(uri: string): GlobCounter {
  return { steps: 0, limit: URI_MATCH_STEPS + URI_MATCH_STEPS_PER_CHARACTER * (uri.length + 1) };
}

/** Could match more than itself as a pattern (a `*` or a `{`). */
function isPattern(u: string): boolean {
  return u.includes('*') || u.includes('{');
}

/**
 * Whether one of the resource's `uris` is `uri`, or (with `matching`) a pattern `uri` fits: `*` any run
 * of characters, `{name}` one path segment (decision/glob). The patterns' work is drawn from `budget`,
 * one per lookup (uriMatchBudget); `invalid_request` naming this resource when it runs out here.
 */
export function resourceHasUri(resource: Resource, uri: string, matching: boolean, budget: GlobCounter): boolean {
  const uris = urisOf(resource);
  if (uris.includes(uri)) return true;
  if (!matching) return false;
  for (const pattern of uris) {
    if (!isPattern(pattern)) continue;
    if (globMatches(pattern, uri, budget)) return true;
    if (budget.steps > budget.limit!) throw fail('invalid_request', `The uris of resource ${resource.id} are too costly to match against this URI: name the resource by id, or register simpler patterns`);
  }
  return false;
}

function matches(resource: Resource, q: Omit<KeycloakResourceQuery, 'first' | 'max'>, budget: GlobCounter): boolean {
  if (q.name !== undefined && !(q.exactName ? resource.name === q.name : (resource.name ?? '').includes(q.name))) return false;
  if (q.type !== undefined && resource.type !== q.type) return false;
  if (q.scope !== undefined && !resource.scopes.includes(q.scope)) return false;
  if (q.uri !== undefined && !resourceHasUri(resource, q.uri, q.matchingUri, budget)) return false;
  return true;
}

/** Rows one store read returns while streaming a list. */
const BATCH = 1000;

/**
 * Every resource of ONE owner — the caller's, or the one the `owner` filter names (a resource server's
 * own PAT may name anyone; a user's PAT only herself, else nothing) — registered by the caller's
 * resource server that matches, oldest first, read a page at a time from the (realm, owner, resource
 * server, created) index: streamed, never held whole. An exact name is looked up in the (…, resource
 * server, name) index instead (its matches by id), so finding a resource by name costs its matches, not
 * the list. The ticketless grant's URI lookup reads it owner by owner.
 */
export async function* matchingResources(ports: Ports, caller: ProtectionCaller, q: Omit<KeycloakResourceQuery, 'first' | 'max'>): AsyncGenerator<Resource> {
  const owner = q.owner === undefined ? caller.owner : await resolveOwner(ports, caller, q.owner).catch(() => null);
  if (owner === null) return;
  // One matching budget for the whole query, however many resources it looks at.
  const budget = uriMatchBudget(q.uri ?? '');
  const exactName = q.exactName && q.name !== undefined ? q.name : undefined;
  const order = exactName === undefined ? 'created' : 'resourceServer';
  const pages = scanAll(
    (after, limit) =>
      ports.store.resources.page(caller.realm, owner, {
        order,
        resourceServer: caller.resourceServer,
        ...(exactName !== undefined ? { sortName: exactName } : {}),
        ...(q.type !== undefined ? { type: q.type } : {}),
        ...(after ? { after } : {}),
        limit,
      }),
    (r) => resourceSortKey(r, order),
    BATCH,
  );
  for await (const resource of pages) if (matches(resource, q, budget)) yield resource;
}

/**
 * Every resource the resource server registered in the realm, whoever owns it, that matches, by id
 * (time-ordered: oldest first), read a page at a time from the (realm, resource server, id) index, or
 * for an exact name the (realm, resource server, sort name, id) one.
 */
async function* registeredResources(ports: Ports, caller: ProtectionCaller, q: Omit<KeycloakResourceQuery, 'first' | 'max'>): AsyncGenerator<Resource> {
  const budget = uriMatchBudget(q.uri ?? '');
  const exactName = q.exactName && q.name !== undefined ? q.name : undefined;
  const pages = scanAll(
    (after, limit) =>
      ports.store.resources.pageByServer(caller.realm, caller.resourceServer, {
        ...(exactName !== undefined ? { sortName: exactName } : {}),
        ...(q.type !== undefined ? { type: q.type } : {}),
        ...(after ? { after } : {}),
        limit,
      }),
    (r) => [r.id],
    BATCH,
  );
  for await (const resource of pages) if (matches(resource, q, budget)) yield resource;
}

/**
 * The Protection API's list (Fed Authz §3.2.5 with Keycloak's filters): a user's PAT lists her
 * resources registered by its resource server; the resource server's own PAT lists every resource it
 * registered, for every owner (as Keycloak does), or one owner's with the `owner` filter. Streamed.
 */
export function listedResources(ports: Ports, caller: ProtectionCaller, q: Omit<KeycloakResourceQuery, 'first' | 'max'>): AsyncGenerator<Resource> {
  return isServerCaller(caller) && q.owner === undefined ? registeredResources(ports, caller, q) : matchingResources(ports, caller, q);
}

/** The listed matches (listedResources) from `first`, at most `max` (Keycloak's paging), oldest first. */
export async function queryResources(ports: Ports, caller: ProtectionCaller, q: KeycloakResourceQuery): Promise<Resource[]> {
  const found: Resource[] = [];
  if (q.max <= 0) return found;
  let skipped = 0;
  for await (const resource of listedResources(ports, caller, q)) {
    if (skipped < q.first) skipped++;
    else if (found.push(resource) >= q.max) break;
  }
  return found;
}
