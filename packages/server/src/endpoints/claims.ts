/**
 * @module endpoints/claims
 * The claims interaction endpoint (UMA Grant §3.3.2, §3.3.3, §5.1) with its server-rendered sign-in
 * and consent pages. A wrong client or claims redirect URI is an HTML page, never a redirect; later
 * errors go to the validated claims redirect URI. The forms carry the browser endpoints' double-submit
 * CSRF token; a confirmation spends the presented ticket and sends the browser back with a new one.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  checkClaimsRequest,
  confirmClaims,
  currentSession,
  describeClaimsTicket,
  fail,
  isStewardError,
  refuseClaims,
  verifyPassword,
  type ClaimsParams,
  type ClaimsRequest,
  type Realm,
  type StewardError,
} from '@steward/core';
import type { Deps } from '../deps.ts';
import { checkedCsrf, cookieOptions, csrfToken, formActionSource, pageErrorHandler, queryForm, redirect, sessionCookieName, showError, signInBrowser, withQuery, type CsrfCookie } from '../http/browser.ts';
import { type Form, formOf } from '../http/form.ts';
import { loadRealm } from '../http/realm.ts';
import { STATUS } from '../http/render-error.ts';
import { claimsConsentPage, claimsSignInPage, type ClaimsPageInput } from '../pages/claims.ts';
import { sendPage } from '../pages/html.ts';
import { CLAIMS_DOCS, CLAIMS_SUBMIT_DOCS } from '../wire/claims.ts';

const CLAIMS_URL = '/realms/:realm/uma/claims';

/** Wire names of the request parameters, in the order they are validated. */
const PARAMS = ['client_id', 'claims_redirect_uri', 'ticket', 'state'] as const;
type ParamName = (typeof PARAMS)[number];
type Values = Partial<Record<ParamName, string>>;

function claimsCsrf(realm: Realm): CsrfCookie {
  return { name: `steward_claims_csrf_${realm.id}`, path: `/realms/${realm.id}/uma/claims` };
}

function readParams(form: Form): { params: ClaimsParams; values: Values } {
  const values: Values = {};
  const repeated: string[] = [];
  for (const name of PARAMS) {
    try {
      const v = form.get(name);
      if (v !== undefined) values[name] = v;
    } catch {
      repeated.push(name);
    }
  }
  return { values, params: { clientId: values.client_id, claimsRedirectUri: values.claims_redirect_uri, ticket: values.ticket, state: values.state, repeated } };
}

/** An error for the client at its validated claims redirect URI (RFC 6749 §4.1.2.1, as UMA Grant §3.3.2 asks). */
function redirectError(reply: FastifyReply, status: 302 | 303, uri: string, state: string | undefined, error: StewardError): FastifyReply {
  const description = error.description?.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, ' ');
  return redirect(reply, status, withQuery(uri, { error: error.code, error_description: description, state }));
}

/** Validates the request: the request, or null once the answer (an error page or an error redirect) is sent. */
async function checked(deps: Deps, realm: Realm, params: ClaimsParams, reply: FastifyReply, status: 302 | 303): Promise<ClaimsRequest | null> {
  const check = await checkClaimsRequest(deps, realm, params);
  if (check.ok) return check.request;
  if (check.redirect) redirectError(reply, status, check.redirect.uri, check.redirect.state, check.error);
  else showError(reply, check.error);
  return null;
}

function pageInput(realm: Realm, req: ClaimsRequest, values: Values, csrf: string, error?: StewardError): ClaimsPageInput {
  return {
    realmName: realm.displayName,
    clientName: req.client.name,
    clientId: req.client.clientId,
    hidden: { ...values, csrf },
    error: error?.description,
  };
}

function sendClaimsPage(reply: FastifyReply, req: ClaimsRequest, status: number, page: ReturnType<typeof claimsSignInPage>): FastifyReply {
  // The Cancel and Refuse buttons end in a 303 to the client: Chromium checks form-action on redirects.
  return sendPage(reply, status, page, { formActionSources: formActionSource(req.redirectUri) });
}

function showSignIn(reply: FastifyReply, realm: Realm, req: ClaimsRequest, values: Values, csrf: string, error?: StewardError, username?: string): FastifyReply {
  return sendClaimsPage(reply, req, error ? STATUS[error.code] : 200, claimsSignInPage({ ...pageInput(realm, req, values, csrf, error), username }));
}

