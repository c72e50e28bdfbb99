/**
 * @module pat — protection API access tokens: the app's per-resource supplier, or the resource
 * server's own token by client_credentials (scope `uma_protection`), cached and refreshed before expiry.
 */
import type { UmaDiscovery } from './discovery.ts';
import { AsUnavailable, asObject, basicAuth, callAs } from './http.ts';
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
    if (!token_endpoint) throw new AsUnavailable('discovery: no token_endpoint for the PAT');
    const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'uma_protection' });
    const res = await callAs(fetchImpl, token_endpoint, {
      method: 'POST',
      headers: { authorization: basicAuth(clientId, clientSecret), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
    }, timeoutMs);
    const json = asObject(res.json);
    const token = json?.access_token;
    if (res.status !== 200 || typeof token !== 'string' || token === '') throw new AsUnavailable(`PAT request refused: HTTP ${res.status} ${String(json?.error ?? '')}`.trim());
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

/** Wraps the app's supplier: its failures (or an empty PAT) mean no ticket can be had. */
export function suppliedPat(supplier: (ctx: UmaPatContext) => string | Promise<string>): PatSource {
  return async (ctx) => {
    let token: unknown;
    try {
      token = await supplier(ctx);
    } catch (e) {
      throw new AsUnavailable('the PAT supplier failed', { cause: e });
    }
    if (typeof token !== 'string' || token === '') throw new AsUnavailable('the PAT supplier returned no PAT');
    return token;
  };
}
