/**
 * @module auth
 * Signing the user in to the console: the authorization-code flow with PKCE (S256) as the public
 * client `account-console`, tokens kept in memory only (a reload signs in again), refresh with the
 * refresh token, and sign-out at the realm's logout endpoint. Only the PKCE verifier and state live in
 * sessionStorage, for the one round trip to the sign-in page.
 */

export const CLIENT_ID = 'account-console';
const SCOPE = 'openid sharing';
const PENDING_KEY = 'steward.console.signin';

/** The realm, read from the page's own URL (`/realms/{realm}/account/`). */
export const realm: string = decodeURIComponent(/^\/realms\/([^/]+)\/account\//.exec(location.pathname)?.[1] ?? 'demo');
export const realmBase = `/realms/${encodeURIComponent(realm)}`;
export const redirectUri = `${location.origin}${realmBase}/account/`;

export interface Session {
  username: string;
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

let session: Session | null = null;

export function currentSession(): Session | null {
  return session;
}

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Leaves for the sign-in page; `returnTo` is the console location (hash) to come back to. */
export async function startSignIn(returnTo: string): Promise<void> {
  if (!crypto.subtle) throw new Error('This page must be served over HTTPS (or from localhost) to sign in.');
  const verifier = randomString();
  const state = randomString();
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ state, verifier, returnTo: returnTo.startsWith('#/') ? returnTo : '#/resources' }));
  const params = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: SCOPE,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(`${realmBase}/protocol/openid-connect/auth?${params}`);
}

interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  id_token?: string;
}

function usernameOf(idToken: string | undefined, accessToken: string): string {
  for (const jwt of [idToken, accessToken]) {
    if (!jwt) continue;
    try {
      const payload = JSON.parse(atob(jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { preferred_username?: unknown };
      if (typeof payload.preferred_username === 'string') return payload.preferred_username;
    } catch {
      // Not a JWT we can read: try the next one.
    }
  }
  throw new Error('The sign-in did not say who you are.');
}

async function tokenRequest(params: Record<string, string>): Promise<Session> {
  const res = await fetch(`${realmBase}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...params, client_id: CLIENT_ID }),
    credentials: 'omit',
  });
  const body = (await res.json().catch(() => ({}))) as Partial<TokenResponse> & { error?: string; error_description?: string };
  if (!res.ok || typeof body.access_token !== 'string') throw new Error(body.error_description ?? body.error ?? `Sign-in failed (${res.status})`);
  return {
    username: usernameOf(body.id_token, body.access_token),
    accessToken: body.access_token,
    refreshToken: body.refresh_token ?? session?.refreshToken ?? null,
    idToken: body.id_token ?? session?.idToken ?? null,
    expiresAt: Date.now() + (body.expires_in ?? 300) * 1000,
  };
}

/** What the page's URL says about signing in. */
export type Arrival = { kind: 'none' } | { kind: 'signedIn'; returnTo: string } | { kind: 'signedOut' } | { kind: 'error'; message: string };

/**
 * Finishes a sign-in when the URL carries the authorization response (checking `state` against the
 * one this tab sent), and cleans the URL. A sign-out's return is recognised by its state.
 */
export async function completeSignIn(): Promise<Arrival> {
  const query = new URLSearchParams(location.search);
  if (!query.has('code') && !query.has('error') && !query.has('state')) return { kind: 'none' };
  history.replaceState(null, '', `${location.pathname}${location.hash}`);
  if (query.get('state') === 'signed-out' && !query.has('code')) return { kind: 'signedOut' };
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as { state: string; verifier: string; returnTo: string } | null;
  sessionStorage.removeItem(PENDING_KEY);
  if (query.has('error')) {
    const denied = query.get('error') === 'access_denied';
    return { kind: 'error', message: denied ? 'Sign-in was cancelled.' : (query.get('error_description') ?? 'Sign-in failed.') };
  }
  if (!pending || pending.state !== query.get('state')) return { kind: 'error', message: 'This sign-in response does not belong to this tab. Please sign in again.' };
  session = await tokenRequest({ grant_type: 'authorization_code', code: query.get('code')!, redirect_uri: redirectUri, code_verifier: pending.verifier });
  return { kind: 'signedIn', returnTo: pending.returnTo };
}

let refreshing: Promise<Session | null> | null = null;

/** A fresh session: refreshed when the access token is about to expire; null when that is no longer possible. */
export async function freshSession(force = false): Promise<Session | null> {
  if (!session) return null;
  if (!force && session.expiresAt - Date.now() > 30_000) return session;
  if (!session.refreshToken) return null;
  refreshing ??= tokenRequest({ grant_type: 'refresh_token', refresh_token: session.refreshToken })
    .then((next) => (session = next))
    .catch(() => (session = null))
    .finally(() => (refreshing = null));
  return refreshing;
}

/** Revokes the refresh token and ends the browser session at the realm; comes back signed out. */
export async function signOut(): Promise<void> {
  const ending = session;
  session = null;
  if (ending?.refreshToken) {
    await fetch(`${realmBase}/protocol/openid-connect/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: ending.refreshToken, token_type_hint: 'refresh_token', client_id: CLIENT_ID }),
      credentials: 'omit',
    }).catch(() => undefined);
  }
  const params = new URLSearchParams({ client_id: CLIENT_ID, post_logout_redirect_uri: redirectUri, state: 'signed-out' });
  if (ending?.idToken) params.set('id_token_hint', ending.idToken);
  location.assign(`${realmBase}/protocol/openid-connect/logout?${params}`);
}
