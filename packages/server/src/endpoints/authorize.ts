/**
 * @module endpoints/authorize
 * The authorization endpoint (RFC 6749 §4.1, RFC 7636, RFC 9700 §2.1, §4.11, §4.12; OIDC Core §3.1)
 * with its server-rendered sign-in and consent page, and RP-initiated logout. Errors the client can be
 * trusted with are redirected to its registered redirect URI; all others are HTML pages.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  checkAuthorizationRequest,
  closeSession,
  currentSession,
  fail,
  issueAuthorizationCode,
  openSession,
  verifyPassword,
  type AuthorizationParams,
  type AuthorizationRequest,
  type BrowserSession,
  type Realm,
  StewardError,
} from '@steward/core';
import type { Deps } from '../deps.ts';
import { Form, formOf } from '../http/form.ts';
import { loadRealm } from '../http/realm.ts';
import { STATUS, toStewardError } from '../http/render-error.ts';
import { consentPage } from '../pages/consent.ts';
import { noStore, sendPage } from '../pages/html.ts';
import { logoutConfirmPage } from '../pages/logout.ts';
import { errorPage, signedOutPage } from '../pages/message.ts';
import { AUTHORIZE_DOCS, AUTHORIZE_SUBMIT_DOCS, LOGOUT_DOCS } from '../wire/authorize.ts';

const AUTH_URL = '/realms/:realm/protocol/openid-connect/auth';
const LOGOUT_URL = '/realms/:realm/protocol/openid-connect/logout';

/** Wire names of the authorization parameters, in the order they are validated. */
const PARAMS = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method'] as const;
type ParamName = (typeof PARAMS)[number];

type Req = FastifyRequest<{ Params: { realm: string } }>;

/** Name of the session cookie of a realm (realm ids are URL-safe). */
export function sessionCookieName(realm: string): string {
  return `steward_session_${realm}`;
}

/** A double-submit CSRF cookie: its name and the one path it is sent to. */
interface CsrfCookie {
  name: string;
  path: string;
}

function authCsrf(realm: Realm): CsrfCookie {
  return { name: `steward_csrf_${realm.id}`, path: `/realms/${realm.id}/protocol/openid-connect/auth` };
}

function logoutCsrf(realm: Realm): CsrfCookie {
  return { name: `steward_logout_csrf_${realm.id}`, path: `/realms/${realm.id}/protocol/openid-connect/logout` };
}

const CSRF_TOKEN = /^[A-Za-z0-9_-]{43}$/;

function queryForm(request: FastifyRequest): Form {
  const q = request.url.indexOf('?');
  return new Form(q < 0 ? '' : request.url.slice(q + 1));
}

function readParams(form: Form): { params: AuthorizationParams; values: Partial<Record<ParamName, string>> } {
  const values: Partial<Record<ParamName, string>> = {};
  const repeated: string[] = [];
  for (const name of PARAMS) {
    try {
      const v = form.get(name);
      if (v !== undefined) values[name] = v;
    } catch {
      repeated.push(name);
    }
  }
  return {
    values,
    params: {
      clientId: values.client_id,
      redirectUri: values.redirect_uri,
      responseType: values.response_type,
      scope: values.scope,
      state: values.state,
      nonce: values.nonce,
      codeChallenge: values.code_challenge,
      codeChallengeMethod: values.code_challenge_method,
      repeated,
    },
  };
}

