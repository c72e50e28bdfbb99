/** @module verified — what a verified RPT tells the kit, read from JWT claims or an introspection answer. */
import type { UmaPermission } from './types.ts';

/** A valid RPT's content. */
export interface VerifiedRpt {
  /** The token's `jti`, when it has one. */
  jti?: string;
  subject?: string;
  username?: string;
  clientId?: string;
  permissions: UmaPermission[];
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((s) => typeof s === 'string');
}

/** The well-formed entries of a `permissions` member; anything malformed grants nothing. */
export function readPermissions(value: unknown): UmaPermission[] {
  if (!Array.isArray(value)) return [];
  const out: UmaPermission[] = [];
  for (const p of value) {
    if (typeof p !== 'object' || p === null) continue;
    const { resource_id, resource_scopes, exp, nbf } = p as Record<string, unknown>;
    if (typeof resource_id !== 'string' || !isStringArray(resource_scopes)) continue;
    if ((exp !== undefined && typeof exp !== 'number') || (nbf !== undefined && typeof nbf !== 'number')) continue;
    const perm: UmaPermission = { resource_id, resource_scopes: [...resource_scopes] };
    if (typeof exp === 'number') perm.exp = exp;
    if (typeof nbf === 'number') perm.nbf = nbf;
    out.push(perm);
  }
  return out;
}

/**
 * Id, subject, username and client of a token from its claims or introspection answer: `jti`; `sub`;
 * `preferred_username` (OIDC Core §5.1, in a JWT) or `username` (RFC 7662 §2.2); `azp`, else `client_id`.
 */
export function readParties(claims: Record<string, unknown>): Pick<VerifiedRpt, 'jti' | 'subject' | 'username' | 'clientId'> {
  const out: Pick<VerifiedRpt, 'jti' | 'subject' | 'username' | 'clientId'> = {};
  if (typeof claims.jti === 'string' && claims.jti !== '') out.jti = claims.jti;
  if (typeof claims.sub === 'string') out.subject = claims.sub;
  const username = typeof claims.preferred_username === 'string' ? claims.preferred_username : claims.username;
  if (typeof username === 'string' && username !== '') out.username = username;
  const client = typeof claims.azp === 'string' ? claims.azp : claims.client_id;
  if (typeof client === 'string') out.clientId = client;
  return out;
}

/**
 * The permission that grants every needed scope on the resource now (per-permission `exp` and
 * `nbf` honoured, with the clock tolerance), or null.
 */
export function findGrant(permissions: UmaPermission[], resourceId: string, scopes: string[], nowSeconds: number, toleranceSeconds: number): UmaPermission | null {
  for (const p of permissions) {
    if (p.resource_id !== resourceId) continue;
    if (p.exp !== undefined && p.exp + toleranceSeconds <= nowSeconds) continue;
    if (p.nbf !== undefined && p.nbf - toleranceSeconds > nowSeconds) continue;
    if (scopes.every((s) => p.resource_scopes.includes(s))) return p;
  }
  return null;
}
