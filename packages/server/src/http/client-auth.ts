/**
 * @module http/client-auth
 * Client authentication at the token, revocation and introspection endpoints: reads `client_secret_basic`
 * and `client_secret_post` credentials (RFC 6749 §2.3.1), a bare `client_id`, or, for the UMA grant
 * only, a user's bearer access token; the core (services/authenticate-client) checks them. Basic together
 * with the same `client_id`/`client_secret` in the body is accepted (Keycloak's clients send both);
 * different values are `invalid_client`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticateBearerClient, authenticateClientSecret, fail, type Caller, type Digest, type Realm, StewardError, UMA_GRANT_TYPE } from '@steward/core';
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
export function readClientCredentials(request: FastifyRequest, form: Form, digest: Digest): ClientCredentials | null {
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
    if (postSecret !== undefined && !sameSecret(postSecret, secret, digest)) throw fail('invalid_client', 'client_secret does not match the Basic credentials');
    return { clientId, secret, method: 'client_secret_basic' };
  }
  if (postId === undefined) return null;
  if (postSecret !== undefined) return { clientId: postId, secret: postSecret, method: 'client_secret_post' };
  return { clientId: postId, secret: null, method: 'none' };
}

/**
 * The authenticated client (services/authenticate-client) and, for a public client identified by its
 * user's bearer token at the UMA grant, that user as the requesting party: grants reuse it rather than
 * resolve the token again. Failures are `invalid_client` (401, with a Basic challenge when the client
 * used the Authorization header).
 */
export async function authenticateClient(deps: Deps, realm: Realm, request: FastifyRequest, reply: FastifyReply, form: Form): Promise<Caller> {
  try {
    const bearer = umaBearer(request, form);
    if (bearer !== null) return await authenticateBearerClient(deps, realm.id, bearer, form.get('client_id'));
    const creds = readClientCredentials(request, form, deps.digest);
    if (!creds) throw fail('invalid_client', 'Client authentication is required');
    return await authenticateClientSecret(deps, realm.id, creds);
  } catch (e) {
    if (e instanceof StewardError && e.code === 'invalid_client' && request.headers.authorization) {
      reply.header('www-authenticate', `Basic realm="${realm.id}"`);
    }
    throw e;
  }
}

/** Equal strings, compared in constant time over their SHA-256 (lengths may differ). */
function sameSecret(a: string, b: string, digest: Digest): boolean {
  return digest.equal(digest.sha256(a), digest.sha256(b));
}

/** The bearer token of a UMA grant request that sends no client secret, else null. */
function umaBearer(request: FastifyRequest, form: Form): string | null {
  if (form.get('grant_type') !== UMA_GRANT_TYPE || form.get('client_secret') !== undefined) return null;
  const token = bearerToken(request);
  return token === null || !/^bearer /i.test(request.headers.authorization ?? '') ? null : token;
}
