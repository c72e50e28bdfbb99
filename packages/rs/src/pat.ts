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
    const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'uma_protection' });
    const res = await callAs(fetchImpl, token_endpoint, {
      method: 'POST',
      headers: { authorization: basicAuth(clientId, clientSecret), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
    }, timeoutMs);
    const json = asObject(res.json);
    if (res.status === 401 || (res.status === 400 && json?.error === 'invalid_client')) {
      throw new UmaEnforcerError('invalid_client', `the token endpoint ${token_endpoint} refused the client credentials of ${JSON.stringify(clientId)} (${describeAnswer(res.status, res.json)}): check clientId and clientSecret`);
    }
    if (res.status >= 400 && !isServerTrouble(res.status)) {
      throw new UmaEnforcerError('pat_request_refused', `the token endpoint ${token_endpoint} refused a PAT (client_credentials, scope uma_protection) to ${JSON.stringify(clientId)} (${describeAnswer(res.status, res.json)}): the client must be a resource server allowed the client_credentials grant and the uma_protection scope`);
    }
    const token = json?.access_token;
    if (res.status !== 200 || typeof token !== 'string' || token === '') throw unusable(`PAT request at ${token_endpoint}`, res);
    return { token, refreshAt: refreshAt(json?.expires_in) };
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
