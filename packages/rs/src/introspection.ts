/**
 * @module introspection — RPT verification by asking the AS (UMA Fed Authz §5, RFC 7662) with the PAT,
 * with a bounded LRU of active answers kept until min(ttl, the token's `exp`).
 */
import { createHash } from 'node:crypto';
import type { UmaDiscovery } from './discovery.ts';
import { describeAnswer, UmaEnforcerError } from './errors.ts';
import { asObject, callAs, isServerTrouble, unusable } from './http.ts';
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

/** A verifier: active and valid → the RPT's content; anything else throws a {@link UmaEnforcerError} (kind `invalid_token` for the token's faults). */
export function introspectionVerifier(options: IntrospectionOptions): (token: string, discovery: UmaDiscovery, pat: PatSource, ctx: { resourceId: string; request: unknown }, how?: { /** Ask the AS even when an answer is cached. */ fresh?: boolean }) => Promise<VerifiedRpt> {
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
      if (res.status === 401) {
        throw new UmaEnforcerError('pat_rejected', `the introspection endpoint ${endpoint} refused the PAT, and the fresh one too (${describeAnswer(res.status, res.json)}): the PAT must be an active uma_protection token of this issuer`);
      }
      if (res.status >= 400 && !isServerTrouble(res.status)) {
        throw new UmaEnforcerError('introspection_refused', `the introspection endpoint ${endpoint} refused to introspect with the PAT (${describeAnswer(res.status, res.json)}): the PAT's client must be allowed to introspect, or use verify: 'jwks'`);
      }
      const body = asObject(res.json);
      if (res.status !== 200 || !body) throw unusable(`introspection at ${endpoint}`, res);
      return body;
    }
    throw new UmaEnforcerError('pat_rejected', `the introspection endpoint ${endpoint} refused the PAT twice`);
  };

  return async (token, discovery, pat, ctx, how = {}) => {
    if (!discovery.introspection_endpoint) throw new UmaEnforcerError('discovery_invalid', 'discovery: no introspection_endpoint, so RPTs cannot be introspected: use verify: \'jwks\'');
    const key = createHash('sha256').update(token).digest('base64url');
    const hit = how.fresh ? undefined : cache.get(key);
    if (hit) return hit;
    const answer = await ask(discovery.introspection_endpoint, token, pat, ctx);
    const reject = (code: ConstructorParameters<typeof UmaEnforcerError>[0], what: string) => new UmaEnforcerError(code, `RPT rejected by introspection: ${what}`);
    if (answer.active !== true) throw reject('token_inactive', 'active is not true');
    const now = Date.now() / 1000;
    const tolerance = options.toleranceSeconds;
    const { exp, nbf, iss, aud, token_type } = answer;
    if (typeof exp === 'number' && exp + tolerance <= now) throw reject('token_expired', 'exp is past beyond the clock tolerance');
    if (typeof nbf === 'number' && nbf - tolerance > now) throw reject('token_not_yet_valid', 'nbf is in the future beyond the clock tolerance');
    if (iss !== undefined && iss !== options.issuer) throw reject('token_issuer_mismatch', `iss ${JSON.stringify(iss)} is not the configured issuer`);
    if (options.audience !== undefined && !audienceMatches(aud, options.audience)) throw reject('token_audience_mismatch', `aud ${JSON.stringify(aud)} does not contain ${JSON.stringify(options.audience)}`);
    if (token_type !== undefined && (typeof token_type !== 'string' || token_type.toLowerCase() !== 'bearer')) throw reject('token_type_invalid', `token_type ${JSON.stringify(token_type)} is not Bearer`);
    const verified: VerifiedRpt = { ...readParties(answer), permissions: readPermissions(answer.permissions) };
    const ttlEnd = Date.now() + options.ttlSeconds * 1000;
    cache.set(key, verified, typeof exp === 'number' ? Math.min(ttlEnd, exp * 1000) : ttlEnd);
    return verified;
  };
}
