/**
 * @module enforcer — the one decision both adapters use: a sufficient RPT passes; anything else gets a
 * permission ticket and a `401` UMA challenge; an AS that cannot be reached or refuses a ticket gets
 * `403` + Warning; a configuration that does not match the AS gets `500`. Every refusal reason is told
 * to `onError`.
 */
import { accessReporter, noAccessReports } from './access-reports.ts';
import { discoveryLoader, type UmaDiscovery } from './discovery.ts';
import { UmaEnforcerError } from './errors.ts';
import { introspectionVerifier } from './introspection.ts';
import { jwksVerifier } from './jwks.ts';
import { clientCredentialsPat, suppliedPat, type PatSource } from './pat.ts';
import { reporter } from './report.ts';
import { revocationStream, unverifiedJti, type RevocationWatch } from './revocations.ts';
import { challenge, failure } from './responses.ts';
import { selfChecker } from './selfcheck.ts';
import { requestTicket } from './ticket.ts';
import type { UmaCheckInput, UmaCheckResult, UmaDenial, UmaEnforcer, UmaEnforcerOptions } from './types.ts';
import { findGrant, type VerifiedRpt } from './verified.ts';

/** The RPT of an `Authorization: Bearer <token>` header (RFC 6750 §2.1), or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization ?? '');
  return match?.[1];
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`createUmaEnforcer: ${name} must be a non-negative number`);
  return value;
}

/**
 * Creates the enforcer. Needs either `pat` (the app supplies the owner's PAT per resource) or
 * `clientId` + `clientSecret` (the resource server's own PAT by client_credentials).
 */
