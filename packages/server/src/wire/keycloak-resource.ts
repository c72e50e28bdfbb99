/**
 * @module wire/keycloak-resource
 * Keycloak's resource representation on the Protection API, mapped onto Steward's: `scopes` for
 * `resource_scopes`, scopes as `{name}` objects, `uri` for `uris`, and the members Steward keeps with
 * the resource (`displayName`, `uris`, `attributes`, `ownerManagedAccess`) and `owner`, which only the
 * resource server's own PAT may set to another user.
 */
import { fail, isJsonObject, type Resource, type ResourceDescription } from '@steward/core';
import { checkString, parseResourceDescription } from './resource.ts';

const MAX_URIS = 64;
const MAX_ATTRIBUTES = 64;

/** What a Keycloak body carries besides the description. */
export interface KeycloakResourceInput {
  description: ResourceDescription;
  /** `owner` as sent: a username or user id (or `{id}` / `{name}`). */
  owner?: string;
}

function scopeNames(member: string, value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((s, i) => (isJsonObject(s) ? checkString(`${member}[${i}].name`, s.name, 256, false) : s));
}

function ownerOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return checkString('owner', value, 256, false);
  if (isJsonObject(value)) {
    const named = value.id ?? value.name;
    if (named !== undefined) return checkString('owner', named, 256, false);
  }
  throw fail('invalid_request', 'owner must be a username, a user id, or {"id"} / {"name"}');
}

function uris(body: Record<string, unknown>): string[] | undefined {
  const list = body.uris ?? (body.uri === undefined || body.uri === null ? undefined : [body.uri]);
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list) || list.length > MAX_URIS) throw fail('invalid_request', `uris must be an array of at most ${MAX_URIS} strings`);
  return list.map((u, i) => checkString(`uris[${i}]`, u, 2048, false));
}

function attributes(value: unknown): Record<string, string[]> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value) || Object.keys(value).length > MAX_ATTRIBUTES) throw fail('invalid_request', `attributes must be an object of at most ${MAX_ATTRIBUTES} members`);
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(value)) {
    checkString('attribute name', k, 256, false);
    const list = Array.isArray(v) ? v : [v];
    out[k] = list.map((x, i) => checkString(`attributes.${k.slice(0, 64)}[${i}]`, x, 1024, true));
  }
  return out;
}

/** Parses a resource body in either shape (an `_id` sent back is ignored: the URL names the resource). */
export function parseKeycloakResource(body: unknown): KeycloakResourceInput {
  if (!isJsonObject(body)) throw fail('invalid_request', 'The resource description must be a JSON object');
  const standard: Record<string, unknown> = { ...body };
  standard.resource_scopes = scopeNames('resource_scopes', body.resource_scopes ?? body.scopes);
  const description = parseResourceDescription(standard);
  const extra: Record<string, unknown> = { ...description.extra };
  if (body.displayName !== undefined && body.displayName !== null) extra.displayName = checkString('displayName', body.displayName, 1024, true);
  const list = uris(body);
  if (list !== undefined) extra.uris = list;
  const attrs = attributes(body.attributes);
  if (attrs !== undefined) extra.attributes = attrs;
  if (body.ownerManagedAccess !== undefined && body.ownerManagedAccess !== null) {
    if (typeof body.ownerManagedAccess !== 'boolean') throw fail('invalid_request', 'ownerManagedAccess must be true or false');
    extra.ownerManagedAccess = body.ownerManagedAccess;
  }
  const owner = ownerOf(body.owner);
  return owner === undefined ? { description: { ...description, extra } } : { description: { ...description, extra }, owner };
}

/** Keycloak's members added to Steward's answer: `owner` as `{id}`. */
export function keycloakResourceMembers(resource: Resource): Record<string, unknown> {
  return { owner: { id: resource.owner } };
}
