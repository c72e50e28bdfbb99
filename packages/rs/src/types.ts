/** @module types — the public shapes of the resource-server kit: options, rules, grants and check results. */
import type { UmaAccessReportOptions, UmaAccessReportStats } from './access-reports.ts';
import type { UmaEnforcerError } from './errors.ts';

/** How an RPT is verified: locally against the AS's JWKS, or by asking the AS (token introspection). */
export type UmaVerifyMode = 'jwks' | 'introspection';

/** One permission of an RPT, in its wire form (UMA Fed Authz §5.1.1). */
export interface UmaPermission {
  resource_id: string;
  resource_scopes: string[];
  /** Expiry of this permission (NumericDate); the token's own `exp` still applies. */
  exp?: number;
  /** Not before (NumericDate). */
  nbf?: number;
}

/** What a protected handler sees when the request carried a sufficient RPT. */
export interface UmaGrant {
  /** The RPT as presented. */
  rpt: string;
  /** The RPT's `jti`, when it has one. */
  jti?: string;
  /** The requesting party (`sub`) when the token or introspection names one. */
  subject?: string;
  /** The requesting party's username: the RPT's `preferred_username`, or introspection's `username` (RFC 7662 §2.2). */
  username?: string;
  /** The client the RPT was issued to (`azp`, or `client_id` from introspection). */
  clientId?: string;
  /** Every permission the RPT carries (introspection: those the AS shows this resource server). */
  permissions: UmaPermission[];
  /** The resource and scopes this request needed and was granted. */
  granted: { resourceId: string; scopes: string[] };
}

/**
 * Which resource and scopes a request needs. `resource` returns the AS's resource id (e.g. from a
 * path parameter); `scopes` is fixed per route or picked from the request (e.g. an RPC body field).
 */
export interface UmaRule<Req> {
  resource: (req: Req) => string | Promise<string>;
  scopes: string[] | ((req: Req) => string[]);
  /** Overrides the enforcer's verification mode for this rule. */
  verify?: UmaVerifyMode;
}

/** What the app's PAT supplier is told. */
export interface UmaPatContext {
  /** The resource the PAT must be good for (its owner's resource). */
  resourceId: string;
  /** The framework request being checked. */
  request: unknown;
  /** Set when the AS refused this PAT (401): the supplier should return a fresh one. */
  refused?: string;
}

/** Options of {@link createUmaEnforcer}. */
export interface UmaEnforcerOptions {
  /** The AS issuer; discovery is read from `{issuer}/.well-known/uma2-configuration`, once, then cached. */
  issuer: string;
  /** The `realm="…"` of the challenge. Default `resource-server`. */
  realm?: string;
  /** The resource server's client id, for a PAT by client_credentials (scope `uma_protection`). */
  clientId?: string;
  /** The resource server's client secret (sent with HTTP Basic). */
  clientSecret?: string;
  /** Or: the app supplies the owner's PAT for a resource (takes precedence over client credentials). */
  pat?: (ctx: UmaPatContext) => string | Promise<string>;
  /** Default verification mode: `jwks` (default) or `introspection`. */
  verify?: UmaVerifyMode;
  /** Allowed clock skew for `exp`/`nbf` (token and per-permission), seconds. Default 30. */
  clockToleranceSeconds?: number;
  /** When set, the RPT's `aud` must contain it. */
  audience?: string;
  /** Bounded LRU of active introspection answers. Default `{ maxEntries: 1000, ttlSeconds: 30 }`; `maxEntries: 0` disables it. */
  introspectionCache?: { maxEntries?: number; ttlSeconds?: number };
  /** Time limit of every call to the AS, milliseconds. Default 3000. */
  timeoutMs?: number;
  /** Least time between two JWKS fetches forced by an unknown `kid`, seconds. Default 30. */
  jwksCooldownSeconds?: number;
  /** The fetch implementation (default: the global `fetch`). */
  fetch?: typeof fetch;
  /**
   * Follow the AS's revocation event stream (Steward's `revocation_events_endpoint`, docs/revocation.md)
   * with the resource server's own PAT, so a revoked RPT is refused at once in every mode. Default on
   * when `clientId` and `clientSecret` are given (with only `pat` there is no stream: see the README).
   * While the stream is not caught up, JWKS mode introspects every RPT instead. `false` turns it off.
   */
  revocationEvents?: boolean | { /** Most revoked RPTs remembered (default 100000). */ maxEntries?: number; /** Seconds of silence after which the stream is taken as dead (default 45). */ staleAfterSeconds?: number };
  /**
   * Told every reason a request is refused (not a tokenless request's plain challenge): the AS
   * unreachable, a misconfiguration, a refused ticket or PAT, an invalid RPT, an insufficient one.
   * Default: one `console.warn` line per misconfiguration code, nothing else. What it throws or
   * rejects with is ignored.
   */
  onError?: (error: UmaEnforcerError, context: UmaRefusalContext) => void | Promise<void>;
  /**
   * Reports every permitted access to the AS for the owner's audit history, batched and in the
   * background (access-reports.ts), when the AS announces an `access_report_endpoint` (Steward does).
   * Default on; `false` turns it off.
   */
  reportAccess?: boolean | UmaAccessReportOptions;
}

