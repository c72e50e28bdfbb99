/**
 * @module endpoints/account-console-link
 * Links into the account console that work wherever they are opened.
 *
 * - `GET /realms/{realm}/account/resources/{id}`, the `user_access_policy_uri` of a registered resource
 *   (Fed Authz §3.2.1): the console is one page whose routes live in the fragment, so this path
 *   redirects to the console's page of the resource, `/realms/{realm}/account/#/resources/{id}`.
 * - The console signs in with exactly one redirect URI, `{STEWARD_BASE_URL}/realms/{realm}/account/`,
 *   so a console opened through another host (`localhost` for `127.0.0.1`, a bare address for a name)
 *   could never sign in: its page redirects to itself on the base URL first.
 *
 * Targets are built from STEWARD_BASE_URL and the realm's id only, never from request headers.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fail } from '@steward/core';
import type { Deps } from '../deps.ts';
import { pageErrorHandler, redirect } from '../http/browser.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';

/** Longest resource id a link may carry (as resource reads accept). */
export const MAX_LINKED_RESOURCE_ID = 256;

/** Set with the redirect to the base URL; seen again on a request through another host, it breaks a loop. */
export const HOST_REDIRECT_COOKIE = 'steward_console_host';
const HOST_REDIRECT_SECONDS = 10;

const RESOURCE_LINK = {
  summary: 'Account console page of a resource',
  description:
    'The `user_access_policy_uri` of a registered resource: redirects to the account console\'s page of the resource, `{STEWARD_BASE_URL}/realms/{realm}/account/#/resources/{id}` (the id percent-encoded), where the owner signs in and manages who can use it. Whether the resource exists is not checked here: the console tells its owner after sign-in.',
  tags: ['Browser'],
  operationId: 'accountConsoleResource',
  auth: 'none',
  params: { id: 'The resource\'s `_id` (at most 256 characters).' },
  responses: {
    '302': {
      description: 'To the console\'s page of the resource.',
      headers: { Location: '`{STEWARD_BASE_URL}/realms/{realm}/account/#/resources/{id}`' },
    },
  },
  errors: ['not_found'],
  errorFormat: 'html',
} satisfies RouteDocs;

/** The console's fragment route of a resource (packages/console/src/router.ts), or null for an id no link can carry. */
export function resourceFragment(id: string): string | null {
  if (id.length === 0 || id.length > MAX_LINKED_RESOURCE_ID || /[\u0000-\u001f\u007f]/.test(id)) return null;
  try {
    return `#/resources/${encodeURIComponent(id)}`;
  } catch {
    return null; // a lone surrogate cannot be encoded
  }
}

const HOST = /^[A-Za-z0-9.\-[\]:]+$/;

/** Whether a Host value names the base URL's host and port (case and default port aside). */
export function isBaseHost(host: string, base: URL): boolean {
  if (!HOST.test(host)) return false;
  try {
    return new URL(`${base.protocol}//${host}`).host === base.host;
  } catch {
    return false;
  }
}

function cameBack(request: FastifyRequest): boolean {
  const cookies = request.headers.cookie;
  return typeof cookies === 'string' && cookies.split(';').some((c) => c.trim() === `${HOST_REDIRECT_COOKIE}=1`);
}

/**
 * When the console's page was reached through another host than STEWARD_BASE_URL's, sends the
 * browser to the page on the base URL and returns the reply; otherwise null (serve the page). The
 * host is the `Host` header, or `X-Forwarded-Host` from a trusted proxy (STEWARD_TRUST_PROXY). A proxy
 * that rewrites `Host` would send the browser round for ever: a short-lived cookie set with the
 * redirect, seen again on the next request, serves the page instead (and logs why).
 */
export function redirectToBaseHost(deps: Deps, request: FastifyRequest, reply: FastifyReply, realmId: string): FastifyReply | null {
  const host = request.host;
  const base = new URL(deps.config.baseUrl);
  if (!host || isBaseHost(host, base)) return null;
  const page = `${deps.issuer(realmId)}/account/`;
  if (cameBack(request)) {
    request.log.warn('account console reached through another host than STEWARD_BASE_URL\'s again after a redirect to it: the reverse proxy should pass the public Host (or X-Forwarded-Host, with STEWARD_TRUST_PROXY)');
    return null;
  }
  const path = `${base.pathname.replace(/\/$/, '')}/realms/${realmId}/account/`;
  const secure = base.protocol === 'https:' ? '; Secure' : '';
  reply.header('set-cookie', `${HOST_REDIRECT_COOKIE}=1; Path=${path}; Max-Age=${HOST_REDIRECT_SECONDS}; HttpOnly; SameSite=Lax${secure}`);
  return redirect(reply, 302, page);
}

export function accountConsoleLinkRoutes(app: FastifyInstance, deps: Deps): void {
  app.route<{ Params: { realm: string; id: string } }>({
    method: 'GET',
    url: '/realms/:realm/account/resources/:id',
    config: { docs: RESOURCE_LINK },
    errorHandler: pageErrorHandler,
    handler: async (request, reply) => {
      const realm = await loadRealm(deps, request.params.realm);
      const fragment = resourceFragment(request.params.id);
      if (fragment === null) throw fail('not_found', 'No such resource link');
      return redirect(reply, 302, `${deps.issuer(realm.id)}/account/${fragment}`);
    },
  });
}
