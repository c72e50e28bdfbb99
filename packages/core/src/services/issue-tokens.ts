/**
 * @module services/issue-tokens
 * Issues and records every kind of token. JWTs (access tokens, RPTs, ID tokens) carry the claims
 * common client libraries check: iss, sub, aud, azp, exp, iat, jti, typ. `aud` is the client for
 * access and ID tokens, and the resource servers of its permissions for an RPT (RFC 9068 §3); `azp` is
 * always the client. Opaque tokens (refresh, PCT, code) are `{time-ordered id}.{256-bit secret}`, the
 * secret stored only as its SHA-256 (opaque-tokens).
 */
import type { Client } from '../model/client.ts';
import type { GrantedPermission, Permission } from '../model/permission.ts';
import type { Realm, SigningAlg } from '../model/realm.ts';
import type { TokenData, TokenKind, TokenRecord } from '../model/token.ts';
import type { Ports } from './ports.ts';
import { distinct } from '../decision/scopes.ts';
import { newOpaque } from './opaque-tokens.ts';

export function signingAlgFor(realm: Realm, client: Client): SigningAlg {
  return client.signingAlg ?? realm.settings.signingAlg;
}

export interface IssuedJwt {
  token: string;
  jti: string;
  expiresIn: number;
  record: TokenRecord;
}

/** Wire form of permissions inside an RPT and in introspection (Fed Authz §5.1.1). */
export function wirePermissions(permissions: Array<Permission & { exp?: number }>): Array<{ resource_id: string; resource_scopes: string[]; exp?: number }> {
  return permissions.map((p) => (p.exp === undefined ? { resource_id: p.resourceId, resource_scopes: p.scopes } : { resource_id: p.resourceId, resource_scopes: p.scopes, exp: p.exp }));
}

interface JwtInput {
  realm: Realm;
  client: Client;
  subject: string;
  grantId: string;
  lifetime: number;
  data: TokenData;
  claims: Record<string, unknown>;
  kind: 'access' | 'rpt';
  /** Do not write the record (the caller writes it inside its transaction). */
  deferRecord?: boolean;
}

async function issueJwt(ports: Ports, input: JwtInput): Promise<IssuedJwt> {
  const now = ports.clock.now();
  const jti = ports.random.uuid();
  const exp = now + input.lifetime;
  const claims = {
    iss: ports.issuer(input.realm.id),
    sub: input.subject,
    aud: input.client.clientId,
    azp: input.client.clientId,
    typ: 'Bearer',
    iat: now,
    exp,
    jti,
    ...input.claims,
  };
  const token = await ports.signer.sign(input.realm.id, signingAlgFor(input.realm, input.client), claims, 'Bearer');
  const record: TokenRecord = {
    realm: input.realm.id,
    id: jti,
    kind: input.kind,
    clientId: input.client.clientId,
    subject: input.subject,
    grantId: input.grantId,
    createdAt: now,
    expiresAt: exp,
    revoked: false,
    data: input.data,
  };
  if (!input.deferRecord) await ports.store.tokens.insert(record);
  return { token, jti, expiresIn: input.lifetime, record };
}

/** An OAuth access token (a PAT when `scope` includes `uma_protection`). */
export function issueAccessToken(
  ports: Ports,
  input: { realm: Realm; client: Client; subject: string; scope: string; grantId: string; username?: string; deferRecord?: boolean },
): Promise<IssuedJwt> {
  const claims: Record<string, unknown> = { scope: input.scope };
  if (input.username) claims.preferred_username = input.username;
  return issueJwt(ports, {
    realm: input.realm,
    client: input.client,
    subject: input.subject,
    grantId: input.grantId,
    lifetime: input.realm.settings.accessTokenLifetime,
    data: { scope: input.scope },
    claims,
    kind: 'access',
    ...(input.deferRecord ? { deferRecord: true } : {}),
  });
}

/**
 * The `aud` of an RPT (RFC 9068 §3): the resource servers that registered the resources of its
 * permissions, in the order they first appear; one as a string, several as an array. The client asked
 * for the RPT but does not accept it, so it is only `azp`; it is the audience only of an RPT without
 * permissions.
 */
export function rptAudience(permissions: readonly GrantedPermission[], clientId: string): string | string[] {
  const servers = distinct(permissions.map((p) => p.resourceServer));
  if (servers.length === 0) return clientId;
  return servers.length === 1 ? servers[0]! : servers;
}

/**
 * A requesting party token carrying `permissions` (never `scope`, Fed Authz §5.1.1), addressed to the
 * resource servers of those permissions (`aud`, {@link rptAudience}), with the client in `azp`, and the
 * requesting party's `preferred_username` when it is a user (so a resource server can name who reads).
 */
export function issueRpt(
  ports: Ports,
  input: { realm: Realm; client: Client; subject: string; /** The requesting user's username (none for a client acting for itself). */ username?: string; permissions: GrantedPermission[]; grantId: string; deferRecord?: boolean; /** More claims (e.g. Keycloak's `authorization`). */ claims?: Record<string, unknown> },
): Promise<IssuedJwt> {
  const claims: Record<string, unknown> = { ...input.claims, aud: rptAudience(input.permissions, input.client.clientId), permissions: wirePermissions(input.permissions) };
  if (input.username) claims.preferred_username = input.username;
  return issueJwt(ports, {
    realm: input.realm,
    client: input.client,
    subject: input.subject,
    grantId: input.grantId,
    lifetime: input.realm.settings.rptLifetime,
    data: { permissions: input.permissions },
    claims,
    kind: 'rpt',
    ...(input.deferRecord ? { deferRecord: true } : {}),
  });
}

/** An OpenID Connect ID token (`typ: ID`). Not recorded: it authorizes nothing at Steward. */
export async function issueIdToken(
  ports: Ports,
  input: { realm: Realm; client: Client; subject: string; username: string; email: string | null; nonce?: string; authTime?: number },
): Promise<string> {
  const now = ports.clock.now();
  const claims: Record<string, unknown> = {
    iss: ports.issuer(input.realm.id),
    sub: input.subject,
    aud: input.client.clientId,
    azp: input.client.clientId,
    typ: 'ID',
    iat: now,
    exp: now + input.realm.settings.accessTokenLifetime,
    jti: ports.random.uuid(),
    preferred_username: input.username,
    auth_time: input.authTime ?? now,
  };
  if (input.email) claims.email = input.email;
  if (input.nonce) claims.nonce = input.nonce;
  return ports.signer.sign(input.realm.id, signingAlgFor(input.realm, input.client), claims, 'ID');
}

/** Issues and records an opaque token; returns the string (only its hash is stored). */
export async function issueOpaque(
  ports: Ports,
  input: { realm: string; kind: Exclude<TokenKind, 'access' | 'rpt'>; clientId: string; subject: string; grantId: string; lifetime: number; data: TokenData; deferRecord?: boolean },
): Promise<{ token: string; record: TokenRecord }> {
  const now = ports.clock.now();
  const { token, key } = newOpaque(ports);
  const record: TokenRecord = {
    realm: input.realm,
    id: key,
    kind: input.kind,
    clientId: input.clientId,
    subject: input.subject,
    grantId: input.grantId,
    createdAt: now,
    expiresAt: now + input.lifetime,
    revoked: false,
    data: input.data,
  };
  if (!input.deferRecord) await ports.store.tokens.insert(record);
  return { token, record };
}
