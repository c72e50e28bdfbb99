/**
 * @module introspection — RPT verification by asking the AS (UMA Fed Authz §5, RFC 7662) with the PAT,
 * with a bounded LRU of active answers kept until min(ttl, the token's `exp`).
 */
import { createHash } from 'node:crypto';
import type { UmaDiscovery } from './discovery.ts';
import { AsUnavailable, asObject, callAs } from './http.ts';
import type { PatSource } from './pat.ts';
import { readParties, readPermissions, type VerifiedRpt } from './verified.ts';

export interface IntrospectionOptions {
  issuer: string;
  audience?: string | undefined;
  toleranceSeconds: number;
  timeoutMs: number;
  fetch: typeof fetch;
  maxEntries: number;
  ttlSeconds: number;
}

/** A bounded LRU of introspection answers, keyed by the token's SHA-256 (the cache holds no token). */
class AnswerCache {
  readonly #entries = new Map<string, { value: VerifiedRpt; until: number }>();
  readonly #max: number;
  constructor(max: number) {
    this.#max = max;
  }
  get(key: string): VerifiedRpt | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.until <= Date.now()) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }
  set(key: string, value: VerifiedRpt, until: number): void {
    if (this.#max <= 0 || until <= Date.now()) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value, until });
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

function audienceMatches(aud: unknown, wanted: string): boolean {
  return aud === wanted || (Array.isArray(aud) && aud.includes(wanted));
}

/** A verifier: active → the RPT's content; inactive or unusable → null; AS trouble → throws {@link AsUnavailable}. */
export function introspectionVerifier(options: IntrospectionOptions): (token: string, discovery: UmaDiscovery, pat: PatSource, ctx: { resourceId: string; request: unknown }) => Promise<VerifiedRpt | null> {
  const cache = new AnswerCache(options.maxEntries);

  const ask = async (endpoint: string, token: string, pat: PatSource, ctx: { resourceId: string; request: unknown }): Promise<Record<string, unknown>> => {
    let refused: string | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      const credential = await pat({ ...ctx, ...(refused ? { refused } : {}) });
      const res = await callAs(options.fetch, endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      }, options.timeoutMs);
      if (res.status === 401 && refused === undefined) {
        refused = credential;
        continue;
      }
      const body = asObject(res.json);
      if (res.status !== 200 || !body) throw new AsUnavailable(`introspection: HTTP ${res.status}`);
      return body;
    }
    throw new AsUnavailable('introspection: the PAT was refused twice');
  };

  return async (token, discovery, pat, ctx) => {
    if (!discovery.introspection_endpoint) throw new AsUnavailable('discovery: no introspection_endpoint');
    const key = createHash('sha256').update(token).digest('base64url');
    const hit = cache.get(key);
    if (hit) return hit;
    const answer = await ask(discovery.introspection_endpoint, token, pat, ctx);
    if (answer.active !== true) return null;
    const now = Date.now() / 1000;
    const tolerance = options.toleranceSeconds;
    const { exp, nbf, iss, aud, token_type } = answer;
    if (typeof exp === 'number' && exp + tolerance <= now) return null;
    if (typeof nbf === 'number' && nbf - tolerance > now) return null;
    if (iss !== undefined && iss !== options.issuer) return null;
    if (options.audience !== undefined && !audienceMatches(aud, options.audience)) return null;
    if (token_type !== undefined && (typeof token_type !== 'string' || token_type.toLowerCase() !== 'bearer')) return null;
    const verified: VerifiedRpt = { ...readParties(answer), permissions: readPermissions(answer.permissions) };
    const ttlEnd = Date.now() + options.ttlSeconds * 1000;
    cache.set(key, verified, typeof exp === 'number' ? Math.min(ttlEnd, exp * 1000) : ttlEnd);
    return verified;
  };
}
