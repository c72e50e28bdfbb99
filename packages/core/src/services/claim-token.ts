/**
 * @module services/claim-token
 * Claim tokens pushed with the UMA grant (UMA Grant §3.3.1): an OpenID Connect ID token issued by this
 * realm to the requesting client identifies the requesting party. Also what a `need_info` error tells
 * the client to bring (UMA Grant §3.3.6).
 */
import type { RequiredClaim } from '../errors.ts';
import type { User } from '../model/user.ts';
import type { Ports } from './ports.ts';

/** Claim token formats Steward accepts (and lists as `uma_profiles_supported` in discovery). */
export const CLAIM_TOKEN_FORMATS: readonly string[] = ['http://openid.net/specs/openid-connect-core-1_0.html#IDToken', 'urn:ietf:params:oauth:token-type:id_token'];

/** True for a claim_token_format Steward understands. */
export function isClaimTokenFormat(format: string): boolean {
  return CLAIM_TOKEN_FORMATS.includes(format);
}

/**
 * The enabled user an ID token identifies, when it was issued by this realm (signature and `iss`),
 * has `typ` `ID`, has not expired and names `clientId` in `aud`. Null otherwise.
 */
export async function userFromIdToken(ports: Ports, realm: string, clientId: string, token: string): Promise<User | null> {
  const claims = await ports.signer.verify(realm, token);
  if (!claims || claims.typ !== 'ID') return null;
  if (typeof claims.exp !== 'number' || claims.exp <= ports.clock.now()) return null;
  const aud = claims.aud;
  if (aud !== clientId && !(Array.isArray(aud) && aud.includes(clientId))) return null;
  if (typeof claims.sub !== 'string' || claims.sub === '' || claims.sub.length > 255) return null;
  const user = await ports.store.users.get(realm, claims.sub);
  return user && !user.disabled ? user : null;
}

/** The `required_claims` of a `need_info` answer: an ID token naming the requesting party. */
export function requiredClaims(issuer: string): RequiredClaim[] {
  return [{ claim_token_format: [...CLAIM_TOKEN_FORMATS], claim_type: 'id_token', name: 'sub', friendly_name: 'requesting party', issuer: [issuer] }];
}

/** The claims interaction endpoint a `need_info` answer sends the user to (`redirect_user`). */
export function claimsInteractionUri(issuer: string): string {
  return `${issuer}/uma/claims`;
}
