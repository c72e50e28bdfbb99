/**
 * @module http/client-auth
 * Client authentication at the token, revocation and introspection endpoints: `client_secret_basic`
 * and `client_secret_post` (RFC 6749 §2.3.1), public clients by `client_id` alone. Basic together with
 * the same `client_id`/`client_secret` in the body is accepted (Keycloak's clients send both); different
 * values are `invalid_client`. For the UMA grant only, a public client may be identified by a user's
 * bearer access token issued to it (Keycloak style: keycloak-js, keycloak-connect's public mode).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { acceptsSecret, fail, isPublicClient, partyFromAccessToken, type Client, type Realm, StewardError, UMA_GRANT_TYPE } from '@steward/core';
import type { Deps } from '../deps.ts';
import { bearerToken } from './bearer.ts';
import type { Form } from './form.ts';

export interface ClientCredentials {
  clientId: string;
  secret: string | null;
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

function decodeBasicPart(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw fail('invalid_client', 'Malformed Basic credentials');
  }
}

/** Reads the credentials a request presents, without checking them. */
export function readClientCredentials(request: FastifyRequest, form: Form): ClientCredentials | null {
  const header = request.headers.authorization;
  const postId = form.get('client_id');
  const postSecret = form.get('client_secret');
  if (header && /^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw fail('invalid_client', 'Malformed Basic credentials');
    const clientId = decodeBasicPart(decoded.slice(0, colon));
    const secret = decodeBasicPart(decoded.slice(colon + 1));
    // The body may repeat the Basic credentials (Keycloak's clients do); it may not contradict them.
    if (postId !== undefined && postId !== clientId) throw fail('invalid_client', 'client_id does not match the Basic credentials');
    if (postSecret !== undefined && !sameSecret(postSecret, secret)) throw fail('invalid_client', 'client_secret does not match the Basic credentials');
    return { clientId, secret, method: 'client_secret_basic' };
  }
  if (postId === undefined) return null;
  if (postSecret !== undefined) return { clientId: postId, secret: postSecret, method: 'client_secret_post' };
  return { clientId: postId, secret: null, method: 'none' };
}

/**
 * The authenticated client. Confidential clients must present their secret; a public client is
 * identified by `client_id`. Failures are `invalid_client` (401, with a Basic challenge when the
 * client used the Authorization header).
 */
export async function authenticateClient(deps: Deps, realm: Realm, request: FastifyRequest, reply: FastifyReply, form: Form): Promise<Client> {
  try {
    const bearer = umaBearer(request, form);
    if (bearer !== null) return await clientOfBearer(deps, realm, bearer, form);
    const creds = readClientCredentials(request, form);
    if (!creds) throw fail('invalid_client', 'Client authentication is required');
    const client = creds.clientId.length <= 255 ? await deps.store.clients.get(realm.id, creds.clientId) : null;
    if (!client || client.disabled) throw fail('invalid_client', 'Client authentication failed');
    if (client.secretHash === null) {
      if (creds.secret !== null) throw fail('invalid_client', 'Client authentication failed');
      return client;
    }
    // The secret it replaced is accepted until the end of its grace period (`steward client rotate-secret`).
    if (creds.secret === null || !acceptsSecret(client, deps.digest.sha256(creds.secret), deps.clock, deps.digest)) {
      throw fail('invalid_client', 'Client authentication failed');
    }
    return client;
  } catch (e) {
    if (e instanceof StewardError && e.code === 'invalid_client' && request.headers.authorization) {
      reply.header('www-authenticate', `Basic realm="${realm.id}"`);
    }
    throw e;
  }
}

/** Equal strings, compared in constant time over their SHA-256 (lengths may differ). */
function sameSecret(a: string, b: string): boolean {
  const hash = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(hash(a), hash(b));
}

/** The bearer token of a UMA grant request that sends no client secret, else null. */
function umaBearer(request: FastifyRequest, form: Form): string | null {
  if (form.get('grant_type') !== UMA_GRANT_TYPE || form.get('client_secret') !== undefined) return null;
  const token = bearerToken(request);
  return token === null || !/^bearer /i.test(request.headers.authorization ?? '') ? null : token;
}

/**
 * The public client a user's bearer access token was issued to (its `azp`). A confidential client must
 * authenticate itself; a `client_id` parameter must name the same client.
 */
async function clientOfBearer(deps: Deps, realm: Realm, token: string, form: Form): Promise<Client> {
  let client: Client;
  try {
    client = (await partyFromAccessToken(deps, realm.id, token)).client;
  } catch {
    throw fail('invalid_client', 'Invalid bearer token');
  }
  if (!isPublicClient(client)) throw fail('invalid_client', 'A confidential client must authenticate itself; a bearer token identifies a public client only');
  const postId = form.get('client_id');
  if (postId !== undefined && postId !== client.clientId) throw fail('invalid_client', 'client_id does not match the client of the bearer token');
  return client;
}
