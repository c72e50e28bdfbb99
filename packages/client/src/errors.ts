/** @module errors — the one error type the client kit throws, with the OAuth/UMA code or the kit's own. */

/** A permission the authorization server needs claims for (UMA Grant §3.3.6 `required_claims`). */
export interface RequiredClaim {
  claim_token_format?: string[];
  claim_type?: string;
  friendly_name?: string;
  issuer?: string[];
  name?: string;
  [member: string]: unknown;
}

/** What `need_info` told the client (UMA Grant §3.3.6). */
export interface NeedInfo {
  /** The authorization server (the challenge's `as_uri`). */
  asUri: string;
  /** The new permission ticket; the one the client sent is spent. */
  ticket: string;
  /** Where to send the requesting party to give claims (claims interaction), when the server said so. */
  redirectUser?: string;
  /** The claims the server wants pushed, when it said so. */
  requiredClaims?: RequiredClaim[];
}

/**
 * Codes of {@link UmaError}. The OAuth/UMA codes come from the authorization server's error response
 * (any other code it sends is passed through as is); the rest are the kit's own:
 * - `timeout`: `request_submitted` polling reached `pollDeadlineMs`.
 * - `as_unreachable`: discovery or the token endpoint could not be reached or did not answer in `timeoutMs`.
 * - `invalid_as_response`: the authorization server answered something that is not UMA (bad discovery document, non-JSON token response).
 * - `body_not_replayable`: the request body was a stream, so the request cannot be retried with the RPT (which is now held: send it again).
 * - `too_many_attempts`: `maxGrantAttempts` grant requests were made for one call.
 */
export type UmaErrorCode =
  | 'need_info'
  | 'request_denied'
  | 'invalid_grant'
  | 'timeout'
  | 'as_unreachable'
  | 'invalid_as_response'
  | 'body_not_replayable'
  | 'too_many_attempts'
  | (string & {});

/** Extra details an {@link UmaError} may carry. */
export interface UmaErrorDetails {
  description?: string;
  /** HTTP status of the authorization server's answer, when there was one. */
  status?: number;
  asUri?: string;
  /** `need_info`: the new ticket. */
  ticket?: string;
  /** `need_info`: where the requesting party can give claims. */
  redirectUser?: string;
  /** `need_info`: the claims the server asked for. */
  requiredClaims?: RequiredClaim[];
  cause?: unknown;
}

/** Thrown by `uma.fetch` when the authorization server refuses or cannot be used; see {@link UmaErrorCode}. */
export class UmaError extends Error {
  override readonly name = 'UmaError';
  /** The OAuth/UMA error code or the kit's own code. */
  readonly code: UmaErrorCode;
  /** The server's `error_description` or the kit's explanation. */
  readonly description: string | undefined;
  readonly status: number | undefined;
  readonly asUri: string | undefined;
  readonly ticket: string | undefined;
  readonly redirectUser: string | undefined;
  readonly requiredClaims: RequiredClaim[] | undefined;

  constructor(code: UmaErrorCode, details: UmaErrorDetails = {}) {
    super(details.description ? `${code}: ${details.description}` : code, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.code = code;
    this.description = details.description;
    this.status = details.status;
    this.asUri = details.asUri;
    this.ticket = details.ticket;
    this.redirectUser = details.redirectUser;
    this.requiredClaims = details.requiredClaims;
  }
}
