/**
 * @module endpoints/authorize
 * The authorization endpoint (RFC 6749 §4.1, RFC 7636, RFC 9700 §2.1, §4.11, §4.12; OIDC Core §3.1)
 * with its server-rendered sign-in and consent page. Errors the client can be
 * trusted with are redirected to its registered redirect URI; all others are HTML pages.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  checkAuthorizationRequest,
  currentSession,
  fail,
  issueAuthorizationCode,
  verifyPassword,
  type AuthorizationParams,
  type AuthorizationRequest,
  type BrowserSession,
  type Realm,
  type StewardError,
} from '@steward/core';
import type { Deps } from '../deps.ts';
import { checkedCsrf, csrfToken, formActionSource, pageErrorHandler, queryForm, redirect, sessionCookieName, showError, signInBrowser, withQuery, type CsrfCookie } from '../http/browser.ts';
import { type Form, formOf } from '../http/form.ts';
import { loadRealm } from '../http/realm.ts';
import { STATUS } from '../http/render-error.ts';
import { consentPage } from '../pages/consent.ts';
import { sendPage } from '../pages/html.ts';
import { AUTHORIZE_DOCS, AUTHORIZE_SUBMIT_DOCS } from '../wire/authorize.ts';

const AUTH_URL = '/realms/:realm/protocol/openid-connect/auth';

/** Wire names of the authorization parameters, in the order they are validated. */
const PARAMS = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method'] as const;
type ParamName = (typeof PARAMS)[number];

function authCsrf(realm: Realm): CsrfCookie {
  return { name: `steward_csrf_${realm.id}`, path: `/realms/${realm.id}/protocol/openid-connect/auth` };
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

function redirectError(deps: Deps, reply: FastifyReply, status: 302 | 303, realm: Realm, uri: string, state: string | undefined, error: StewardError): FastifyReply {
  const description = error.description?.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, ' ');
  return redirect(reply, status, withQuery(uri, { error: error.code, error_description: description, state, iss: deps.issuer(realm.id) }));
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
    const user = username !== undefined && password !== undefined ? await verifyPassword(deps, realm.id, username, password, request.ip) : null;
    if (!user) {
      const error = fail('login_required', username === undefined && password === undefined ? 'Please sign in.' : 'Invalid username or password.');
      return showConsent(reply, realm, req, values, { csrf: cookie, session: null, error, username: username?.slice(0, 256) });
    }
    session = await signInBrowser(deps, realm, user, reply);
  }
  const code = await issueAuthorizationCode(deps, { realm, request: req, user: session.user, authTime: session.authTime });
  return back({ code });
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
}
