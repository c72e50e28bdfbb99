/**
 * @module http/client-auth
 * Client authentication at the token, revocation and introspection endpoints: `client_secret_basic`
 * and `client_secret_post` (RFC 6749 §2.3.1), public clients by `client_id` alone. Using two methods in
 * one request is an `invalid_request`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { fail, type Client, type Realm, StewardError } from '@steward/core';
import type { Deps } from '../deps.ts';
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
    if (postSecret !== undefined) throw fail('invalid_request', 'Use one client authentication method, not two');
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw fail('invalid_client', 'Malformed Basic credentials');
    const clientId = decodeBasicPart(decoded.slice(0, colon));
    if (postId !== undefined && postId !== clientId) throw fail('invalid_request', 'client_id does not match the authenticated client');
    return { clientId, secret: decodeBasicPart(decoded.slice(colon + 1)), method: 'client_secret_basic' };
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
  const creds = readClientCredentials(request, form);
  try {
    if (!creds) throw fail('invalid_client', 'Client authentication is required');
    const client = creds.clientId.length <= 255 ? await deps.store.clients.get(realm.id, creds.clientId) : null;
    if (!client || client.disabled) throw fail('invalid_client', 'Client authentication failed');
    if (client.secretHash === null) {
      if (creds.secret !== null) throw fail('invalid_client', 'Client authentication failed');
      return client;
    }
    if (creds.secret === null || !deps.digest.equal(deps.digest.sha256(creds.secret), client.secretHash)) {
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
