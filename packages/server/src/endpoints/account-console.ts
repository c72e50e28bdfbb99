/**
 * @module endpoints/account-console
 * Serves the account console, the owner's single-page app (packages/console, built by Vite), at
 * `/realms/{realm}/account/`: the page itself (never cached) and its content-hashed assets (cached for
 * a year). One build serves every realm: the app reads the realm from its URL. Every answer carries a
 * strict Content-Security-Policy (scripts, styles and API calls from this origin only, no framing).
 * Reached through another host than STEWARD_BASE_URL's, the page redirects there (endpoints/account-console-link).
 * Without a build the page answers 503 saying how to make one.
 */
import { access, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fail } from '@steward/core';
import type { Deps } from '../deps.ts';
import { pageErrorHandler } from '../http/browser.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { html, layout } from '../pages/html.ts';
import { redirectToBaseHost } from './account-console-link.ts';

/** Where `npm run build -w packages/console` writes the app. */
export const CONSOLE_DIST = fileURLToPath(new URL('../../../console/dist/', import.meta.url));

/** Whether `dist` holds a build of the console (its page); read again on every request, so a build made while serving counts at once. */
export async function consoleBuilt(dist: string = CONSOLE_DIST): Promise<boolean> {
  return access(`${dist}index.html`).then(
    () => true,
    () => false,
  );
}

/** What `steward serve` logs at start when there is no build: the console's page answers 503 until `npm run build`. */
export function consoleNotBuiltWarning(dist: string = CONSOLE_DIST): string {
  const root = resolve(dirname(dist), '..', '..');
  return `The account console is not built (no ${dist}index.html): /realms/{realm}/account/ answers 503 until \`npm run build\` is run in ${root}; no restart is needed after it. Everything else works without it.`;
}

export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
  map: 'application/json; charset=utf-8',
};

const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}\.([a-z0-9]+)$/;

const PAGE = {
  summary: 'Account console',
  description:
    'The resource owner\'s web UI (a single-page app): her resources and who can use them, sharing, what others share with her, access requests and history. It signs the user in with the authorization-code flow and PKCE as the public client `account-console`, and calls only the owner APIs. 503 when the app has not been built (`npm run build`).',
  tags: ['Browser'],
  operationId: 'accountConsole',
  auth: 'none',
  responses: {
    '200': { description: 'The app\'s page.', contentType: 'text/html' },
    '302': {
      description:
        '`/realms/{realm}/account` without the final slash: redirect to the page. The page reached through another host than STEWARD_BASE_URL\'s (`localhost` for `127.0.0.1`): redirect to the page on the base URL, the only place the console can sign in from.',
    },
    '503': { description: 'The console is not built on this server.', contentType: 'text/html' },
  },
  errors: ['not_found'],
  errorFormat: 'html',
} satisfies RouteDocs;

const ASSET = {
  summary: 'Account console asset',
  description: 'A content-hashed script, style sheet or image of the console, cached for a year.',
  tags: ['Browser'],
  operationId: 'accountConsoleAsset',
  auth: 'none',
  params: { file: 'The asset\'s file name, as the page names it.' },
  responses: { '200': { description: 'The asset.' } },
  errors: ['not_found'],
  errorFormat: 'html',
} satisfies RouteDocs;

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('cross-origin-opener-policy', 'same-origin');
}

async function readDist(dist: string, path: string): Promise<Buffer | null> {
  try {
    return await readFile(dist + path);
  } catch {
    return null;
  }
}

const notBuilt = layout(
  'Account console not built',
  html`<h1>The account console is not built</h1>
<p class="error" role="alert">This server has no build of the account console.</p>
<p>Run <code>npm run build</code> (or <code>npm start</code>, which builds it first) in the Steward directory, then reload this page.</p>
`,
);

type RealmRequest = FastifyRequest<{ Params: { realm: string } }>;

/** `dist` (ending with `/`) is where the build is read from; tests point it elsewhere. */
export function accountConsoleRoutes(app: FastifyInstance, deps: Deps, dist: string = CONSOLE_DIST): void {
  app.route<{ Params: { realm: string } }>({
    method: 'GET',
    url: '/realms/:realm/account/',
    config: { docs: PAGE },
    errorHandler: pageErrorHandler,
    handler: async (request: RealmRequest, reply) => {
      const realm = await loadRealm(deps, request.params.realm);
      const moved = redirectToBaseHost(deps, request, reply, realm.id);
      if (moved) return moved;
      secure(reply).header('cache-control', 'no-store');
      const page = await readDist(dist, 'index.html');
      if (page === null) return reply.code(503).header('content-type', 'text/html; charset=utf-8').header('retry-after', '60').send(notBuilt.value);
      return reply.code(200).header('content-type', 'text/html; charset=utf-8').send(page);
    },
  });

  app.route<{ Params: { realm: string } }>({
    method: 'GET',
    url: '/realms/:realm/account',
    config: { docs: { ...PAGE, operationId: 'accountConsoleNoSlash' } },
    errorHandler: pageErrorHandler,
    handler: async (request: RealmRequest, reply) => {
      const realm = await loadRealm(deps, request.params.realm);
      return reply.code(302).header('cache-control', 'no-store').header('location', `/realms/${encodeURIComponent(realm.id)}/account/`).send();
    },
  });

  app.route<{ Params: { realm: string; file: string } }>({
    method: 'GET',
    url: '/realms/:realm/account/assets/:file',
    config: { docs: ASSET },
    errorHandler: pageErrorHandler,
    handler: async (request, reply) => {
      await loadRealm(deps, request.params.realm);
      const match = ASSET_NAME.exec(request.params.file);
      const type = match ? TYPES[match[1]!] : undefined;
      const body = type ? await readDist(dist, `assets/${request.params.file}`) : null;
      if (body === null) throw fail('not_found', 'No such file of the account console');
      return secure(reply).code(200).header('content-type', type!).header('cache-control', 'public, max-age=31536000, immutable').send(body);
    },
  });
}
