/**
 * @module jwks — local RPT verification: signature against the AS's JWKS (jose's remote key set, which
 * refetches on an unknown `kid` at most once per cooldown), `iss`, `exp`/`nbf` with tolerance, `aud`
 * when configured, and `typ` (`Bearer`) when present. A rejected token is a {@link UmaEnforcerError} of kind
 * `invalid_token` whose code says why; trouble fetching the keys is of kind `unreachable`.
 */
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type FlattenedJWSInput, type JWTHeaderParameters, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { UmaDiscovery } from './discovery.ts';
import { UmaEnforcerError } from './errors.ts';
import { isServerTrouble } from './http.ts';
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

/** Why jose rejected a token, as a code of kind `invalid_token`. */
export function tokenFault(e: unknown): UmaEnforcerError {
  const detail = e instanceof Error ? e.message : String(e);
  const fault = (code: ConstructorParameters<typeof UmaEnforcerError>[0], what: string) => new UmaEnforcerError(code, `RPT rejected: ${what} (${detail})`, { cause: e });
  if (e instanceof errors.JWTExpired) return fault('token_expired', 'expired beyond the clock tolerance');
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'aud') return fault('token_audience_mismatch', 'aud does not contain the configured audience');
    if (e.claim === 'iss') return fault('token_issuer_mismatch', 'iss is not the configured issuer');
    if (e.claim === 'nbf' && e.reason === 'check_failed') return fault('token_not_yet_valid', 'nbf is in the future beyond the clock tolerance');
    return fault('token_claims_invalid', `claim ${e.claim} ${e.reason === 'missing' ? 'is missing' : 'is invalid'}`);
  }
  if (e instanceof errors.JWSSignatureVerificationFailed || e instanceof errors.JWKSMultipleMatchingKeys) return fault('token_signature_invalid', 'the signature does not verify');
  if (e instanceof errors.JWKSNoMatchingKey) return fault('token_unknown_key', 'no key of the JWKS matches its kid and alg');
  if (e instanceof errors.JOSEAlgNotAllowed || e instanceof errors.JOSENotSupported) return fault('token_algorithm_not_allowed', 'its alg is not an allowed asymmetric algorithm');
  return fault('token_malformed', 'not a well-formed signed JWT');
}

/** Trouble fetching the JWKS (`status` is the last HTTP status seen, 0 when none). */
function keysFailure(uri: string, e: unknown, status: number): UmaEnforcerError {
  const detail = e instanceof Error ? e.message : String(e);
  if (e instanceof errors.JWKSTimeout) return new UmaEnforcerError('as_timeout', `JWKS ${uri}: no answer in time`, { cause: e });
  if (status === 0 || !(e instanceof errors.JOSEError)) return new UmaEnforcerError('as_unreachable', `JWKS ${uri}: unreachable (${e instanceof Error && e.cause instanceof Error ? e.cause.message : detail})`, { cause: e });
  if (isServerTrouble(status)) return new UmaEnforcerError('as_server_error', `JWKS ${uri}: HTTP ${status}`, { cause: e });
  return new UmaEnforcerError('as_bad_response', `JWKS ${uri}: ${status === 200 ? detail : `HTTP ${status}`}`, { cause: e });
}

/** A verifier bound to the discovered `jwks_uri`: valid → the RPT's content; anything else throws a {@link UmaEnforcerError}. */
export function jwksVerifier(options: JwksOptions): (token: string, discovery: UmaDiscovery) => Promise<VerifiedRpt> {
  let keys: { uri: string; get: JWTVerifyGetKey } | null = null;
  const keySet = (uri: string): JWTVerifyGetKey => {
    if (keys?.uri !== uri) {
      let lastStatus = 0;
      const remote = createRemoteJWKSet(new URL(uri), {
        timeoutDuration: options.timeoutMs,
        cooldownDuration: options.cooldownSeconds * 1000,
        [customFetch]: async (url, init) => {
          lastStatus = 0;
          const res = await options.fetch(url, init);
          lastStatus = res.status;
          return res;
        },
      });
      // Transport trouble is told apart from a bad token here, where the key is fetched.
      const get: JWTVerifyGetKey = async (header: JWTHeaderParameters, input: FlattenedJWSInput) => {
        try {
          return await remote(header, input);
        } catch (e) {
          if (e instanceof errors.JOSEError && TOKEN_FAULTS.has(e.code)) throw e;
          throw keysFailure(uri, e, lastStatus);
        }
      };
      keys = { uri, get };
    }
    return keys.get;
  };

  return async (token, discovery) => {
    if (!discovery.jwks_uri) throw new UmaEnforcerError('discovery_invalid', 'discovery: no jwks_uri, so RPTs cannot be verified locally: use verify: \'introspection\'');
    const get = keySet(discovery.jwks_uri);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, get, {
        issuer: options.issuer,
        algorithms: ALGORITHMS,
        clockTolerance: options.toleranceSeconds,
        requiredClaims: ['exp'],
        ...(options.audience !== undefined ? { audience: options.audience } : {}),
      }));
    } catch (e) {
      if (e instanceof UmaEnforcerError) throw e;
      throw tokenFault(e);
    }
    if (payload.typ !== undefined && (typeof payload.typ !== 'string' || payload.typ.toLowerCase() !== 'bearer')) {
      throw new UmaEnforcerError('token_type_invalid', `RPT rejected: typ ${JSON.stringify(payload.typ)} is not Bearer`);
    }
    return { ...readParties(payload), permissions: readPermissions(payload.permissions) };
  };
}
