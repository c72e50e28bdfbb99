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
  if (signIn === 0 && token === 0) return;
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const route = `${request.method} ${request.routeOptions.url}`;
    if (signIn > 0 && SIGN_IN_ROUTES.has(route)) await enforce(deps, [`ip:sign-in:${request.ip}`], [signIn]);
    else if (token > 0 && route === TOKEN_ROUTE) await enforce(deps, [`ip:token:${request.ip}`], [token]);
  });
}

/** The per-client limit of the token endpoint, once the client is authenticated. */
export async function limitClient(deps: Deps, realm: string, clientId: string): Promise<void> {
  const limit = deps.config.rateLimitTokenPerClient;
  if (limit > 0) await enforce(deps, [`client:token:${encodeURIComponent(realm)}:${encodeURIComponent(clientId)}`], [limit]);
}
