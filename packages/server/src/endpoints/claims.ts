/**
 * @module endpoints/claims
 * The claims interaction endpoint (UMA Grant §3.3.2). Interactive claims gathering is not built yet:
 * the page says so with 501 and never redirects, so a `need_info.redirect_user` link does not 404.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { loadRealm } from '../http/realm.ts';
import { CLAIMS_DOCS } from '../wire/claims.ts';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Claims gathering</title></head>
<body><h1>Claims gathering is not available yet on this server</h1>
<p>Ask the application you came from to present an ID token instead.</p></body></html>
`;

export function claimsRoutes(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { realm: string } }>('/realms/:realm/uma/claims', { config: { docs: CLAIMS_DOCS } }, async (request, reply) => {
    await loadRealm(deps, request.params.realm);
    // A page, not a protocol error: the user's browser shows it as is.
    return reply.code(501).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(PAGE);
  });
}
