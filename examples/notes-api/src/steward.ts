/**
 * @module notes-api/steward
 * The calls the notes API makes to Steward itself (the kit makes the UMA ones): the discovery
 * document, the authorization code exchange, userinfo, and sharing a note through Steward's
 * owner policy API (`policy_endpoint`) with the owner's own token.
 */
import type { NotesConfig } from './config.ts';

/** The members of `{issuer}/.well-known/uma2-configuration` this API uses. */
export interface Endpoints {
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  policy_endpoint: string;
}

export interface Answer {
  status: number;
  json: any;
}

export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { ...init, headers: { accept: 'application/json', ...init.headers }, signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

export class Steward {
  readonly #config: NotesConfig;
  #endpoints: Promise<Endpoints> | undefined;

  constructor(config: NotesConfig) {
    this.#config = config;
  }

  endpoints(): Promise<Endpoints> {
    this.#endpoints ??= call(`${this.#config.issuer}/.well-known/uma2-configuration`).then((a) => {
      if (a.status !== 200) throw new Error(`Steward discovery answered ${a.status}`);
      return a.json as Endpoints;
    });
    this.#endpoints.catch(() => (this.#endpoints = undefined));
    return this.#endpoints;
  }

  #basic(): string {
    const { clientId, clientSecret } = this.#config;
    return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
  }

  /** Trades the authorization code for the owner's tokens (RFC 6749 §4.1.3, with the PKCE verifier of RFC 7636 §4.5). */
  async redeemCode(code: string, codeVerifier: string, redirectUri: string): Promise<Answer> {
    const { token_endpoint } = await this.endpoints();
    return call(token_endpoint, {
      method: 'POST',
      headers: { authorization: this.#basic(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier }),
    });
  }

  /** Who the token is for (OpenID Connect Core §5.3): `{ sub, preferred_username }`. */
  async userinfo(accessToken: string): Promise<Answer> {
    return call((await this.endpoints()).userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
  }

  /** Adds `users` to the note's sharing policy with these scopes (the owner's token, scope `sharing`). */
  async share(ownerToken: string, resourceId: string, users: string[], scopes: string[]): Promise<Answer> {
    const { policy_endpoint } = await this.endpoints();
    return call(`${policy_endpoint}/${encodeURIComponent(resourceId)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ users, scopes }),
    });
  }

  /** Stops sharing the note: Steward revokes the RPTs the policy allowed at once. */
  async unshare(ownerToken: string, resourceId: string): Promise<Answer> {
    const { policy_endpoint } = await this.endpoints();
    return call(`${policy_endpoint}/${encodeURIComponent(resourceId)}`, { method: 'DELETE', headers: { authorization: `Bearer ${ownerToken}` } });
  }
}