/** `uri` with `params` added to its query, its own query and fragment preserved. */
export function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const hash = uri.indexOf('#');
  const base = hash < 0 ? uri : uri.slice(0, hash);
  const fragment = hash < 0 ? '' : uri.slice(hash);
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) query.append(k, v);
  const sep = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${sep}${query.toString()}${fragment}`;
}

function redirect(reply: FastifyReply, status: 302 | 303, uri: string): FastifyReply {
  return noStore(reply).code(status).header('location', uri).send();
}

function redirectError(deps: Deps, reply: FastifyReply, status: 302 | 303, realm: Realm, uri: string, state: string | undefined, error: StewardError): FastifyReply {
  const description = error.description?.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, ' ');
  return redirect(reply, status, withQuery(uri, { error: error.code, error_description: description, state, iss: deps.issuer(realm.id) }));
}

function showError(reply: FastifyReply, error: StewardError): FastifyReply {
  const status = STATUS[error.code];
  const title = status === 404 ? 'Not found' : status === 403 ? 'Request refused' : status >= 500 ? 'Something went wrong' : 'Cannot continue';
  return sendPage(reply, status, errorPage({ title, description: error.description ?? error.code, code: error.code }));
}

/** The redirect URI's origin as a CSP source, so browsers follow the 303 after the form (Chromium checks form-action on redirects). */
function formActionSource(redirectUri: string): string[] {
  try {
    const url = new URL(redirectUri);
    const source = url.origin !== 'null' ? url.origin : url.protocol;
    return /^[a-z][a-z0-9+.-]*:(\/\/[A-Za-z0-9.\-[\]:]+)?$/i.test(source) ? [source] : [];
  } catch {
    return [];
  }
}

function cookieOptions(deps: Deps) {
  return { httpOnly: true, secure: deps.config.baseUrl.startsWith('https:'), path: '/' } as const;
}

/** This browser's CSRF token for a form: the cookie's when well formed, else a new one (HttpOnly, SameSite=Strict, its path only). */
function csrfToken(deps: Deps, csrf: CsrfCookie, request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[csrf.name];
  if (existing && CSRF_TOKEN.test(existing)) return existing;
  const token = deps.random.token();
  reply.setCookie(csrf.name, token, { ...cookieOptions(deps), sameSite: 'strict', path: csrf.path });
  return token;
}

/** The cookie's token when the form's `csrf` field matches it (constant time), else null. */
function checkedCsrf(deps: Deps, csrf: CsrfCookie, request: FastifyRequest, form: Form): string | null {
  const cookie = request.cookies[csrf.name];
  const field = form.get('csrf');
  return cookie && field && deps.digest.equal(cookie, field) ? cookie : null;
}

function showConsent(
  reply: FastifyReply,
  realm: Realm,
  req: AuthorizationRequest,
  values: Partial<Record<ParamName, string>>,
  input: { csrf: string; session: BrowserSession | null; error?: StewardError; username?: string | undefined },
): FastifyReply {
  const page = consentPage({
    realmName: realm.displayName,
    clientName: req.client.name,
    clientId: req.client.clientId,
    scopes: req.scopes,
    signedInAs: input.session?.user.username ?? null,
    hidden: { ...values, csrf: input.csrf },
    error: input.error?.description,
    username: input.username,
  });
  return sendPage(reply, input.error ? STATUS[input.error.code] : 200, page, { formActionSources: formActionSource(req.redirectUri) });
}

/** GET, or a POST without a button pressed (OIDC Core §3.1.2.1 allows POST): validate and show the page. */
async function showRequest(deps: Deps, realm: Realm, form: Form, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { params, values } = readParams(form);
  const check = await checkAuthorizationRequest(deps, realm, params);
  if (!check.ok) {
    if (check.redirect) return redirectError(deps, reply, 302, realm, check.redirect.uri, check.redirect.state, check.error);
    return showError(reply, check.error);
  }
  const session = await currentSession(deps, realm.id, request.cookies[sessionCookieName(realm.id)]);
  return showConsent(reply, realm, check.request, values, { csrf: csrfToken(deps, authCsrf(realm), request, reply), session });
}

/** The form was submitted: check CSRF, validate again, then sign in and answer the client. */
async function submit(deps: Deps, realm: Realm, form: Form, action: string, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const cookie = checkedCsrf(deps, authCsrf(realm), request, form);
  if (!cookie) {
    return showError(reply, fail('forbidden', 'The form could not be verified (missing or stale security token). Reload the page and try again.'));
  }
  const { params, values } = readParams(form);
  const check = await checkAuthorizationRequest(deps, realm, params);
  if (!check.ok) {
    if (check.redirect) return redirectError(deps, reply, 303, realm, check.redirect.uri, check.redirect.state, check.error);
    return showError(reply, check.error);
  }
  const req = check.request;
  const back = (p: Record<string, string | undefined>) => redirect(reply, 303, withQuery(req.redirectUri, { ...p, state: req.state, iss: deps.issuer(realm.id) }));
  if (action === 'deny') return back({ error: 'access_denied', error_description: 'The resource owner denied the request' });
  if (action !== 'allow') return showError(reply, fail('invalid_request', 'Unknown action'));

  let session = await currentSession(deps, realm.id, request.cookies[sessionCookieName(realm.id)]);
  const username = form.get('username');
  const password = form.get('password');
  if (username !== undefined || password !== undefined || !session) {
    // Credentials typed on the page win over an existing session: the user chose who signs in.
    const user = username !== undefined && password !== undefined ? await verifyPassword(deps, realm.id, username, password) : null;
    if (!user) {
      const error = fail('login_required', username === undefined && password === undefined ? 'Please sign in.' : 'Invalid username or password.');
      return showConsent(reply, realm, req, values, { csrf: cookie, session: null, error, username: username?.slice(0, 256) });
    }
    const opened = await openSession(deps, realm.id, user.id, realm.settings.sessionLifetime);
    reply.setCookie(sessionCookieName(realm.id), opened.token, { ...cookieOptions(deps), sameSite: 'lax', maxAge: realm.settings.sessionLifetime });
    session = { user, authTime: opened.session.createdAt };
  }
  const code = await issueAuthorizationCode(deps, { realm, request: req, user: session.user, authTime: session.authTime });
  return back({ code });
}

/** Browser endpoints answer every error with a page (status from the central table), never JSON. */
function pageErrorHandler(this: FastifyInstance, err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let error = toStewardError(err);
  if (error.code === 'server_error') request.log.error({ err }, 'unexpected error');
  // A browser form that is not a form is a malformed request, as on the other protocol endpoints.
  if (error.code === 'unsupported_media_type') error = new StewardError('invalid_request', 'The form must be sent as application/x-www-form-urlencoded');
  return showError(reply, error);
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

export function authorizeRoutes(app: FastifyInstance, deps: Deps): void {
  app.route<{ Params: { realm: string } }>({
    method: 'GET',
    url: AUTH_URL,
    config: { docs: AUTHORIZE_DOCS },
    errorHandler: pageErrorHandler,
    handler: async (request, reply) => showRequest(deps, await loadRealm(deps, request.params.realm), queryForm(request), request, reply),
  });
  app.route<{ Params: { realm: string } }>({
    method: 'POST',
    url: AUTH_URL,
    config: { docs: AUTHORIZE_SUBMIT_DOCS },
    errorHandler: pageErrorHandler,
    handler: async (request, reply) => {
      const realm = await loadRealm(deps, request.params.realm);
      const form = formOf(request.body);
      const action = form.get('action');
      return action === undefined ? showRequest(deps, realm, form, request, reply) : submit(deps, realm, form, action, request, reply);
    },
  });
  app.route<{ Params: { realm: string } }>({
    method: ['GET', 'POST'],
    url: LOGOUT_URL,
    config: { docs: LOGOUT_DOCS },
    errorHandler: pageErrorHandler,
    handler: (request, reply) => logout(deps, request, reply),
  });
}
