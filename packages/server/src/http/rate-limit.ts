/**
 * @module http/rate-limit
 * Request rate limits, counted in the database so they hold across nodes: per client address on the
 * sign-in endpoints (owner API `authenticate`, the login page's and the claims pages' forms) and on the token endpoint, and
 * per authenticated client on the token endpoint. Fixed windows of `STEWARD_RATE_LIMIT_WINDOW`
 * seconds; every check is one upsert-increment. Beyond a limit: `too_many_requests` (429) with
 * `Retry-After` until the window ends. Failed passwords are limited separately, per user name
 * (core services/login-lockout).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fail } from '@steward/core';
import type { Deps } from '../deps.ts';

const SIGN_IN_ROUTES = new Set(['POST /json/realms/root/realms/:realm/authenticate', 'POST /realms/:realm/protocol/openid-connect/auth', 'POST /realms/:realm/uma/claims']);
const TOKEN_ROUTE = 'POST /realms/:realm/protocol/openid-connect/token';

/** Counts one hit on each key and refuses when any count passes its limit. */
async function enforce(deps: Deps, keys: string[], limits: number[]): Promise<void> {
  const window = deps.config.rateLimitWindow;
  const now = deps.clock.now();
  const start = now - (now % window);
  const counts = await deps.store.rateLimits.hit(keys, start, start + window);
  if (counts.some((n, i) => n > limits[i]!)) {
    throw fail('too_many_requests', 'Too many requests; try again later', { retryAfter: start + window - now });
  }
}

/** Per-address limits, checked before the endpoint reads credentials. */
export function rateLimitHooks(app: FastifyInstance, deps: Deps): void {
  const { rateLimitLoginPerIp: signIn, rateLimitTokenPerIp: token } = deps.config;
  // Attached to the limited routes only, as they are declared, so every other route (introspection,
  // the permission endpoint, the owner APIs) pays nothing for it.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.length !== 1) return;
    const key = `${methods[0]} ${route.url}`;
    const check =
      signIn > 0 && SIGN_IN_ROUTES.has(key)
        ? (request: FastifyRequest) => enforce(deps, [`ip:sign-in:${request.ip}`], [signIn])
        : token > 0 && key === TOKEN_ROUTE
          ? (request: FastifyRequest) => enforce(deps, [`ip:token:${request.ip}`], [token])
          : null;
    if (check === null) return;
    const existing = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
    route.preHandler = [async (request: FastifyRequest) => check(request), ...existing];
  });
}

/** The per-client limit of the token endpoint, once the client is authenticated. */
export async function limitClient(deps: Deps, realm: string, clientId: string): Promise<void> {
  const limit = deps.config.rateLimitTokenPerClient;
  if (limit > 0) await enforce(deps, [`client:token:${encodeURIComponent(realm)}:${encodeURIComponent(clientId)}`], [limit]);
}
