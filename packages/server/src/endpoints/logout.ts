/**
 * @module endpoints/logout
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0) for the browser: the session ends only
 * with proof the user wants it, and the way back is only ever an exactly registered redirect URI.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { closeSession, currentSession, fail, type Realm } from '@steward/core';
import type { Deps } from '../deps.ts';
import { checkedCsrf, cookieOptions, csrfToken, formActionSource, pageErrorHandler, queryForm, redirect, sessionCookieName, showError, withQuery, type CsrfCookie } from '../http/browser.ts';
import { Form, formOf } from '../http/form.ts';
import { loadRealm } from '../http/realm.ts';
import { sendPage } from '../pages/html.ts';
import { logoutConfirmPage } from '../pages/logout.ts';
import { signedOutPage } from '../pages/message.ts';
import { LOGOUT_DOCS } from '../wire/authorize.ts';

const LOGOUT_URL = '/realms/:realm/protocol/openid-connect/logout';

type Req = FastifyRequest<{ Params: { realm: string } }>;

function logoutCsrf(realm: Realm): CsrfCookie {
  return { name: `steward_logout_csrf_${realm.id}`, path: `/realms/${realm.id}/protocol/openid-connect/logout` };
}

type Claims = Record<string, unknown>;

/** The claims of an ID token this realm issued (expired allowed: RP-Initiated Logout §2), else null. */
async function idTokenClaims(deps: Deps, realm: Realm, hint: string | undefined): Promise<Claims | null> {
  if (hint === undefined || hint.length > 8192) return null;
  const claims = await deps.signer.verify(realm.id, hint);
  return claims && claims.typ === 'ID' && typeof claims.sub === 'string' ? claims : null;
}

/** The client a logout names: `client_id`, or the ID token's `azp` (or sole `aud`); undefined when the two disagree. */
function logoutClientId(clientId: string | undefined, claims: Claims | null): string | undefined {
  if (!claims) return clientId;
  const audiences = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).filter((a): a is string => typeof a === 'string');
  const azp = typeof claims.azp === 'string' ? claims.azp : undefined;
  if (clientId === undefined) return azp ?? (audiences.length === 1 ? audiences[0] : undefined);
  return (azp !== undefined ? azp === clientId : audiences.length === 0 || audiences.includes(clientId)) ? clientId : undefined;
}

/** `uri` when it is exactly one of the client's registered redirect URIs, else undefined. */
async function postLogoutRedirect(deps: Deps, realm: Realm, clientId: string | undefined, uri: string | undefined): Promise<string | undefined> {
  if (uri === undefined || clientId === undefined || clientId.length > 255) return undefined;
  const client = await deps.store.clients.get(realm.id, clientId);
  return client && !client.disabled && client.redirectUris.includes(uri) ? uri : undefined;
}

/**
 * RP-initiated logout. The session ends only with proof the user wants it (RP-Initiated Logout §2): an
 * ID token hint of the signed-in user, or the confirmation form posted back with its CSRF token.
 * Anything else (a cross-site GET, an `<img>`) gets the confirmation page and leaves the session alone.
 */
async function logout(deps: Deps, request: Req, reply: FastifyReply): Promise<FastifyReply> {
  const realm = await loadRealm(deps, request.params.realm);
  const post = request.method === 'POST';
  const form = post ? (request.body === undefined || request.body === null ? new Form('') : formOf(request.body)) : queryForm(request);
  const clientIdParam = form.get('client_id');
  const postLogoutUri = form.get('post_logout_redirect_uri');
  const state = form.get('state');
  const claims = await idTokenClaims(deps, realm, form.get('id_token_hint'));

  const sessionToken = request.cookies[sessionCookieName(realm.id)];
  const session = await currentSession(deps, realm.id, sessionToken);
  const clientId = logoutClientId(clientIdParam, claims);
  const target = await postLogoutRedirect(deps, realm, clientId, postLogoutUri);
  // Without a live session a hint has nobody to mismatch: it still names the client to go back to.
  const hinted = claims !== null && (session === null || claims.sub === session.user.id);
  if (hinted || (post && checkedCsrf(deps, logoutCsrf(realm), request, form))) {
    if (sessionToken) await closeSession(deps, realm.id, sessionToken);
    reply.clearCookie(sessionCookieName(realm.id), cookieOptions(deps));
    if (target) return redirect(reply, post ? 303 : 302, state === undefined ? target : withQuery(target, { state }));
    return sendPage(reply, 200, signedOutPage(realm.displayName));
  }
  if (post) return showError(reply, fail('forbidden', 'The sign-out form could not be verified (missing or stale security token). Nothing was changed; go back and try again.'));
  const page = logoutConfirmPage({
    realmName: realm.displayName,
    signedInAs: session?.user.username ?? null,
    // Only a validated way back travels in the form; the POST checks it again all the same.
    hidden: { ...(target ? { client_id: clientId, post_logout_redirect_uri: target, state } : {}), csrf: csrfToken(deps, logoutCsrf(realm), request, reply) },
  });
  return sendPage(reply, 200, page, { formActionSources: target ? formActionSource(target) : [] });
}

export function logoutRoutes(app: FastifyInstance, deps: Deps): void {
  app.route<{ Params: { realm: string } }>({
    method: ['GET', 'POST'],
    url: LOGOUT_URL,
    config: { docs: LOGOUT_DOCS },
    errorHandler: pageErrorHandler,
    handler: (request, reply) => logout(deps, request, reply),
  });
}
