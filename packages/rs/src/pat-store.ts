/**
 * @module pat-store — owners' PATs kept by the app. An owner connects once (the authorization code
 * flow, scope `uma_protection`); the app saves her tokens where it likes (`load`/`save`), and the kit
 * gives her current PAT, refreshing an expired or refused one with her refresh token (RFC 6749 §6)
 * and saving the result. Concurrent refreshes for one owner share one request: the AS rotates refresh
 * tokens, and a second request with the old one would be a replay.
 */
import { UmaEnforcerError } from './errors.ts';
import { asObject } from './http.ts';
import { tokenRequest } from './pat.ts';
import { checkedCall, sharedDiscovery } from './resources.ts';

/** An owner's tokens as the app keeps them. */
export interface UmaOwnerTokens {
  /** The PAT: an access token with scope `uma_protection`. */
  accessToken: string;
  /** The refresh token, when the AS gave one. */
  refreshToken?: string;
  /** When the PAT expires (seconds since the epoch), when known. */
  expiresAt?: number;
}

/** Options of {@link createPatStore}. */
export interface UmaPatStoreOptions {
  /** The AS issuer (its discovery document gives the token endpoint). */
  issuer: string;
  /** The resource server's client, which the tokens were issued to (it authenticates the refresh, RFC 6749 §6). */
  clientId: string;
  /** Its secret (HTTP Basic); leave out for a public client. */
  clientSecret?: string;
  /** The owner's saved tokens, or undefined when she never connected. */
  load: (owner: string) => UmaOwnerTokens | undefined | Promise<UmaOwnerTokens | undefined>;
  /** Saves the owner's tokens (after she connects, and after each refresh). */
  save: (owner: string, tokens: UmaOwnerTokens) => void | Promise<void>;
  /** Refresh this many seconds before `expiresAt`. Default 30. */
  refreshSkewSeconds?: number;
  /** Time limit of every call to the AS, milliseconds. Default 3000. */
  timeoutMs?: number;
  /** The fetch implementation (default: the global `fetch`). */
  fetch?: typeof fetch;
}

/** Owners' PATs: read, refreshed when needed, saved. */
export interface UmaPatStore {
  /**
   * The owner's current PAT: the saved one, or a fresh one when it is expired (or about to be) or is
   * `refused` (the AS just answered 401 to it). Rejects with a {@link UmaEnforcerError}: `pat_unavailable`
   * (nothing saved, or expired without a refresh token), `pat_refresh_refused` (the AS refused the
   * refresh token: she must connect again), `invalid_client`, or an `unreachable` code.
   */
  pat(owner: string, options?: { refused?: string }): Promise<string>;
  /** Saves a token endpoint answer (`access_token`, `refresh_token`, `expires_in`) as the owner's tokens. */
  saveTokenResponse(owner: string, response: unknown): Promise<UmaOwnerTokens>;
}

/** The tokens of a token endpoint answer (RFC 6749 §5.1), or null when it holds no access token. */
export function ownerTokensOf(response: unknown, nowSeconds: number): UmaOwnerTokens | null {
  const json = asObject(response);
  const accessToken = json?.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') return null;
  const tokens: UmaOwnerTokens = { accessToken };
  if (typeof json?.refresh_token === 'string' && json.refresh_token !== '') tokens.refreshToken = json.refresh_token;
  if (typeof json?.expires_in === 'number' && Number.isFinite(json.expires_in)) tokens.expiresAt = Math.floor(nowSeconds + Math.max(0, json.expires_in));
  return tokens;
}

/** Creates the store. */
export function createPatStore(options: UmaPatStoreOptions): UmaPatStore {
  const { fetchImpl, timeoutMs } = checkedCall(options, 'createPatStore');
  if (typeof options.clientId !== 'string' || options.clientId === '') throw new TypeError('createPatStore: clientId is required');
  if (typeof options.load !== 'function' || typeof options.save !== 'function') throw new TypeError('createPatStore: load and save must be functions');
  const skew = options.refreshSkewSeconds ?? 30;
  if (!Number.isFinite(skew) || skew < 0) throw new TypeError('createPatStore: refreshSkewSeconds must be a non-negative number');
  /** One refresh in flight per owner; removed once its result is saved. */
  const inFlight = new Map<string, Promise<string>>();
  const now = () => Date.now() / 1000;

  /** The saved PAT when it may still be used: present, not the refused one, not (about to be) expired. */
  function usable(tokens: UmaOwnerTokens | undefined, refused: string | undefined): string | undefined {
    if (!tokens || typeof tokens.accessToken !== 'string' || tokens.accessToken === '') return undefined;
    if (refused !== undefined && tokens.accessToken === refused) return undefined;
    return tokens.expiresAt === undefined || now() + skew < tokens.expiresAt ? tokens.accessToken : undefined;
  }

  async function refresh(owner: string, tokens: UmaOwnerTokens): Promise<string> {
    const { token_endpoint } = await sharedDiscovery(options.issuer, fetchImpl, timeoutMs);
    if (!token_endpoint) throw new UmaEnforcerError('discovery_invalid', `discovery of ${options.issuer}: no token_endpoint, so no PAT can be refreshed`);
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken! });
    const fresh = await tokenRequest(fetchImpl, token_endpoint, form, { clientId: options.clientId, clientSecret: options.clientSecret }, timeoutMs, {
      code: 'pat_refresh_refused',
      what: 'PAT refresh',
      refused: `refused the refresh token of owner ${JSON.stringify(owner)}`,
      fix: 'it expired or was revoked; the owner must connect again',
    }, (json) => ownerTokensOf(json, now()));
    // RFC 6749 §6: the AS may keep the refresh token; then the old one stays good.
    fresh.refreshToken ??= tokens.refreshToken!;
    await options.save(owner, fresh);
    return fresh.accessToken;
  }

  async function pat(owner: string, opts: { refused?: string } = {}): Promise<string> {
    if (typeof owner !== 'string' || owner === '') throw new TypeError('UmaPatStore.pat: owner must be a non-empty string');
    const saved = usable(await options.load(owner), opts.refused);
    if (saved !== undefined) return saved;
    let pending = inFlight.get(owner);
    if (!pending) {
      pending = (async () => {
        // Read again inside the one refresh: another one may have just saved fresh tokens.
        const current = await options.load(owner);
        const kept = usable(current, opts.refused);
        if (kept !== undefined) return kept;
        if (!current?.refreshToken) {
          throw new UmaEnforcerError('pat_unavailable', current ? `the PAT of owner ${JSON.stringify(owner)} expired or was refused, and there is no refresh token: she must connect again` : `no PAT saved for owner ${JSON.stringify(owner)}: she must connect (authorization code flow, scope uma_protection) first`);
        }
        return refresh(owner, current);
      })().finally(() => inFlight.delete(owner));
      inFlight.set(owner, pending);
    }
    return pending;
  }

  async function saveTokenResponse(owner: string, response: unknown): Promise<UmaOwnerTokens> {
    if (typeof owner !== 'string' || owner === '') throw new TypeError('UmaPatStore.saveTokenResponse: owner must be a non-empty string');
    const tokens = ownerTokensOf(response, now());
    if (!tokens) throw new TypeError('UmaPatStore.saveTokenResponse: the answer holds no access_token');
    await options.save(owner, tokens);
    return tokens;
  }

  return { pat, saveTokenResponse };
}
