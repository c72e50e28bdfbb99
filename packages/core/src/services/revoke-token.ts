/**
 * @module services/revoke-token
 * Token revocation (RFC 7009, UMA Grant §3.7): a client revokes a token issued to it. Revoking a
 * refresh token revokes its whole grant; an access token, RPT or PCT is revoked alone. Unknown and
 * already revoked tokens are not an error.
 */
import { fail } from '../errors.ts';
import type { Client } from '../model/client.ts';
import type { TokenRecord } from '../model/token.ts';
import type { Ports } from './ports.ts';
import { MAX_TOKEN_LENGTH } from './verify-token.ts';
import { opaqueKey } from './opaque-tokens.ts';

/** `token_type_hint` values accepted (RFC 7009 §2.1, UMA Grant §7.6 for `pct`). */
export const REVOCATION_TOKEN_TYPE_HINTS: readonly string[] = ['access_token', 'refresh_token', 'pct', 'requesting_party_token'];

/** Longer than any token Steward issues. */

const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Revokes `token` when it was issued to `client`. The hint is checked but not relied on: the token is
 * found whatever its type. Throws `unsupported_token_type` for an unknown hint and
 * `unauthorized_client` (revoking nothing) for a token issued to another client.
 */
export async function revokeToken(ports: Ports, input: { realm: string; client: Client; token: string; hint: string | undefined }): Promise<void> {
  if (input.hint !== undefined && !REVOCATION_TOKEN_TYPE_HINTS.includes(input.hint)) {
    throw fail('unsupported_token_type', `Unsupported token_type_hint ${input.hint.slice(0, 100)}`);
  }
  const record = await findToken(ports, input.realm, input.token);
  if (!record) return;
  if (record.clientId !== input.client.clientId) throw fail('unauthorized_client', 'The token was not issued to this client');
  if (record.revoked) return;
  if (record.kind === 'refresh') await ports.store.tokens.revokeGrant(input.realm, record.grantId);
  else await ports.store.tokens.revoke(input.realm, record.id);
}

/** The record of a token this realm issued: a JWT by its `jti`, an opaque token by its hash. */
async function findToken(ports: Ports, realm: string, token: string): Promise<TokenRecord | null> {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  if (JWS_COMPACT.test(token)) {
    const claims = await ports.signer.verify(realm, token);
    if (claims && typeof claims.jti === 'string') {
      const record = await ports.store.tokens.get(realm, claims.jti);
      if (record && (record.kind === 'access' || record.kind === 'rpt')) return record;
    }
    return null;
  }
  const record = await ports.store.tokens.get(realm, opaqueKey(ports, token));
  // Authorization codes are not revocable tokens (RFC 7009 covers access and refresh tokens).
  return record && (record.kind === 'refresh' || record.kind === 'pct') ? record : null;
}
