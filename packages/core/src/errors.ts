/**
 * @module errors
 * The one closed list of error codes Steward produces. The core throws these; the HTTP edge alone
 * chooses a status and a body for each code (see packages/server/src/http/render-error.ts).
 */

export const ERROR_CODES = [
  // OAuth 2.0 (RFC 6749 §5.2, RFC 7009, RFC 6750)
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'unsupported_token_type',
  'invalid_scope',
  'invalid_token',
  'insufficient_scope',
  'access_denied',
  'unsupported_response_type',
  'login_required',
  // UMA 2.0 Grant §3.3.6
  'need_info',
  'request_denied',
  'request_submitted',
  // UMA 2.0 Federated Authorization §3.2, §4.3
  'invalid_resource_id',
  'not_found',
  'unsupported_method_type',
  // Owner APIs (CREST)
  'forbidden',
  'conflict',
  'precondition_failed',
  'unsupported_media_type',
  'payload_too_large',
  // Rate limits and sign-in lockout (HTTP 429 with Retry-After)
  'too_many_requests',
  // Anything unexpected
  'server_error',
] as const;

export type StewardErrorCode = (typeof ERROR_CODES)[number];

/** Members a UMA grant error carries besides `error` (UMA Grant §3.3.6). */
export interface ErrorExtras {
  ticket?: string;
  required_claims?: RequiredClaim[];
  redirect_user?: string;
  interval?: number;
  /** Seconds the caller should wait (`too_many_requests`); sent as `Retry-After`, not in the body. */
  retryAfter?: number;
}

export interface RequiredClaim {
  claim_token_format?: string[];
  claim_type?: string;
  friendly_name?: string;
  issuer?: string[];
  name?: string;
}

/**
 * An error from the closed list. `description` is safe to show to the caller.
 */
export class StewardError extends Error {
  readonly code: StewardErrorCode;
  readonly description: string | undefined;
  readonly extras: ErrorExtras;

  constructor(code: StewardErrorCode, description?: string, extras: ErrorExtras = {}) {
    super(description ? `${code}: ${description}` : code);
    this.name = 'StewardError';
    this.code = code;
    this.description = description;
    this.extras = extras;
  }
}

export function isStewardError(e: unknown): e is StewardError {
  return e instanceof StewardError;
}

/** Shorthand used throughout the core: `throw fail('invalid_request', 'ticket is required')`. */
export function fail(code: StewardErrorCode, description?: string, extras?: ErrorExtras): StewardError {
  return new StewardError(code, description, extras);
}

/**
 * A value as an error description quotes it: a string cut to `max` characters, anything else as its
 * JSON cut likewise. Never `String(value)`: a JSON object may carry its own `toString` member.
 */
export function shown(value: unknown, max: number): string {
  return (typeof value === 'string' ? value : String(JSON.stringify(value))).slice(0, max);
}
