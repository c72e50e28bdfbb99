/**
 * @module http/owner-session
 * Who is calling an owner API: the session token of `authenticate` (in the header named by
 * `sessionHeader`, or a cookie of that name), or an OAuth access token of the user's own with the
 * `sharing` scope (`Authorization: Bearer`). The first credential present decides; a bad one is never retried with
 * another.
 *
 * The cookie is a credential for safe methods only (GET, HEAD, OPTIONS), and only when the browser does not say the
 * request comes from another site: a page of any same-site origin can make the browser send the
 * cookie (SameSite=Lax) with a form post, but it can never set the session header or a bearer token.
 * A write that brings the session as a cookie alone is therefore a 401, like one with no credential.
 */
import type { FastifyRequest } from 'fastify';
import { fail, hasScope, OWNER_API_SCOPE, resolveSession, verifyJwt, type Realm, type StewardError, type User } from '@steward/core';
import type { Deps } from '../deps.ts';
import { bearerToken } from './bearer.ts';

function accessDenied(): StewardError {
  return fail('login_required', 'Access Denied');
}

/** Methods that change nothing (RFC 9110 §9.2.1): the only ones the session cookie may authorize. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether the browser says the request was made by another site's page: `Sec-Fetch-Site` other than
 * `same-origin` or `none` (a typed URL, a bookmark), or an `Origin` other than STEWARD_BASE_URL's.
 */
function fromAnotherSite(deps: Deps, request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = request.headers.origin;
  return origin !== undefined && origin !== new URL(deps.config.baseUrl).origin;
}

/**
 * The session token the request carries in the session header, or null. The cookie of that name
 * counts only for a safe method from Steward's own origin (or no origin the browser names).
 */
export function sessionTokenOf(deps: Deps, request: FastifyRequest): string | null {
  const name = deps.config.sessionHeader;
  const header = request.headers[name.toLowerCase()];
  if (typeof header === 'string' && header !== '') return header.trim();
  if (Array.isArray(header)) return '';
  if (!SAFE_METHODS.has(request.method) || fromAnotherSite(deps, request)) return null;
  const cookie = request.cookies?.[name];
  return typeof cookie === 'string' && cookie !== '' ? cookie : null;
}

const signedIn = new WeakMap<FastifyRequest, User>();

/**
 * The signed-in user of the request, or a 401 (`login_required`, "Access Denied"). Found once per
 * request: a route that identifies her before the body is read (`ownerSessionFirst`) does not ask again.
 */
export async function requireOwnerUser(deps: Deps, realm: Realm, request: FastifyRequest): Promise<User> {
  const known = signedIn.get(request);
  if (known !== undefined) return known;
  const user = await ownerUserOf(deps, realm, request);
  signedIn.set(request, user);
  return user;
}

async function ownerUserOf(deps: Deps, realm: Realm, request: FastifyRequest): Promise<User> {
  const session = sessionTokenOf(deps, request);
  if (session !== null) {
    const user = await resolveSession(deps, realm.id, session);
    if (!user) throw accessDenied();
    return user;
  }
  const token = bearerToken(request);
  if (!token) throw accessDenied();
  const active = await verifyJwt(deps, realm.id, token);
  // Only an access token speaks for a user (an RPT is the requesting party's, not the owner's), and
  // only one the user granted the sharing scope: a resource server's PAT or a sign-in token must not.
  if (!active || active.record.kind !== 'access' || !hasScope(active.record.data.scope, OWNER_API_SCOPE)) throw accessDenied();
  const user = await deps.store.users.get(realm.id, active.record.subject);
  if (!user || user.disabled) throw accessDenied();
  return user;
}
