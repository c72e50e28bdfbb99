/**
 * @module wire/permission
 * The permission endpoint's request body (Fed Authz §4.1): one `{resource_id, resource_scopes}` object
 * or a non-empty array of them, parsed to the core's `Permission` list.
 */
import { fail, isJsonObject, type Permission } from '@steward/core';
import { checkScopes, checkString } from './resource.ts';

/** Most permissions one request may ask for. */
export const MAX_PERMISSIONS = 100;
const MAX_RESOURCE_ID_LENGTH = 256;

/** `at` is `''` for a single object, `[i]` for an array element; it prefixes member names in errors. */
function parseOne(value: unknown, at: string): Permission {
  if (!isJsonObject(value)) throw fail('invalid_request', `${at ? `permission ${at}` : 'The body'} must be a JSON object`);
  const member = (name: string) => (at ? `${at}.${name}` : name);
  if (value.resource_id === undefined || value.resource_id === null) throw fail('invalid_request', `${member('resource_id')} is required`);
  if (value.resource_scopes === undefined || value.resource_scopes === null) throw fail('invalid_request', `${member('resource_scopes')} is required`);
  return {
    resourceId: checkString(member('resource_id'), value.resource_id, MAX_RESOURCE_ID_LENGTH, false),
    scopes: checkScopes(member('resource_scopes'), value.resource_scopes, 0),
  };
}

/** The requested permissions, in order (duplicates are merged by the core). */
export function parsePermissionRequest(body: unknown): Permission[] {
  if (!Array.isArray(body)) return [parseOne(body, '')];
  if (body.length === 0) throw fail('invalid_request', 'The permission array must not be empty');
  if (body.length > MAX_PERMISSIONS) throw fail('invalid_request', `At most ${MAX_PERMISSIONS} permissions per request`);
  return body.map((p, i) => parseOne(p, `[${i}]`));
}
