/** @module records-rs/errors — the resource server's error type and its one JSON rendering `{error, message}`. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** An error the resource server answers with: an HTTP status, a short code and a human message. */
export class RsError extends Error {
  readonly status: number;
  readonly code: string;
  readonly extras: Record<string, unknown>;
  constructor(status: number, code: string, message: string, extras: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extras = extras;
  }
}

/** 400: the request is malformed. */
export const invalidRequest = (message: string): RsError => new RsError(400, 'invalid_request', message);
/** 404: no such record (also for a record of another owner). */
export const notFound = (message = 'No such record.'): RsError => new RsError(404, 'not_found', message);

const FASTIFY_CODES: Record<number, string> = { 413: 'payload_too_large', 415: 'unsupported_media_type' };

/** Fastify error handler: every failure becomes `{error, message}` with the right status, never a stack trace. */
export function renderError(error: FastifyError | RsError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof RsError) {
    return reply.code(error.status).send({ error: error.code, message: error.message, ...error.extras });
  }
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    return reply.code(status).send({ error: FASTIFY_CODES[status] ?? 'invalid_request', message: error.message });
  }
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send({ error: 'server_error', message: 'The resource server failed to handle the request.' });
}
