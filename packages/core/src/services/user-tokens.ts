/**
 * @module services/user-tokens
 * The token endpoint's success answer (RFC 6749 §5.1) and the tokens a user's grant yields: an access
 * token, a refresh token and, with `openid`, an ID token. Records are written together or not at all.
 */
import type { Client } from '../model/client.ts';
import type { Realm } from '../model/realm.ts';
import type { TokenData, TokenRecord } from '../model/token.ts';
import type { User } from '../model/user.ts';
import { issueAccessToken, issueIdToken, issueOpaque } from './issue-tokens.ts';
import type { Ports } from './ports.ts';
import { hasScope } from './verify-token.ts';

/** What a grant hands back to the client. */
export interface GrantedTokens {
  accessToken: string;
  expiresIn: number;
  /** Absent for an RPT (it carries permissions, not scope). */
  scope?: string;
  refreshToken?: string;
  idToken?: string;
}

/** The wire form of a successful token response. */
export function tokenResponseBody(tokens: GrantedTokens): Record<string, unknown> {
  const body: Record<string, unknown> = { access_token: tokens.accessToken, token_type: 'Bearer', expires_in: tokens.expiresIn };
  if (tokens.scope !== undefined) body.scope = tokens.scope;
  if (tokens.refreshToken !== undefined) body.refresh_token = tokens.refreshToken;
  if (tokens.idToken !== undefined) body.id_token = tokens.idToken;
  return body;
}

/** Tokens built but not yet recorded: the caller writes `records` (see recordTokens) before answering. */
export interface PreparedTokens {
  tokens: GrantedTokens;
  records: TokenRecord[];
}

/**
 * A refresh token for the grant, not yet recorded. `data` is what a refresh will reissue. `expiresAt`
 * (rotation) keeps the expiry of the refresh token it replaces, so a grant ends `refreshTokenLifetime`
 * after it was made however often it is refreshed (RFC 9700 §4.14.2); without it the token gets the
 * full lifetime.
 */
export async function prepareRefreshToken(
  ports: Ports,
  input: { realm: Realm; client: Client; subject: string; grantId: string; data: TokenData; expiresAt?: number },
): Promise<{ token: string; record: TokenRecord }> {
  const issued = await issueOpaque(ports, {
    realm: input.realm.id,
    kind: 'refresh',
    clientId: input.client.clientId,
    subject: input.subject,
    grantId: input.grantId,
    lifetime: input.realm.settings.refreshTokenLifetime,
    data: input.data,
    deferRecord: true,
  });
  if (input.expiresAt !== undefined) issued.record.expiresAt = Math.min(issued.record.expiresAt, input.expiresAt);
  return issued;
}

/**
 * An access token for the user with `scope`, an ID token when `scope` includes `openid`, and a
 * refresh token carrying `refreshData` unless it is null. Nothing is recorded yet.
 */
export async function prepareUserTokens(
  ports: Ports,
  input: { realm: Realm; client: Client; user: User; scope: string; grantId: string; refreshData: TokenData | null; nonce?: string; authTime?: number },
): Promise<PreparedTokens> {
  const { realm, client, user, scope, grantId } = input;
  const access = await issueAccessToken(ports, { realm, client, subject: user.id, scope, grantId, username: user.username, deferRecord: true });
  const tokens: GrantedTokens = { accessToken: access.token, expiresIn: access.expiresIn, scope };
  const records = [access.record];
  if (input.refreshData) {
    const refresh = await prepareRefreshToken(ports, { realm, client, subject: user.id, grantId, data: input.refreshData });
    tokens.refreshToken = refresh.token;
    records.push(refresh.record);
  }
  if (hasScope(scope, 'openid')) {
    tokens.idToken = await issueIdToken(ports, {
      realm,
      client,
      subject: user.id,
      username: user.username,
      email: user.email,
      ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
      ...(input.authTime !== undefined ? { authTime: input.authTime } : {}),
    });
  }
  return { tokens, records };
}

/** Writes the records of one answer in one transaction. */
export async function recordTokens(ports: Ports, records: readonly TokenRecord[]): Promise<void> {
  await ports.store.transaction(async (tx) => {
    for (const record of records) await tx.tokens.insert(record);
  });
}