export function createUmaEnforcer(options: UmaEnforcerOptions): UmaEnforcer {
  if (typeof options.issuer !== 'string' || !URL.canParse(options.issuer)) throw new TypeError('createUmaEnforcer: issuer must be a URL');
  if (!options.pat && !(options.clientId && options.clientSecret)) throw new TypeError('createUmaEnforcer: give pat, or clientId and clientSecret');
  if (options.onError !== undefined && typeof options.onError !== 'function') throw new TypeError('createUmaEnforcer: onError must be a function');
  const issuer = options.issuer;
  const realm = options.realm ?? 'resource-server';
  const defaultMode = options.verify ?? 'jwks';
  const timeoutMs = nonNegative(options.timeoutMs, 3000, 'timeoutMs');
  const toleranceSeconds = nonNegative(options.clockToleranceSeconds, 30, 'clockToleranceSeconds');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const discovery = discoveryLoader(issuer, fetchImpl, timeoutMs);
  const pat: PatSource = options.pat ? suppliedPat(options.pat) : clientCredentialsPat(options.clientId!, options.clientSecret!, discovery, fetchImpl, timeoutMs);
  const common = { issuer, audience: options.audience, toleranceSeconds, timeoutMs, fetch: fetchImpl };
  const viaJwks = jwksVerifier({ ...common, cooldownSeconds: nonNegative(options.jwksCooldownSeconds, 30, 'jwksCooldownSeconds') });
  const viaIntrospection = introspectionVerifier({
    ...common,
    maxEntries: nonNegative(options.introspectionCache?.maxEntries, 1000, 'introspectionCache.maxEntries'),
    ttlSeconds: nonNegative(options.introspectionCache?.ttlSeconds, 30, 'introspectionCache.ttlSeconds'),
  });

  const report = reporter(options.onError);
  const accessReports = options.reportAccess === false
    ? noAccessReports()
    : accessReporter({ pat, supplied: Boolean(options.pat), fetch: fetchImpl, timeoutMs }, options.reportAccess === true ? {} : options.reportAccess);
  const revocations = revocationWatch(options, pat, discovery, fetchImpl, timeoutMs, toleranceSeconds);

  /** Why a verified RPT does not do: no permission for the resource, or only expired or missing scopes. */
  function insufficient(verified: VerifiedRpt, resourceId: string, scopes: string[]): UmaEnforcerError {
    const forResource = verified.permissions.filter((p) => p.resource_id === resourceId);
    const detail = forResource.length === 0
      ? `no permission for resource ${JSON.stringify(resourceId)}`
      : `its permissions for resource ${JSON.stringify(resourceId)} (scopes ${forResource.map((p) => p.resource_scopes.join(' ') || '(none)').join('; ')}) lack ${scopes.join(' ')} or are not current`;
    return new UmaEnforcerError('insufficient_scope', `RPT valid but insufficient: ${detail}`);
  }

  async function check(input: UmaCheckInput): Promise<UmaCheckResult> {
    const { resourceId, request } = input;
    // A rule that yields no resource id or non-string scopes is a bug of the app, not of the client.
    if (typeof resourceId !== 'string' || resourceId === '') throw new TypeError('UMA rule: the resource id must be a non-empty string');
    if (!Array.isArray(input.scopes) || !input.scopes.every((x) => typeof x === 'string' && x !== '')) throw new TypeError('UMA rule: scopes must be non-empty strings');
    const scopes = [...new Set(input.scopes)];
    let rejected: UmaEnforcerError | undefined;
    let result: UmaDenial;
    try {
      const doc = await discovery();
      revocations?.start(doc);
      const rpt = bearerToken(input.authorization);
      if (rpt !== undefined) {
        const mode = input.verify ?? defaultMode;
        try {
          const jti = revocations ? unverifiedJti(rpt) : undefined;
          if (jti !== undefined && revocations!.isRevoked(jti)) throw new UmaEnforcerError('token_revoked', 'RPT rejected: revoked (told by the authorization server\'s revocation event stream)');
          // JWKS mode trusts a signature only while the revocation stream vouches for it; otherwise it asks the AS.
          const verified = mode === 'introspection'
            ? await viaIntrospection(rpt, doc, pat, { resourceId, request })
            : revocations && !revocations.vouches(doc)
              ? await viaIntrospection(rpt, doc, pat, { resourceId, request }, { fresh: true })
              : await viaJwks(rpt, doc);
          if (findGrant(verified.permissions, resourceId, scopes, Date.now() / 1000, toleranceSeconds)) {
            const grant = { rpt, ...verified, granted: { resourceId, scopes } };
            accessReports.add(grant, request, doc);
            return { ok: true, grant };
          }
          rejected = insufficient(verified, resourceId, scopes);
        } catch (e) {
          if (!(e instanceof UmaEnforcerError) || e.kind !== 'invalid_token') throw e;
          rejected = e;
        }
      }
      // Tokenless, invalid and insufficient alike: a ticket for exactly what this request needs.
      const ticket = await requestTicket(doc, pat, { resourceId, scopes, request }, fetchImpl, timeoutMs);
      result = challenge(realm, issuer, ticket, rejected);
    } catch (e) {
      if (!(e instanceof UmaEnforcerError)) throw e;
      result = failure(e);
    }
    const context = { resourceId, scopes, request, status: result.status };
    if (rejected) report(rejected, context);
    if (result.reason && result.reason !== rejected) report(result.reason, context);
    return result;
  }

  const selfCheck = selfChecker({ issuer, defaultMode, supplied: Boolean(options.pat), discovery, pat, introspect: viaIntrospection, fetch: fetchImpl, timeoutMs });

  return {
    check,
    selfCheck,
    issuer,
    realm,
    accessReports: { stats: accessReports.stats, flush: accessReports.flush },
    close: async () => {
      revocations?.close();
      await accessReports.close();
    },
    get revocationEvents() {
      return revocations ? revocations.state() : 'off';
    },
  };
}

/**
 * The revocation event stream subscription (revocations.ts), on by default when the resource server's own
 * PAT can be had (`clientId` + `clientSecret`); none with only the `pat` option or `revocationEvents: false`.
 */
function revocationWatch(options: UmaEnforcerOptions, pat: PatSource, discovery: () => Promise<UmaDiscovery>, fetchImpl: typeof fetch, timeoutMs: number, toleranceSeconds: number): RevocationWatch | null {
  const setting = options.revocationEvents ?? true;
  if (setting === false || !(options.clientId && options.clientSecret)) return null;
  const tuning = typeof setting === 'object' ? setting : {};
  return revocationStream({
    issuer: options.issuer,
    clientId: options.clientId,
    // The stream is the resource server's: its own PAT, even when the app supplies owners' PATs for tickets.
    pat: options.pat ? clientCredentialsPat(options.clientId, options.clientSecret, discovery, fetchImpl, timeoutMs) : pat,
    fetch: fetchImpl,
    timeoutMs,
    maxEntries: nonNegative(tuning.maxEntries, 100_000, 'revocationEvents.maxEntries'),
    staleAfterSeconds: nonNegative(tuning.staleAfterSeconds, 45, 'revocationEvents.staleAfterSeconds'),
    toleranceSeconds,
  });
}
