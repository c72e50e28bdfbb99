/**
 * @module services/verify-token
 * Resolves a bearer JWT issued by this realm to its live record: signature, issuer, expiry and
 * revocation are all checked. Used by the Protection API (PAT), userinfo and introspection.
 */
import type { TokenRecord } from '../model/token.ts';
import type { Ports } from './ports.ts';

/**
 * The longest token string Steward looks at. An RPT carries its permissions, so one for many resources
 * is long; this matches the default request body limit, so every token Steward issues can be presented.
 */
export const MAX_TOKEN_LENGTH = 65_536;

export interface ActiveToken {
  claims: Record<string, unknown>;
  record: TokenRecord;
}

/** The token when it is active now; null otherwise. `allowExpired` admits an expired one (RPT upgrade). */
export async function verifyJwt(ports: Ports, realm: string, token: string, allowExpired = false): Promise<ActiveToken | null> {
  const claims = await ports.signer.verify(realm, token);
  if (!claims || typeof claims.jti !== 'string') return null;
  const record = await ports.store.tokens.get(realm, claims.jti);
  if (!record || record.revoked) return null;
  if (!allowExpired && record.expiresAt <= ports.clock.now()) return null;
  return { claims, record };
}

export function hasScope(scope: string | undefined, wanted: string): boolean {
  return typeof scope === 'string' && scope.split(' ').includes(wanted);
}