/** GET: validate, then the sign-in page (naming the client only), or the consent page when the browser is signed in. */
async function show(deps: Deps, realm: Realm, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { params, values } = readParams(queryForm(request));
  const req = await checked(deps, realm, params, reply, 302);
  if (!req) return reply;
  const csrf = csrfToken(deps, claimsCsrf(realm), request, reply);
  const session = await currentSession(deps, realm.id, request.cookies[sessionCookieName(realm.id)]);
  if (!session) return showSignIn(reply, realm, req, values, csrf);
  // Whose resources the ticket is about is for a signed-in user only: the ticket alone proves nothing.
  const about = await describeClaimsTicket(deps, realm, req, session.user);
  const page = claimsConsentPage({ ...pageInput(realm, req, values, csrf), ...about, signedInAs: session.user.username, rememberDays: Math.max(1, Math.round(realm.settings.pctLifetime / 86400)) });
  return sendClaimsPage(reply, req, 200, page);
}

/** POST: the CSRF token first (nothing is read or spent without it), then the request again, then the button. */
async function submit(deps: Deps, realm: Realm, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const form = formOf(request.body);
  const csrfCookie = claimsCsrf(realm);
  const csrf = checkedCsrf(deps, csrfCookie, request, form);
  if (!csrf) return showError(reply, fail('forbidden', 'The form could not be verified (missing or stale security token). Go back to the application and start again.'));
  const action = form.get('action');
  const { params, values } = readParams(form);
  const req = await checked(deps, realm, params, reply, 303);
  if (!req) return reply;
  // An answer (confirm or refuse) ends this form: the same token cannot be posted again.
  const endForm = () => reply.clearCookie(csrfCookie.name, { ...cookieOptions(deps), sameSite: 'strict', path: csrfCookie.path });

  if (action === 'signin') {
    const username = form.get('username');
    const password = form.get('password');
    const user = username !== undefined && password !== undefined ? await verifyPassword(deps, realm.id, username, password, request.ip) : null;
    if (!user) {
      const error = fail('login_required', username === undefined && password === undefined ? 'Please sign in.' : 'Invalid username or password.');
      return showSignIn(reply, realm, req, values, csrf, error, username?.slice(0, 256));
    }
    await signInBrowser(deps, realm, user, reply);
    // Post/redirect/get: the consent page is the GET of the same request.
    return redirect(reply, 303, `claims?${new URLSearchParams(values as Record<string, string>).toString()}`);
  }
  if (action === 'deny') {
    await refuseClaims(deps, realm, req);
    endForm();
    return redirectError(reply, 303, req.redirectUri, req.state, fail('access_denied', 'The requesting party refused to share her identity'));
  }
  if (action !== 'allow') return showError(reply, fail('invalid_request', 'Unknown action'));

  const session = await currentSession(deps, realm.id, request.cookies[sessionCookieName(realm.id)]);
  if (!session) return showSignIn(reply, realm, req, values, csrf, fail('login_required', 'Please sign in.'));
  const remember = form.get('remember') === 'yes';
  let ticket: string;
  try {
    ticket = await confirmClaims(deps, realm, req, session.user, remember);
  } catch (e) {
    // The ticket was spent or expired since the page was shown (a second tab, a double click).
    if (isStewardError(e) && e.code === 'invalid_request') return redirectError(reply, 303, req.redirectUri, req.state, e);
    throw e;
  }
  endForm();
  return redirect(reply, 303, withQuery(req.redirectUri, { authorization_state: 'claims_submitted', ticket, state: req.state }));
}

export function claimsRoutes(app: FastifyInstance, deps: Deps): void {
  app.route<{ Params: { realm: string } }>({
    method: 'GET',
    url: CLAIMS_URL,
    config: { docs: CLAIMS_DOCS },
    errorHandler: pageErrorHandler,
    handler: async (request, reply) => show(deps, await loadRealm(deps, request.params.realm), request, reply),
  });
  app.route<{ Params: { realm: string } }>({
    method: 'POST',
    url: CLAIMS_URL,
    config: { docs: CLAIMS_SUBMIT_DOCS },
    errorHandler: pageErrorHandler,
    handler: async (request, reply) => submit(deps, await loadRealm(deps, request.params.realm), request, reply),
  });
}
