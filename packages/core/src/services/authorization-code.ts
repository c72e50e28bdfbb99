/**
 * @module services/authorization-code
 * Issues an authorization code after the resource owner allowed a request, and redeems it at the token
 * endpoint (RFC 6749 §4.1.3, RFC 7636 §4.6, RFC 9700 §2.1.1, §4.8). A code is redeemable once,
 * whatever the outcome: the first presentation consumes it and leaves a revoked marker under the same
 * id, so a second presentation is recognised and revokes every token of the first one (RFC 6749 §4.1.2).
 */
import { fail, type StewardError } from '../errors.ts';
import type { Client } from '../model/client.ts';
import type { Realm } from '../model/realm.ts';
import type { TokenRecord } from '../model/token.ts';
import type { User } from '../model/user.ts';
import type { AuthorizationRequest } from './authorization-request.ts';
import { issueOpaque } from './issue-tokens.ts';
import { CODE_VERIFIER_PATTERN, verifyS256 } from './pkce.ts';
import type { Ports } from './ports.ts';
import { prepareUserTokens, type GrantedTokens } from './user-tokens.ts';
import { opaqueKey } from './opaque-tokens.ts';

/** Issues and records a code for `request` on behalf of `user`; returns the code string. */
export async function issueAuthorizationCode(ports: Ports, input: { realm: Realm; request: AuthorizationRequest; user: User; authTime: number }): Promise<string> {
  const { request } = input;
  const { token } = await issueOpaque(ports, {
    realm: input.realm.id,
    kind: 'code',
    clientId: request.client.clientId,
    subject: input.user.id,
    grantId: ports.random.uuid(),
    lifetime: input.realm.settings.codeLifetime,
    data: {
      scope: request.scopes.join(' '),
      // Kept only when sent: then the token request must repeat it (RFC 6749 §4.1.3).
      redirectUri: request.redirectUriSent ? request.redirectUri : undefined,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      nonce: request.nonce,
      authTime: input.authTime,
    },
  });
  return token;
}

/** The token request's parameters besides client authentication. */
export interface CodeRedemption {
  realm: Realm;
  /** The authenticated client. */
  client: Client;
  code: string;
  redirectUri?: string | undefined;
  codeVerifier?: string | undefined;
}

/** Throws `invalid_request` for a malformed `code_verifier` (RFC 7636 §4.1), before the code is touched. */
export function checkCodeVerifierSyntax(codeVerifier: string | undefined): void {
  if (codeVerifier !== undefined && !CODE_VERIFIER_PATTERN.test(codeVerifier)) {
    throw fail('invalid_request', 'code_verifier must be 43 to 128 unreserved characters');
  }
}

function marker(code: TokenRecord, realm: Realm, now: number): TokenRecord {
  // Kept as long as tokens of the first use can live, so a late replay still revokes them.
  const keep = Math.max(realm.settings.refreshTokenLifetime, realm.settings.accessTokenLifetime, realm.settings.codeLifetime);
  return { ...code, revoked: true, expiresAt: now + keep, data: { redeemedAt: now } };
}

function isRedeemedMarker(record: TokenRecord | null): record is TokenRecord {
  return record !== null && record.kind === 'code' && record.revoked && typeof record.data.redeemedAt === 'number';
}

/** Consumes the code and leaves the marker; false when someone else consumed it first. */
async function burn(ports: Ports, realm: Realm, code: TokenRecord, now: number): Promise<boolean> {
  return ports.store.transaction(async (tx) => {
    const consumed = await tx.tokens.consume(realm.id, code.id, 'code', now);
    if (consumed) await tx.tokens.insert(marker(consumed, realm, now));
    return consumed !== null;
  });
}

async function replayed(ports: Ports, realm: Realm, id: string): Promise<StewardError> {
  const record = await ports.store.tokens.get(realm.id, id);
  if (isRedeemedMarker(record)) {
    await ports.store.tokens.revokeGrant(realm.id, record.grantId);
    return fail('invalid_grant', 'The authorization code was already used');
  }
  return fail('invalid_grant', 'The authorization code is invalid or expired');
}

function problemWith(ports: Ports, code: TokenRecord, input: CodeRedemption): StewardError | null {
  if (code.clientId !== input.client.clientId) return fail('invalid_grant', 'The authorization code was issued to another client');
  const sentAtAuthorize = code.data.redirectUri;
  if (typeof sentAtAuthorize === 'string') {
    if (input.redirectUri !== sentAtAuthorize) return fail('invalid_grant', 'redirect_uri does not match the authorization request');
  } else if (input.redirectUri !== undefined && !input.client.redirectUris.includes(input.redirectUri)) {
    return fail('invalid_grant', 'redirect_uri does not match the authorization request');
  }
  const challenge = code.data.codeChallenge;
  if (typeof challenge === 'string') {
    if (input.codeVerifier === undefined) return fail('invalid_grant', 'code_verifier is required');
    if (!verifyS256(ports.digest, input.codeVerifier, challenge)) return fail('invalid_grant', 'PKCE verification failed');
  } else if (input.codeVerifier !== undefined) {
    // A verifier for a code issued without a challenge is a downgrade attempt (RFC 9700 §4.8.2).
    return fail('invalid_grant', 'code_verifier sent but the authorization request had no code_challenge');
  }
  return null;
}

/** Redeems a code for an access token, a refresh token (when the client may refresh) and an ID token (scope openid). */
export async function redeemAuthorizationCode(ports: Ports, input: CodeRedemption): Promise<GrantedTokens> {
  const { realm } = input;
  checkCodeVerifierSyntax(input.codeVerifier);
  const id = opaqueKey(ports, input.code);
  const now = ports.clock.now();
  const code = input.code.length <= 512 ? await ports.store.tokens.get(realm.id, id) : null;
  if (!code || code.kind !== 'code') throw fail('invalid_grant', 'The authorization code is invalid or expired');
  if (code.revoked) throw await replayed(ports, realm, id);
  if (code.expiresAt <= now) {
    await ports.store.tokens.consume(realm.id, id, 'code', now);
    throw fail('invalid_grant', 'The authorization code is invalid or expired');
  }

  const problem = problemWith(ports, code, input);
  const user = problem ? null : await ports.store.users.get(realm.id, code.subject);
  if (problem || !user || user.disabled) {
    if (!(await burn(ports, realm, code, now))) throw await replayed(ports, realm, id);
    throw problem ?? fail('invalid_grant', 'The resource owner is no longer active');
  }

  const scope = typeof code.data.scope === 'string' ? code.data.scope : '';
  const prepared = await prepareUserTokens(ports, {
    realm,
    client: input.client,
    user,
    scope,
    grantId: code.grantId,
    refreshData: input.client.grantTypes.includes('refresh_token') ? { scope } : null,
    ...(typeof code.data.nonce === 'string' ? { nonce: code.data.nonce } : {}),
    ...(typeof code.data.authTime === 'number' ? { authTime: code.data.authTime } : {}),
  });

  // Consume, mark and record the tokens in one transaction: a concurrent replay either loses the
  // consume and then sees the marker, or never sees tokens it could not revoke.
  const won = await ports.store.transaction(async (tx) => {
    const consumed = await tx.tokens.consume(realm.id, id, 'code', now);
    if (!consumed) return false;
    await tx.tokens.insert(marker(consumed, realm, now));
    for (const record of prepared.records) await tx.tokens.insert(record);
    return true;
  });
  if (!won) throw await replayed(ports, realm, id);

  return prepared.tokens;
}
