/**
 * @module http/authenticate-first
 * Authentication before the body (RFC 6750 §3.1): Fastify reads and parses a body before the handler
 * runs, so a protected route authenticates in its `onRequest` hook instead. A caller without a valid
 * credential then gets the 401 and its challenge whatever it sent (an empty, malformed, oversized or
 * wrongly typed body included); an authenticated one hears about the body afterwards. The handler
 * reads the caller the hook found, without authenticating twice.
 */
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';

export interface FirstAuthentication<R extends FastifyRequest, T> {
  /** The route's `onRequest` hook: authenticates and remembers the caller for this request. */
  onRequest: onRequestAsyncHookHandler;
  /** The caller the hook authenticated; authenticates now on a route without the hook. */
  callerOf(request: R, reply: FastifyReply): Promise<T>;
}

/**
 * `authenticate` run in `onRequest`, its result kept for the handler. With `inBody`, a request whose
 * body may carry its credentials (a form with `client_id`) is left to the handler, which authenticates
 * once the body is parsed, still before it looks at any other parameter.
 */
export function authenticateFirst<R extends FastifyRequest, T>(
  authenticate: (request: R, reply: FastifyReply) => Promise<T>,
  options: { inBody?: (request: FastifyRequest) => boolean } = {},
): FirstAuthentication<R, T> {
  const callers = new WeakMap<FastifyRequest, T>();
  return {
    onRequest: async (request, reply) => {
      if (options.inBody?.(request)) return;
      callers.set(request, await authenticate(request as R, reply));
    },
    callerOf: async (request, reply) => (callers.has(request) ? callers.get(request)! : authenticate(request, reply)),
  };
}
