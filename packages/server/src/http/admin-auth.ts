/**
 * @module http/admin-auth
 * The admin API's authentication: `Authorization: Bearer <admin token>`, where only the token's SHA-256
 * (hex) is configured (`STEWARD_ADMIN_TOKEN_SHA256`), compared in constant time. Without that key the
 * admin API is off and every admin route answers 404. Errors are OAuth-style JSON, like every non-CREST
 * API: 401 `invalid_token` (with a `WWW-Authenticate: Bearer realm="admin"` challenge) for a missing or
 * wrong token.
 *
 * Use it as the route's `onRequest` hook: `app.get(url, { onRequest: adminAuth(deps), config: { docs } }, …)`,
 * so the token is checked before the body is read (a caller without it learns 401 whatever it sends,
 * RFC 6750 §3.1), or call `requireAdmin` first thing in the handler of a route without a body. Routes under `/admin/realms/:realm/…` then load the
 * realm with `adminRealm` (404 `not_found` when it does not exist).
 */
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { fail, REALM_ID_PATTERN, type Realm, type StewardErrorCode } from '@steward/core';
import type { Deps } from '../deps.ts';
import { bearerToken } from './bearer.ts';

/** The error codes any admin route may answer because of authentication; list them in the route docs. */
export const ADMIN_AUTH_ERRORS: readonly StewardErrorCode[] = ['invalid_token', 'not_found'];

/** Throws unless the request carries the admin token. */
export function requireAdmin(deps: Deps, request: FastifyRequest, reply: FastifyReply): void {
  const expected = deps.config.adminTokenSha256;
  if (expected === null) throw fail('not_found', 'The admin API is off (STEWARD_ADMIN_TOKEN_SHA256 is not set)');
  const token = bearerToken(request);
  if (token === null || token === '') {
    reply.header('www-authenticate', token === null ? 'Bearer realm="admin"' : 'Bearer realm="admin", error="invalid_token"');
    throw fail('invalid_token', 'The admin token is required (Authorization: Bearer)');
  }
  // Both sides are hex digests of the same length; digest.equal compares them in constant time.
  if (!deps.digest.equal(deps.digest.sha256(token), expected.toLowerCase())) {
    reply.header('www-authenticate', 'Bearer realm="admin", error="invalid_token"');
    throw fail('invalid_token', 'The admin token is not valid');
  }
}

/** `requireAdmin` as a route's `onRequest` hook (before the body is read). */
export function adminAuth(deps: Deps): onRequestAsyncHookHandler {
  return async (request, reply) => {
    requireAdmin(deps, request, reply);
  };
}

/** The realm named in an admin URL; 404 `not_found` when absent. Call after `requireAdmin`. */
export async function adminRealm(deps: Deps, id: string): Promise<Realm> {
  const realm = REALM_ID_PATTERN.test(id) ? await deps.store.realms.get(id) : null;
  if (!realm) throw fail('not_found', `Realm ${id.slice(0, 64)} not found`);
  return realm;
}
