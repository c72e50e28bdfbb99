/**
 * @module endpoints/landing
 * `GET /`: a small page for whoever opens Steward's base URL in a browser: what Steward is, each
 * realm's account console and discovery documents, and the health endpoints. The realm list is read
 * at most every few seconds per process, and at most `MAX_LANDING_REALMS` are shown.
 */
import type { FastifyInstance } from 'fastify';
import type { Realm } from '@steward/core';
import type { Deps } from '../deps.ts';
import { pageErrorHandler } from '../http/browser.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { sendPage } from '../pages/html.ts';
import { landingPage } from '../pages/landing.ts';

export const MAX_LANDING_REALMS = 100;
const CACHE_SECONDS = 5;

const DOCS = {
  summary: 'Landing page',
  description:
    'What Steward is, with links to each realm\'s account console and discovery documents (the first 100 realms by id) and to the health endpoints; every link is on STEWARD_BASE_URL. Other methods answer 404.',
  tags: ['Browser'],
  operationId: 'landingPage',
  auth: 'none',
  responses: { '200': { description: 'The page.', contentType: 'text/html' } },
  errors: [],
  errorFormat: 'html',
} satisfies RouteDocs;

const cache = new WeakMap<Deps, { at: number; realms: Realm[] }>();

async function realms(deps: Deps): Promise<Realm[]> {
  const now = deps.clock.now();
  const hit = cache.get(deps);
  if (hit && now - hit.at < CACHE_SECONDS) return hit.realms;
  const list = await deps.store.realms.list();
  cache.set(deps, { at: now, realms: list });
  return list;
}

export function landingRoutes(app: FastifyInstance, deps: Deps): void {
  app.route({
    method: 'GET',
    url: '/',
    config: { docs: DOCS },
    errorHandler: pageErrorHandler,
    handler: async (_request, reply) => {
      const all = await realms(deps);
      const shown = all.slice(0, MAX_LANDING_REALMS).map((r) => ({ id: r.id, displayName: r.displayName, issuer: deps.issuer(r.id) }));
      return sendPage(reply, 200, landingPage({ baseUrl: deps.config.baseUrl, realms: shown, more: all.length - shown.length }));
    },
  });
}
