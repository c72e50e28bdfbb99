/**
 * @module http/browser
 * What the browser endpoints (authorization, logout) share: the session cookie, double-submit CSRF
 * cookies, redirects that keep the target's own query, and errors rendered as HTML pages.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { openSession, StewardError, type BrowserSession, type Realm, type User } from '@steward/core';
import type { Deps } from '../deps.ts';
import { noStore, sendPage } from '../pages/html.ts';
import { errorPage } from '../pages/message.ts';
import { Form } from './form.ts';
import { STATUS, toStewardError } from './render-error.ts';

/** Name of the session cookie of a realm (realm ids are URL-safe). */
export function sessionCookieName(realm: string): string {
  return `steward_session_${realm}`;
}

/** A double-submit CSRF cookie: its name and the one path it is sent to. */
export interface CsrfCookie {
  name: string;
  path: string;
}

const CSRF_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function queryForm(request: FastifyRequest): Form {
  const q = request.url.indexOf('?');
  return new Form(q < 0 ? '' : request.url.slice(q + 1));
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

export function redirect(reply: FastifyReply, status: 302 | 303, uri: string): FastifyReply {
  return noStore(reply).code(status).header('location', uri).send();
}

export function showError(reply: FastifyReply, error: StewardError): FastifyReply {
  const status = STATUS[error.code];
  if (error.extras.retryAfter !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(error.extras.retryAfter))));
  const title = status === 404 ? 'Not found' : status === 403 ? 'Request refused' : status >= 500 ? 'Something went wrong' : 'Cannot continue';
  return sendPage(reply, status, errorPage({ title, description: error.description ?? error.code, code: error.code }));
}

/** The redirect URI's origin as a CSP source, so browsers follow the 303 after the form (Chromium checks form-action on redirects). */
export function formActionSource(redirectUri: string): string[] {
  try {
    const url = new URL(redirectUri);
    const source = url.origin !== 'null' ? url.origin : url.protocol;
    return /^[a-z][a-z0-9+.-]*:(\/\/[A-Za-z0-9.\-[\]:]+)?$/i.test(source) ? [source] : [];
  } catch {
    return [];
  }
}

export function cookieOptions(deps: Deps) {
  return { httpOnly: true, secure: deps.config.baseUrl.startsWith('https:'), path: '/' } as const;
}

/** This browser's CSRF token for a form: the cookie's when well formed, else a new one (HttpOnly, SameSite=Strict, its path only). */
export function csrfToken(deps: Deps, csrf: CsrfCookie, request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[csrf.name];
  if (existing && CSRF_TOKEN.test(existing)) return existing;
  const token = deps.random.token();
  reply.setCookie(csrf.name, token, { ...cookieOptions(deps), sameSite: 'strict', path: csrf.path });
  return token;
}

/** The cookie's token when the form's `csrf` field matches it (constant time), else null. */
export function checkedCsrf(deps: Deps, csrf: CsrfCookie, request: FastifyRequest, form: Form): string | null {
  const cookie = request.cookies[csrf.name];
  const field = form.get('csrf');
  return cookie && field && deps.digest.equal(cookie, field) ? cookie : null;
}

/** Signs the user in on this browser: opens a session and sets its cookie (HttpOnly, SameSite=Lax). */
export async function signInBrowser(deps: Deps, realm: Realm, user: User, reply: FastifyReply): Promise<BrowserSession> {
  const opened = await openSession(deps, realm.id, user.id, realm.settings.sessionLifetime);
  reply.setCookie(sessionCookieName(realm.id), opened.token, { ...cookieOptions(deps), sameSite: 'lax', maxAge: realm.settings.sessionLifetime });
  return { user, authTime: opened.session.createdAt };
}

/** Browser endpoints answer every error with a page (status from the central table), never JSON. */
export function pageErrorHandler(this: FastifyInstance, err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let error = toStewardError(err);
  if (error.code === 'server_error') request.log.error({ err }, 'unexpected error');
  // A browser form that is not a form is a malformed request, as on the other protocol endpoints.
  if (error.code === 'unsupported_media_type') error = new StewardError('invalid_request', 'The form must be sent as application/x-www-form-urlencoded');
  return showError(reply, error);
}
