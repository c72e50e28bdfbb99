/**
 * @module jwks — local RPT verification: signature against the AS's JWKS (jose's remote key set, which
 * refetches on an unknown `kid` at most once per cooldown), `iss`, `exp`/`nbf` with tolerance, `aud`
 * when configured, and `typ` (`Bearer`) when present.
 */
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type FlattenedJWSInput, type JWTHeaderParameters, type JWTVerifyGetKey } from 'jose';
import type { UmaDiscovery } from './discovery.ts';
import { AsUnavailable } from './http.ts';
import { readParties, readPermissions, type VerifiedRpt } from './verified.ts';

/** Asymmetric algorithms only: never `none`, never an HMAC keyed by a public key. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** Errors of key selection that mean "this token is not ours", not "the AS is down". */
const TOKEN_FAULTS = new Set([
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
  errors.JOSENotSupported.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JWKInvalid.code,
  errors.JWSInvalid.code,
]);

export interface JwksOptions {
  issuer: string;
  audience?: string | undefined;
  toleranceSeconds: number;
  timeoutMs: number;
  cooldownSeconds: number;
  fetch: typeof fetch;
}

/** A verifier bound to the discovered `jwks_uri`: valid → the RPT's content; invalid → null; AS trouble → throws {@link AsUnavailable}. */
export function jwksVerifier(options: JwksOptions): (token: string, discovery: UmaDiscovery) => Promise<VerifiedRpt | null> {
  let keys: { uri: string; get: JWTVerifyGetKey } | null = null;
  const keySet = (uri: string): JWTVerifyGetKey => {
    if (keys?.uri !== uri) {
      const remote = createRemoteJWKSet(new URL(uri), {
        timeoutDuration: options.timeoutMs,
        cooldownDuration: options.cooldownSeconds * 1000,
        [customFetch]: (url, init) => options.fetch(url, init),
      });
      // Transport trouble is told apart from a bad token here, where the key is fetched.
      const get: JWTVerifyGetKey = async (header: JWTHeaderParameters, input: FlattenedJWSInput) => {
        try {
          return await remote(header, input);
        } catch (e) {
          if (e instanceof errors.JOSEError && TOKEN_FAULTS.has(e.code)) throw e;
          throw new AsUnavailable(`JWKS ${uri}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
        }
      };
      keys = { uri, get };
    }
    return keys.get;
  };

  return async (token, discovery) => {
    if (!discovery.jwks_uri) throw new AsUnavailable('discovery: no jwks_uri');
    const get = keySet(discovery.jwks_uri);
    try {
      const { payload } = await jwtVerify(token, get, {
        issuer: options.issuer,
        algorithms: ALGORITHMS,
        clockTolerance: options.toleranceSeconds,
        requiredClaims: ['exp'],
        ...(options.audience !== undefined ? { audience: options.audience } : {}),
      });
      if (payload.typ !== undefined && (typeof payload.typ !== 'string' || payload.typ.toLowerCase() !== 'bearer')) return null;
      return { ...readParties(payload), permissions: readPermissions(payload.permissions) };
    } catch (e) {
      if (e instanceof AsUnavailable) throw e;
      return null;
    }
  };
}
