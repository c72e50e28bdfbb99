/**
 * @module selfcheck — `enforcer.selfCheck()`: at start-up, does once what requests will need and
 * rejects with the specific {@link UmaEnforcerError} of the first thing that fails, so a wrong issuer, realm,
 * secret or PAT function shows before the first request instead of as refusals.
 */
import type { UmaDiscovery } from './discovery.ts';
import { UmaEnforcerError } from './errors.ts';
import { asObject, callAs, unusable } from './http.ts';
import type { PatSource } from './pat.ts';
import type { UmaSelfCheckOptions, UmaSelfCheckReport, UmaVerifyMode } from './types.ts';

export interface SelfCheckDeps {
  issuer: string;
  defaultMode: UmaVerifyMode;
  /** True when the PAT comes from the app's `pat` function. */
  supplied: boolean;
  discovery: () => Promise<UmaDiscovery>;
  pat: PatSource;
  /** Introspects a token with the PAT; throws a UmaEnforcerError (kind `invalid_token` for an inactive token). */
  introspect: (token: string, discovery: UmaDiscovery, pat: PatSource, ctx: { resourceId: string; request: unknown }) => Promise<unknown>;
  fetch: typeof fetch;
  timeoutMs: number;
}

/** A token no AS issued: introspection must answer it `active: false`. */
const PROBE = 'steward-rs-self-check-not-a-token';

async function countKeys(uri: string, deps: SelfCheckDeps): Promise<number> {
  const res = await callAs(deps.fetch, uri, { headers: { accept: 'application/json, application/jwk-set+json' } }, deps.timeoutMs);
  if (res.status !== 200) throw unusable(`JWKS ${uri}`, res);
  const keys = asObject(res.json)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new UmaEnforcerError('as_bad_response', `JWKS ${uri}: no keys in the answer`);
  return keys.length;
}

export function selfChecker(deps: SelfCheckDeps): (options?: UmaSelfCheckOptions) => Promise<UmaSelfCheckReport> {
  return async (options = {}) => {
    const verify = options.verify ?? deps.defaultMode;
    const doc = await deps.discovery();
    const endpoints: UmaSelfCheckReport['endpoints'] = { permission_endpoint: doc.permission_endpoint };
    for (const name of ['token_endpoint', 'introspection_endpoint', 'jwks_uri'] as const) if (doc[name]) endpoints[name] = doc[name];
    const report: UmaSelfCheckReport = { issuer: deps.issuer, verify, endpoints, pat: 'not_checked' };
    if (verify === 'jwks') {
      if (!doc.jwks_uri) throw new UmaEnforcerError('discovery_invalid', 'discovery: no jwks_uri, so RPTs cannot be verified locally: use verify: \'introspection\'');
      report.jwksKeys = await countKeys(doc.jwks_uri, deps);
    } else if (!doc.introspection_endpoint) {
      throw new UmaEnforcerError('discovery_invalid', 'discovery: no introspection_endpoint, so RPTs cannot be introspected: use verify: \'jwks\'');
    }
    const canAskPat = !deps.supplied || options.resourceId !== undefined;
    const ctx = { resourceId: options.resourceId ?? '', request: options.request };
    if (canAskPat) {
      await deps.pat(ctx);
      report.pat = deps.supplied ? 'supplied' : 'client_credentials';
    }
    if (verify === 'introspection') {
      report.introspection = 'not_checked';
      if (canAskPat) {
        try {
          await deps.introspect(PROBE, doc, deps.pat, ctx);
          throw new UmaEnforcerError('as_bad_response', `introspection at ${doc.introspection_endpoint}: a made-up token was reported active`);
        } catch (e) {
          if (!(e instanceof UmaEnforcerError) || e.code !== 'token_inactive') throw e;
        }
        report.introspection = 'accepted';
      }
    }
    return report;
  };
}
