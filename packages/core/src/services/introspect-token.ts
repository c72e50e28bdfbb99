/**
 * @module services/introspect-token
 * Token introspection (RFC 7662, Fed Authz §5): resolves a token to its live record with one signature
 * check (JWTs) and one record read. An RPT is active for a caller only through the permissions on that
 * caller's resources (RFC 7662 §4: whether the token may be used at the calling resource server).
 */
import type { GrantedPermission } from '../model/permission.ts';
import type { TokenRecord } from '../model/token.ts';
import type { Ports } from './ports.ts';
import { MAX_TOKEN_LENGTH, verifyJwt } from './verify-token.ts';
import { opaqueKey } from './opaque-tokens.ts';

export interface IntrospectionInput {
  realm: string;
  token: string;
  /** Client id of the caller: the PAT's client (a resource server) or the authenticated client. */
  caller: string;
}

/** The outcome: inactive, or the live record with what the caller may see of it. */
export type Introspection =
  | { active: false }
  | {
      active: true;
      record: TokenRecord;
      /** The JWT's claims; null for an opaque token. */
      claims: Record<string, unknown> | null;
      /** RPTs only: the unexpired permissions on the caller's resources (never empty). */
      permissions: GrantedPermission[] | null;
    };

const INACTIVE: Introspection = { active: false };

function looksLikeJwt(token: string): boolean {
  return token.split('.').length === 3;
}

/** Resolves `token` for `caller`; never throws for a bad token, it is simply inactive. */
export async function introspectToken(ports: Ports, input: IntrospectionInput): Promise<Introspection> {
  const { realm, token, caller } = input;
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return INACTIVE;
  const now = ports.clock.now();

  if (looksLikeJwt(token)) {
    const active = await verifyJwt(ports, realm, token);
    if (!active) return INACTIVE;
    const { record, claims } = active;
    // An access token is for the client it was issued to (its `aud`): only that client learns about it.
    if (record.kind === 'access') return record.clientId === caller ? { active: true, record, claims, permissions: null } : INACTIVE;
    if (record.kind !== 'rpt') return INACTIVE;
    const permissions = (record.data.permissions ?? []).filter((p) => p.resourceServer === caller && (p.exp === undefined || p.exp > now));
    return permissions.length > 0 ? { active: true, record, claims, permissions } : INACTIVE;
  }

  const record = await ports.store.tokens.get(realm, opaqueKey(ports, token));
  if (!record || record.revoked || record.expiresAt <= now) return INACTIVE;
  // Refresh tokens and PCTs speak only to the client they were issued to; codes to no one.
  if ((record.kind !== 'refresh' && record.kind !== 'pct') || record.clientId !== caller) return INACTIVE;
  return { active: true, record, claims: null, permissions: null };
}
