/**
 * @module errors — the one closed list of reasons the kit refuses a request or fails its self-check.
 * Each code belongs to one kind, and the kind decides the answer the protected request gets
 * (see `responses.ts`): `unreachable` → 403 + Warning (UMA Grant §3.2.2), `misconfigured` → 500,
 * `refused` → 403 + Warning, `invalid_token` and `insufficient_scope` → the 401 UMA challenge.
 */

/** What kind of trouble a {@link UmaEnforcerError} is. */
export type UmaEnforcerErrorKind = 'unreachable' | 'misconfigured' | 'refused' | 'invalid_token' | 'insufficient_scope';

/** Every code, with its kind. */
export const ENFORCER_ERROR_KINDS = {
  // The AS could not be reached or failed: connection refused, DNS, timeout, 5xx, an unusable answer.
  as_unreachable: 'unreachable',
  as_timeout: 'unreachable',
  as_server_error: 'unreachable',
  as_bad_response: 'unreachable',
  // The kit's configuration does not match the AS: every request fails the same way until it is fixed.
  discovery_not_found: 'misconfigured',
  discovery_invalid: 'misconfigured',
  issuer_mismatch: 'misconfigured',
  invalid_client: 'misconfigured',
  pat_request_refused: 'misconfigured',
  introspection_refused: 'misconfigured',
  // What this request needs was refused: the app's PAT supplier failed, the AS refused the PAT twice or the permission request.
  pat_supplier_failed: 'refused',
  pat_rejected: 'refused',
  permission_refused: 'refused',
  // An owner's PAT kept by the app (createPatStore) cannot be had: none saved, or the refresh token refused.
  pat_unavailable: 'refused',
  pat_refresh_refused: 'refused',
  // The resource registration endpoint refused to register or delete a resource (registerResource, deleteResource).
  registration_refused: 'refused',
  // The presented RPT is not valid (RFC 6750 §3.1 invalid_token).
  token_expired: 'invalid_token',
  token_not_yet_valid: 'invalid_token',
  token_signature_invalid: 'invalid_token',
  token_unknown_key: 'invalid_token',
  token_algorithm_not_allowed: 'invalid_token',
  token_audience_mismatch: 'invalid_token',
  token_issuer_mismatch: 'invalid_token',
  token_type_invalid: 'invalid_token',
  token_claims_invalid: 'invalid_token',
  token_malformed: 'invalid_token',
  token_inactive: 'invalid_token',
  token_revoked: 'invalid_token',
  // A valid RPT without a current permission for the resource and scopes (RFC 6750 §3.1 insufficient_scope).
  insufficient_scope: 'insufficient_scope',
} as const satisfies Record<string, UmaEnforcerErrorKind>;

/** The closed list of error codes. */
export type UmaEnforcerErrorCode = keyof typeof ENFORCER_ERROR_KINDS;

/**
 * Why the kit refused a request or its self-check failed. `message` is for the developer (it names
 * URLs, statuses and the fix) and is never sent to the client; `cause` holds the underlying error.
 */
export class UmaEnforcerError extends Error {
  override readonly name = 'UmaEnforcerError';
  readonly code: UmaEnforcerErrorCode;
  readonly kind: UmaEnforcerErrorKind;

  constructor(code: UmaEnforcerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.kind = ENFORCER_ERROR_KINDS[code];
  }
}

/**
 * The `error_description` a client sees for a rejected RPT, in the challenge header and the body.
 * Fixed texts: no token content, only characters RFC 6750 §3 allows in the header.
 */
export const TOKEN_DESCRIPTIONS: Record<Extract<UmaEnforcerErrorCode, `token_${string}` | 'insufficient_scope'>, string> = {
  token_expired: 'The RPT has expired',
  token_not_yet_valid: 'The RPT is not valid yet (nbf is in the future)',
  token_signature_invalid: 'The RPT signature does not verify',
  token_unknown_key: 'The RPT is signed with a key the authorization server does not publish',
  token_algorithm_not_allowed: 'The RPT is signed with an algorithm that is not allowed',
  token_audience_mismatch: 'The RPT is not meant for this resource server (aud)',
  token_issuer_mismatch: 'The RPT was issued by another authorization server (iss)',
  token_type_invalid: 'The RPT is not a Bearer token (typ)',
  token_claims_invalid: 'The RPT lacks a required claim or has a malformed one',
  token_malformed: 'The RPT is not a well-formed signed JWT',
  token_inactive: 'The RPT is not active at the authorization server (expired, revoked or unknown)',
  token_revoked: 'The RPT has been revoked',
  insufficient_scope: 'The RPT has no current permission for this resource with the needed scopes',
};

/** The client-facing description of a token error, or undefined for other kinds. */
export function tokenDescription(error: UmaEnforcerError): string | undefined {
  return (TOKEN_DESCRIPTIONS as Record<string, string>)[error.code];
}

/** `HTTP 401 invalid_client: Bad credentials` from an answer's status and OAuth error members. */
export function describeAnswer(status: number, json: unknown): string {
  const body = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const error = typeof body.error === 'string' ? ` ${body.error.slice(0, 100)}` : '';
  const description = typeof body.error_description === 'string' ? `: ${body.error_description.slice(0, 200)}` : '';
  return `HTTP ${status}${error}${description}`;
}