/** What {@link UmaEnforcerOptions.onError} is told besides the error. */
export interface UmaRefusalContext {
  resourceId: string;
  scopes: string[];
  /** The framework request being checked. */
  request: unknown;
  /** The status the request is answered with: 401 (challenge), 403 (no ticket) or 500 (misconfigured). */
  status: 401 | 403 | 500;
}

/** Options of {@link UmaEnforcer.selfCheck}. */
export interface UmaSelfCheckOptions {
  /** Checks this mode's needs (default: the enforcer's mode). */
  verify?: UmaVerifyMode;
  /** With the `pat` option: the resource whose PAT is asked for. Without it the supplier is not called. */
  resourceId?: string;
  /** Passed to the `pat` function as `request`. */
  request?: unknown;
}

/** What {@link UmaEnforcer.selfCheck} found working. */
export interface UmaSelfCheckReport {
  issuer: string;
  verify: UmaVerifyMode;
  /** The endpoints read from the discovery document. */
  endpoints: { permission_endpoint: string; token_endpoint?: string; introspection_endpoint?: string; jwks_uri?: string };
  /** JWKS mode: how many keys the JWKS holds. */
  jwksKeys?: number;
  /** How the PAT was checked: obtained by client_credentials, given by the `pat` function, or not asked for (`pat` without `resourceId`). */
  pat: 'client_credentials' | 'supplied' | 'not_checked';
  /** Introspection mode: whether the introspection endpoint took the PAT (needs a PAT). */
  introspection?: 'accepted' | 'not_checked';
}

/** The input of {@link UmaEnforcer.check}. */
export interface UmaCheckInput {
  /** The request's `Authorization` header, if any. */
  authorization?: string | undefined;
  resourceId: string;
  scopes: string[];
  /** The framework request (passed to the PAT supplier). */
  request?: unknown;
  verify?: UmaVerifyMode;
}

/** A refusal ready to send: status, headers and a JSON body. */
export interface UmaDenial {
  ok: false;
  /** 401 with a UMA challenge, 403 when no ticket could be had (AS unreachable or refusing), 500 when the kit is misconfigured. */
  status: 401 | 403 | 500;
  headers: Record<string, string>;
  /** `error`: `unauthorized` (401), `authorization_server_unreachable` or `ticket_unavailable` (403), `uma_misconfigured` (500); `code`: the {@link UmaEnforcerError} code of a 403/500. */
  body: { error: string; error_description: string; ticket?: string; as_uri?: string; code?: string };
  /** Why: absent for a tokenless request's challenge; the rejected RPT's error on a 401 that follows one; the failure on a 403/500. */
  reason?: UmaEnforcerError;
}

/** The outcome of {@link UmaEnforcer.check}. */
export type UmaCheckResult = { ok: true; grant: UmaGrant } | UmaDenial;

/** The enforcement core shared by the Fastify plugin and the Express middleware. */
export interface UmaEnforcer {
  /** Decides one request: a grant, or the response to send (never throws for AS trouble). */
  check(input: UmaCheckInput): Promise<UmaCheckResult>;
  /**
   * Start-up self-check: fetches the discovery document, the JWKS (JWKS mode), a PAT, and in
   * introspection mode introspects a dummy token with it. Resolves with what worked; rejects with the
   * {@link UmaEnforcerError} of the first problem.
   */
  selfCheck(options?: UmaSelfCheckOptions): Promise<UmaSelfCheckReport>;
  /**
   * The revocation event stream: `off` (not configured), `unsupported` (the AS announces none), `down`
   * (not caught up yet, or lost: JWKS mode introspects every RPT meanwhile) or `live`. It starts with
   * the first request checked.
   */
  readonly revocationEvents: 'off' | 'unsupported' | 'down' | 'live';
  /** The resolved options (realm, issuer, default mode). */
  readonly issuer: string;
  readonly realm: string;
  /** Access reporting: its counters, and a flush that sends what is queued and waits for it. */
  readonly accessReports: { stats(): UmaAccessReportStats; flush(): Promise<void> };
  /**
   * For shutdown: stops the background work (the revocation event stream and its timers) and sends the
   * access reports still queued.
   */
  close(): Promise<void>;
}
