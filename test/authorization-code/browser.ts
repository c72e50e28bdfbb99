/**
 * @module test/authorization-code/browser
 * A tiny browser over `app.inject` for the authorization code flow: a cookie jar, hidden-field
 * extraction from the consent page, and PKCE pairs.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { postForm, request, type Reply } from '../helpers/http.ts';

export const AUTH = '/realms/demo/protocol/openid-connect/auth';
export const LOGOUT = '/realms/demo/protocol/openid-connect/logout';
export const RS_CALLBACK = 'http://127.0.0.1:3000/callback';
export const CLIENT_CALLBACK = 'http://127.0.0.1:3001/callback';

export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

export function setCookies(reply: Reply): SetCookie[] {
  const raw = reply.headers['set-cookie'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map((line) => {
    const [pair, ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair!.indexOf('=');
    const attributes: Record<string, string | true> = {};
    for (const a of attrs) {
      const i = a.indexOf('=');
      if (i < 0) attributes[a.toLowerCase()] = true;
      else attributes[a.slice(0, i).toLowerCase()] = a.slice(i + 1);
    }
    return { name: pair!.slice(0, eq), value: decodeURIComponent(pair!.slice(eq + 1)), attributes };
  });
}

function unescapeHtml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The hidden inputs of a page, unescaped. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[unescapeHtml(m[1]!)] = unescapeHtml(m[2]!);
  return fields;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Query parameters of a Location header. */
export function locationParams(reply: Reply): URLSearchParams {
  return new URL(String(reply.headers.location)).searchParams;
}

export class Browser {
  readonly app: FastifyInstance;
  readonly cookies = new Map<string, string>();

  constructor(app: FastifyInstance) {
    this.app = app;
  }

  #remember(reply: Reply): Reply {
    for (const c of setCookies(reply)) {
      const expired = c.attributes['max-age'] === '0' || (typeof c.attributes.expires === 'string' && Date.parse(c.attributes.expires) <= Date.now());
      if (expired || c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return reply;
  }

  #headers(): Record<string, string> {
    return this.cookies.size === 0 ? {} : { cookie: [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ') };
  }

  async get(url: string): Promise<Reply> {
    return this.#remember(await request(this.app, 'GET', url, { headers: this.#headers() }));
  }

  async post(url: string, params: Record<string, string | string[] | undefined>): Promise<Reply> {
    return this.#remember(await postForm(this.app, url, params, this.#headers()));
  }

  /** GET the authorization page for these parameters. */
  async authorize(params: Record<string, string>): Promise<{ page: Reply; hidden: Record<string, string> }> {
    const page = await this.get(`${AUTH}?${new URLSearchParams(params)}`);
    return { page, hidden: hiddenFields(page.body) };
  }

  /** Submits the page's form with a button and optional credentials. */
  submit(hidden: Record<string, string>, fields: { action: 'allow' | 'deny'; username?: string; password?: string }): Promise<Reply> {
    return this.post(AUTH, { ...hidden, ...fields });
  }
}
