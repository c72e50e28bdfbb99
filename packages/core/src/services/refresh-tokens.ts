/**
 * @module services/refresh-tokens
 * The refresh_token grant (RFC 6749 §6) with rotation: each refresh token is redeemed once, by one
 * atomic consume, for a new one of the same grant. Presenting a rotated (or revoked) refresh token again
 * revokes the whole grant (RFC 9700 §4.14.2); the rotated token keeps its predecessor's expiry, so the
 * grant ends when its first refresh token would have. A refresh token that carries permissions
 * refreshes an RPT without a new authorization assessment (UMA Grant §3.6); an owner withdrawing the
 * share revokes the grant instead (services/owner-policies).
 */
import { fail } from '../errors.ts';
import type { Client } from '../model/client.ts';
import type { GrantedPermission } from '../model/permission.ts';
import type { Realm } from '../model/realm.ts';
import type { TokenRecord } from '../model/token.ts';
import type { User } from '../model/user.ts';
import { issueRpt } from './issue-tokens.ts';
import { rptIssuedEvents } from './grant-events.ts';
import { publishEvents } from './publish-events.ts';
import type { Ports } from './ports.ts';
import { narrowScope, splitScope } from './token-scope.ts';
import { prepareRefreshToken, prepareUserTokens, type GrantedTokens, type PreparedTokens } from './user-tokens.ts';
import { opaqueKey } from './opaque-tokens.ts';

/** Refresh tokens are 43 characters; anything far longer is not one of ours. */
const MAX_REFRESH_TOKEN_LENGTH = 512;

/**
 * New tokens for a refresh token issued to `client`. `scope` optionally narrows: OAuth scopes of an
 * access token, or the resource scopes kept in each permission of an RPT.
 */
export async function redeemRefreshToken(
  ports: Ports,
  input: { realm: Realm; client: Client; refreshToken: string; scope: string | undefined },
): Promise<GrantedTokens> {
  const { realm, client } = input;
  if (input.refreshToken.length > MAX_REFRESH_TOKEN_LENGTH) throw fail('invalid_grant', 'Invalid refresh token');
  const id = opaqueKey(ports, input.refreshToken);
  const now = ports.clock.now();

  // Read before consuming, so that another client presenting the token cannot burn it.
  const held = await ports.store.tokens.get(realm.id, id);
  if (!held || held.kind !== 'refresh' || held.clientId !== client.clientId) throw fail('invalid_grant', 'Invalid refresh token');
  if (held.revoked) {
    await ports.store.tokens.revokeGrant(realm.id, held.grantId);
    throw fail('invalid_grant', 'Refresh token was already used or revoked');
  }
  if (held.expiresAt <= now) throw fail('invalid_grant', 'Refresh token expired');

  // Everything that can refuse the request runs before the token is consumed.
  const next = held.data.permissions ? await prepareRpt(ports, realm, client, held, input.scope, now) : await prepareAccess(ports, realm, client, held, input.scope);
  // The rotated token keeps the expiry of the one it replaces: the grant's lifetime is absolute.
  const refresh = await prepareRefreshToken(ports, { realm, client, subject: held.subject, grantId: held.grantId, data: { ...held.data }, expiresAt: held.expiresAt });

  const redeemed = await ports.store.transaction(async (tx) => {
    const consumed = await tx.tokens.consume(realm.id, id, 'refresh', now);
    if (!consumed) return false;
    // A revoked tombstone under the same hash lets a later replay be recognised as one.
    await tx.tokens.insert({ ...consumed, revoked: true });
    for (const record of [...next.records, refresh.record]) await tx.tokens.insert(record);
    // A refreshed RPT is a new RPT for the owners' histories (services/grant-events).
    const rpt = held.data.permissions ? next.records[0] : undefined;
    if (rpt) await publishEvents(tx, rptIssuedEvents(ports, { realm: realm.id, requester: held.subject, clientId: client.clientId }, rpt.data.permissions ?? [], [], rpt.id));
    return true;
  });
  if (!redeemed) {
    // Someone redeemed or revoked it between our read and our consume: a concurrent replay.
    await ports.store.tokens.revokeGrant(realm.id, held.grantId);
    throw fail('invalid_grant', 'Refresh token was already used or revoked');
  }
  return { ...next.tokens, refreshToken: refresh.token };
}

async function activeUser(ports: Ports, realm: Realm, subject: string): Promise<User> {
  const user = await ports.store.users.get(realm.id, subject);
  if (!user || user.disabled) throw fail('invalid_grant', 'The user of this grant is no longer active');
  return user;
}

async function prepareAccess(ports: Ports, realm: Realm, client: Client, held: TokenRecord, requested: string | undefined): Promise<PreparedTokens> {
  const user = await activeUser(ports, realm, held.subject);
  const scope = narrowScope(requested, held.data.scope ?? '');
  // The refresh token itself is prepared by the caller, with the scope originally granted (RFC 6749 §6).
  return prepareUserTokens(ports, { realm, client, user, scope, grantId: held.grantId, refreshData: null });
}

async function prepareRpt(ports: Ports, realm: Realm, client: Client, held: TokenRecord, requested: string | undefined, now: number): Promise<PreparedTokens> {
  // An RPT obtained by the client for itself has the client as subject; otherwise it is a user's.
  const user = held.subject !== client.clientId ? await activeUser(ports, realm, held.subject) : null;
  const permissions = keptPermissions(held.data.permissions ?? [], requested, now);
  const rpt = await issueRpt(ports, { realm, client, subject: held.subject, ...(user ? { username: user.username } : {}), permissions, grantId: held.grantId, deferRecord: true });
  return { tokens: { accessToken: rpt.token, expiresIn: rpt.expiresIn }, records: [rpt.record] };
}

/** The permissions still in force, each narrowed to the requested scopes; empty ones are dropped. */
function keptPermissions(permissions: readonly GrantedPermission[], requested: string | undefined, now: number): GrantedPermission[] {
  const live = permissions.filter((p) => p.exp === undefined || p.exp > now);
  if (requested === undefined) {
    if (live.length === 0) throw fail('invalid_grant', 'The permissions of this refresh token have expired');
    return live;
  }
  const wanted = new Set(splitScope(requested));
  if (wanted.size === 0) throw fail('invalid_scope', 'scope names no scope');
  const kept = live.map((p) => ({ ...p, scopes: p.scopes.filter((s) => wanted.has(s)) })).filter((p) => p.scopes.length > 0);
  if (kept.length === 0) throw fail('invalid_scope', 'No permission of this refresh token holds the requested scope');
  return kept;
}
