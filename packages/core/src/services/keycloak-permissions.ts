/**
 * @module services/keycloak-permissions
 * The request parameters of Keycloak's ticketless UMA grant that need parsing: `permission=RES[#S1,S2]`
 * and a pushed `claim_token` in the `urn:ietf:params:oauth:token-type:jwt` format (base64 or base64url
 * JSON `{name: [values]}`: checked for form, then set aside, since Steward verifies none of it and no
 * policy reads it), and the `[{rsid, rsname, scopes}]` answer.
 */
import { fail } from '../errors.ts';
import { isJsonObject } from '../model/json.ts';

/** The one pushed-claims format the ticketless grant accepts (Keycloak's name for it). */
export const KEYCLOAK_CLAIMS_FORMAT = 'urn:ietf:params:oauth:token-type:jwt';

/** At most this many `permission` parameters in one request. */
export const MAX_REQUESTED_PERMISSIONS = 100;

/** One `permission` parameter: a resource (id or name) and the scopes asked for it (none: any). */
export interface RequestedPermission {
  resource: string;
  scopes: string[];
}

/** Pushed claims: names to lists of string values. */
export type PushedClaims = Record<string, string[]>;

/** A permission in Keycloak's answer and RPT claim `authorization.permissions` (never Keycloak's `claims`). */
export interface KeycloakPermission {
  rsid: string;
  rsname?: string;
  scopes?: string[];
}

/**
 * Parses `RES`, `RES#S1,S2` (split on the first `#`, scopes on `,`, blanks trimmed). A permission must
 * name a resource: Keycloak's scope-only `#S1` is refused.
 */
export function parsePermission(value: string): RequestedPermission {
  const hash = value.indexOf('#');
  const resource = (hash < 0 ? value : value.slice(0, hash)).trim();
  const scopes = hash < 0 ? [] : value.slice(hash + 1).split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (resource === '') throw fail('invalid_request', 'Each permission must name a resource (RES or RES#scope,…)');
  if (resource.length > 256 || resource.includes('\u0000')) throw fail('invalid_request', 'permission names no resource Steward could hold');
  if (scopes.some((s) => s.length > 256 || s.includes('\u0000'))) throw fail('invalid_scope', 'permission names a scope no resource could offer');
  return { resource, scopes: [...new Set(scopes)] };
}

/** Parses every `permission` parameter; at least one and at most MAX_REQUESTED_PERMISSIONS. */
export function parsePermissions(values: readonly string[]): RequestedPermission[] {
  if (values.length === 0) throw fail('invalid_request', 'permission is required without a ticket (RES or RES#scope,…)');
  if (values.length > MAX_REQUESTED_PERMISSIONS) throw fail('invalid_request', `At most ${MAX_REQUESTED_PERMISSIONS} permission parameters are accepted`);
  return values.map(parsePermission);
}

/**
 * Decodes a pushed claim token: base64 or base64url (padded or not) of a JSON object whose members are
 * strings or arrays of strings (strings become one-element lists). `invalid_request` otherwise.
 */
export function decodePushedClaims(token: string, format: string | undefined): PushedClaims {
  if (format !== undefined && format !== KEYCLOAK_CLAIMS_FORMAT) {
    throw fail('invalid_request', `claim_token_format must be ${KEYCLOAK_CLAIMS_FORMAT} without a ticket`);
  }
  if (token.length > 16_384 || !/^[A-Za-z0-9+/_-]+=*$/.test(token)) throw fail('invalid_request', 'Invalid claims: claim_token is not base64 or base64url');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
  } catch {
    throw fail('invalid_request', 'Invalid claims: claim_token is not base64 JSON');
  }
  if (!isJsonObject(parsed)) throw fail('invalid_request', 'Invalid claims: claim_token must encode a JSON object');
  const claims: PushedClaims = {};
  for (const [name, value] of Object.entries(parsed)) {
    const values = Array.isArray(value) ? value : [value];
    if (!values.every((v) => typeof v === 'string')) throw fail('invalid_request', `Invalid claims: ${name.slice(0, 64)} must be a string or a list of strings`);
    claims[name] = values as string[];
  }
  return claims;
}
