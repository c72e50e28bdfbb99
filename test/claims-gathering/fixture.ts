/**
 * @module test/claims-gathering/fixture
 * What the claims gathering tests share: a browser-like cookie jar over `app.inject` (cookies stored
 * from Set-Cookie, sent back by path, cleared by Max-Age=0), the hidden fields of a page's form, and
 * the whole interaction (sign in, confirm) that a requesting party goes through.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { DEMO, toReply, type Reply } from '../helpers/http.ts';

export const CLAIMS = '/realms/demo/uma/claims';
/** The demo client's claims redirect URI for local apps (see realms/demo.ts). */
export const CALLBACK = 'http://127.0.0.1:3001/claims-callback';

interface Cookie {
  value: string;
  path: string;
}

/** A cookie jar and the requests that use it; only cookies matter here (no domains: one server). */
export class Jar {
  readonly app: FastifyInstance;
  readonly cookies = new Map<string, Cookie>();
  /** The browser's address as the server sees it. */
  readonly ip: string;

  constructor(app: FastifyInstance, ip = '127.0.0.1') {
    this.app = app;
    this.ip = ip;
  }

  /** The value of a cookie, if the jar holds it. */
  get(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  set(name: string, value: string, path = '/'): void {
    this.cookies.set(name, { value, path });
  }

  #header(url: string): string | undefined {
    const path = url.split('?')[0]!;
    const sent = [...this.cookies].filter(([, c]) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`));
    return sent.length === 0 ? undefined : sent.map(([n, c]) => `${n}=${c.value}`).join('; ');
  }

  #store(reply: { headers: Record<string, unknown> }): void {
    const raw = reply.headers['set-cookie'];
    for (const line of raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)]) {
      const [pair, ...attrs] = String(line).split(';').map((p) => p.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = decodeURIComponent(pair!.slice(eq + 1));
      const attr = (n: string) => attrs.find((a) => a.toLowerCase().startsWith(`${n}=`))?.slice(n.length + 1);
      const maxAge = attr('max-age');
      const expires = attr('expires');
      if (maxAge === '0' || (expires !== undefined && Date.parse(expires) < Date.now()) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, { value, path: attr('path') ?? '/' });
    }
  }

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string | undefined>, headers: Record<string, string> = {}): Promise<Reply> {
    const cookie = this.#header(url);
    const all: Record<string, string> = { ...(cookie ? { cookie } : {}), ...headers };
    let payload: string | undefined;
    if (form !== undefined) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) if (v !== undefined) body.append(k, v);
      payload = body.toString();
      all['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await this.app.inject({ method, url, headers: all, remoteAddress: this.ip, ...(payload !== undefined ? { payload } : {}) });
    this.#store(res);
    return toReply(res);
  }
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** The hidden fields of the page's form, unescaped. */
export function hiddenFields(page: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[m[1]!] = m[2]!.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);
  }
  return fields;
}

/** The query of a claims interaction request. */
export function claimsUrl(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.append(k, v);
  return `${CLAIMS}?${q.toString()}`;
}

export function assertPage(res: Reply, status: number, text?: RegExp): void {
  assert.equal(res.status, status, res.body.slice(0, 500));
  assert.match(String(res.headers['content-type']), /^text\/html/);
  assert.equal(res.headers.location, undefined, 'a page, not a redirect');
  if (text) assert.match(res.body, text);
}

/** The location of a redirect, resolved against the claims endpoint. */
export function location(res: Reply, status = 303): URL {
  assert.equal(res.status, status, res.body.slice(0, 500));
  assert.ok(typeof res.headers.location === 'string', 'a redirect');
  return new URL(res.headers.location, `http://steward.test${CLAIMS}`);
}

/** The sign-in page for a claims request; returns its hidden fields (with the CSRF token). */
export async function signInPage(jar: Jar, params: Record<string, string | undefined>): Promise<Record<string, string>> {
  const page = await jar.request('GET', claimsUrl(params));
  assertPage(page, 200, /Sign in to continue/);
  return hiddenFields(page.body);
}

/** Signs in on the sign-in page and follows to the consent page; returns the consent form's fields. */
export async function signIn(jar: Jar, fields: Record<string, string>, username = 'bob'): Promise<Record<string, string>> {
  const signedIn = location(await jar.request('POST', CLAIMS, { ...fields, action: 'signin', username, password: DEMO.password }));
  assert.equal(signedIn.pathname, CLAIMS);
  const consent = await jar.request('GET', signedIn.pathname + signedIn.search);
  assertPage(consent, 200, /asks to confirm who you are/);
  return hiddenFields(consent.body);
}

/**
 * The whole interaction: the sign-in page and signing in as `username` (unless the jar is signed in),
 * the consent page, Confirm (`remember` ticks the box). Returns where the browser is sent.
 */
export async function gatherClaims(jar: Jar, params: Record<string, string | undefined>, options: { username?: string; remember?: boolean } = {}): Promise<URL> {
  const page = await jar.request('GET', claimsUrl(params));
  assertPage(page, 200);
  // A browser already signed in goes straight to the consent page.
  const consent = /Sign in to continue/.test(page.body) ? await signIn(jar, hiddenFields(page.body), options.username) : hiddenFields(page.body);
  return location(await jar.request('POST', CLAIMS, { ...consent, action: 'allow', remember: options.remember ? 'yes' : undefined }));
}
