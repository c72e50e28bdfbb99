/**
 * @module pat — protection API access tokens: the app's per-resource supplier, or the resource
 * server's own token by client_credentials (scope `uma_protection`), cached and refreshed before expiry.
 */
import type { UmaDiscovery } from './discovery.ts';
import { describeAnswer, UmaEnforcerError } from './errors.ts';
import { asObject, basicAuth, callAs, isServerTrouble, unusable } from './http.ts';
import type { UmaPatContext } from './types.ts';

/** Gives the PAT for a resource; `refused` names a PAT the AS just rejected, to get a fresh one. */
export type PatSource = (ctx: UmaPatContext) => Promise<string>;

interface Cached {
  token: string;
  /** Milliseconds since the epoch after which a new token is fetched. */
  refreshAt: number;
}

/** Refresh ahead of expiry by a tenth of the lifetime, at most 60 seconds. */
function refreshAt(expiresIn: unknown): number {
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn)) return Date.now() + 60_000;
  const lifetime = Math.max(0, expiresIn) * 1000;
  return Date.now() + lifetime - Math.min(60_000, lifetime / 10);
}

/** A client_credentials PAT source: one token shared by all requests, one fetch at a time. */
export function clientCredentialsPat(
  clientId: string,
  clientSecret: string,
  discovery: () => Promise<UmaDiscovery>,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): PatSource {
  let cached: Cached | null = null;
  let pending: Promise<Cached> | null = null;
  const obtain = async (): Promise<Cached> => {
    const { token_endpoint } = await discovery();
    if (!token_endpoint) throw new UmaEnforcerError('discovery_invalid', 'discovery: no token_endpoint, so no PAT by client_credentials: give the pat option instead');
    const form = new URLSearchParams({ grant_type: 'client_credentials', scope: 'uma_protection' });
    return tokenRequest(fetchImpl, token_endpoint, form, { clientId, clientSecret }, timeoutMs, {
      code: 'pat_request_refused',
      what: 'PAT request',
      refused: `refused a PAT (client_credentials, scope uma_protection) to ${JSON.stringify(clientId)}`,
      fix: 'the client must be a resource server allowed the client_credentials grant and the uma_protection scope',
    }, (json) => (typeof json.access_token === 'string' && json.access_token !== '' ? { token: json.access_token, refreshAt: refreshAt(json.expires_in) } : null));
  };
  return async (ctx) => {
    if (cached && ctx.refused === cached.token) cached = null;
    if (cached && Date.now() < cached.refreshAt) return cached.token;
    pending ??= (async () => {
      try {
        cached = await obtain();
        return cached;
      } finally {
        pending = null;
      }
    })();
    return (await pending).token;
  };
}

/** Wraps the app's supplier: its failures (or an empty PAT) mean no ticket can be had for this request. */
export function suppliedPat(supplier: (ctx: UmaPatContext) => string | Promise<string>): PatSource {
  return async (ctx) => {
    let token: unknown;
    try {
      token = await supplier(ctx);
    } catch (e) {
      // The kit's own PAT store already says what went wrong (AS unreachable, secret refused, owner not connected).
      if (e instanceof UmaEnforcerError && e.kind !== 'invalid_token' && e.kind !== 'insufficient_scope') throw e;
      const why = e instanceof Error ? e.message : String(e);
      throw new UmaEnforcerError('pat_supplier_failed', `the pat function threw for resource ${JSON.stringify(ctx.resourceId)}${ctx.refused ? ' (asked for a fresh PAT after the AS refused one)' : ''}: ${why}`, { cause: e });
    }
    if (typeof token !== 'string' || token === '') {
      throw new UmaEnforcerError('pat_supplier_failed', `the pat function returned ${token === '' ? 'an empty string' : typeof token} for resource ${JSON.stringify(ctx.resourceId)}, not a PAT`);
    }
    return token;
  };
}

/** How a token request's refusal (a 4xx other than a client authentication failure) is told. */
export interface TokenRefusal {
  code: 'pat_request_refused' | 'pat_refresh_refused';
  /** Names the call in an unusable-answer error (`PAT request`, `PAT refresh`). */
  what: string;
  /** What the endpoint refused, after "the token endpoint … ". */
  refused: string;
  /** What the developer should do. */
  fix: string;
}

/**
 * One call to the token endpoint (RFC 6749 §3.2) with the client's credentials (Basic with a secret,
 * else `client_id` in the form): the JSON answer of a 200, or the kit's error — `invalid_client` for a
 * client authentication failure, `refusal.code` for another 4xx, an unusable answer when the answer
 * is not a 200 whose JSON `read` accepts.
 */
export async function tokenRequest<T>(
  fetchImpl: typeof fetch,
  tokenEndpoint: string,
  form: URLSearchParams,
  client: { clientId: string; clientSecret?: string | undefined },
  timeoutMs: number,
  refusal: TokenRefusal,
  read: (json: Record<string, unknown>) => T | null,
): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (client.clientSecret) headers.authorization = basicAuth(client.clientId, client.clientSecret);
  else form.set('client_id', client.clientId);
  const res = await callAs(fetchImpl, tokenEndpoint, { method: 'POST', headers, body: form.toString() }, timeoutMs);
  const json = asObject(res.json);
  if (res.status === 401 || (res.status === 400 && json?.error === 'invalid_client')) {
    throw new UmaEnforcerError('invalid_client', `the token endpoint ${tokenEndpoint} refused the client credentials of ${JSON.stringify(client.clientId)} (${describeAnswer(res.status, res.json)}): check clientId and clientSecret`);
  }
  if (res.status >= 400 && !isServerTrouble(res.status)) {
    throw new UmaEnforcerError(refusal.code, `the token endpoint ${tokenEndpoint} ${refusal.refused} (${describeAnswer(res.status, res.json)}): ${refusal.fix}`);
  }
  const value = res.status === 200 && json ? read(json) : null;
  if (value === null) throw unusable(`${refusal.what} at ${tokenEndpoint}`, res);
  return value;
}
