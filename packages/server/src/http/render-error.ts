/**
 * @module http/render-error
 * The only place that knows HTTP status codes. Protocol endpoints answer OAuth error JSON
 * (`{"error","error_description",…}`, RFC 6749 §5.2); owner APIs answer CREST JSON
 * (`{"code","reason","message"}`). Anything not from the closed list renders as `server_error`.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StewardError, type StewardErrorCode } from '@steward/core';

export const STATUS: Record<StewardErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  unsupported_token_type: 400,
  invalid_scope: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  access_denied: 403,
  unsupported_response_type: 400,
  login_required: 401,
  need_info: 403,
  request_denied: 403,
  request_submitted: 403,
  invalid_resource_id: 400,
  not_found: 404,
  unsupported_method_type: 405,
  forbidden: 403,
  conflict: 409,
  precondition_failed: 412,
  unsupported_media_type: 415,
  payload_too_large: 413,
  too_many_requests: 429,
  server_error: 500,
};

export type ErrorStyle = 'oauth' | 'crest';

const answered = new WeakMap<FastifyRequest, StewardErrorCode>();

/** The error code `renderError` answered this request with (metrics count outcomes by it). */
export function answeredError(request: FastifyRequest): StewardErrorCode | undefined {
  return answered.get(request);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How errors of this route are rendered; default `oauth`. */
    errorStyle?: ErrorStyle;
  }
}

/** Turns anything thrown into a StewardError (framework errors included). */
export function toStewardError(err: unknown): StewardError {
  if (err instanceof StewardError) return err;
  const e = err as { statusCode?: number; code?: string; message?: string; validation?: unknown };
  if (e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    if (e.statusCode === 413) return new StewardError('payload_too_large', 'Request body is too large');
    if (e.statusCode === 415) return new StewardError('unsupported_media_type', 'Unsupported content type');
    if (e.statusCode === 404) return new StewardError('not_found', 'Not found');
    if (e.statusCode === 405) return new StewardError('unsupported_method_type', 'Method not allowed');
    const message = e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'Request body is empty' : e.validation ? `Invalid request: ${e.message}` : e.code?.startsWith('FST_ERR_CTP') || e instanceof SyntaxError ? 'Malformed request body' : (e.message ?? 'Bad request');
    return new StewardError('invalid_request', message);
  }
  return new StewardError('server_error', 'Internal server error');
}

/** The error style of a request that matched no route: CREST under the owner APIs' `/json/`, else OAuth. */
export function styleForUrl(url: string): ErrorStyle {
  return url.startsWith('/json/') ? 'crest' : 'oauth';
}

export function renderError(err: unknown, request: FastifyRequest, reply: FastifyReply, styleOverride?: ErrorStyle): FastifyReply {
  let error = toStewardError(err);
  const style = styleOverride ?? reply.routeOptions?.config?.errorStyle ?? 'oauth';
  // OAuth has no media-type error: a protocol endpoint answers a wrong content type as a malformed request.
  if (style === 'oauth' && error.code === 'unsupported_media_type') error = new StewardError('invalid_request', error.description);
  const status = STATUS[error.code];
  answered.set(request, error.code);
  if (error.code === 'server_error') request.log.error({ err }, 'unexpected error');
  else request.log.debug({ code: error.code }, 'request refused');
  reply.code(status).header('cache-control', 'no-store').header('pragma', 'no-cache');
  const { retryAfter, ...extras } = error.extras;
  if (retryAfter !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
  if (style === 'crest') {
    return reply.send({ code: status, reason: STATUS_CODES[status] ?? 'Error', message: error.description ?? error.code });
  }
  const body: Record<string, unknown> = { error: error.code };
  if (error.description) body.error_description = error.description.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, ' ');
  return reply.send({ ...body, ...extras });
}
