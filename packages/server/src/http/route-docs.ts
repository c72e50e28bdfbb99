/**
 * @module http/route-docs
 * Documentation attached to each route as `config.docs`, and the `onRoute` hook that collects every
 * route with its docs. docs/openapi.json and docs/api.md are generated from what this collects, so the
 * reference cannot drift from the route table. A documented JSON body schema is also the body's
 * validator (wire/validate.ts compiles it; test/docs/body-validation.test.ts checks every route does).
 */
import type { FastifyInstance } from 'fastify';
import type { StewardErrorCode } from '@steward/core';
import type { ErrorStyle } from './render-error.ts';

/** A JSON Schema (draft 2020-12, as OpenAPI 3.1 uses). TypeBox schemas are plain JSON Schema objects. */
export type JsonSchema = object;

/**
 * How a caller authenticates: `PAT` a bearer protection API token (scope `uma_protection`); `bearer` a
 * user's own access token; `client` client authentication (Basic, posted secret, or a public client's
 * `client_id`); `owner-session` the owner API session token (header or cookie); `browser` a signed-in
 * browser (cookies and forms); `admin` the admin bearer token (http/admin-auth.ts); `none` nothing.
 */
export type RouteAuth = 'none' | 'PAT' | 'bearer' | 'client' | 'owner-session' | 'browser' | 'admin';

/** Sections of the API reference, in order, with their introductions. */
export const API_TAGS = {
  Discovery: 'Metadata and signing keys that clients and resource servers configure themselves from. No authentication.',
  'OAuth and UMA tokens': 'The token endpoint (every grant, including the UMA grant that trades a permission ticket for an RPT), revocation and userinfo.',
  'Protection API': 'Called by resource servers with a PAT (an access token with scope `uma_protection`): resource registration, permission tickets and token introspection.',
  Browser: 'Pages for the user\'s browser: authorization with sign-in and consent, logout, claims interaction. Errors are HTML pages (or redirects to the client).',
  'Owner API': 'The resource owner\'s sign-in and UMA policies in ForgeRock AM\'s CREST shape. Errors are CREST JSON `{"code","reason","message"}`.',
  Operations: 'Liveness and readiness for load balancers and orchestrators, and Prometheus metrics (see docs/operations.md).',
  'Admin API': 'Realm administration (realms, users, clients, signing keys) with the admin bearer token whose SHA-256 is `STEWARD_ADMIN_TOKEN_SHA256`; unset, every admin route answers 404. Errors are OAuth-style JSON `{"error","error_description"}`. The `steward` CLI does the same through the same services.',
} as const;

export type ApiTag = keyof typeof API_TAGS;

/** One documented answer of a route. */
export interface DocResponse {
  description: string;
  /** Media type of the body; `application/json` when a schema is given and this is not. */
  contentType?: string;
  schema?: JsonSchema;
  /** Response headers worth knowing, by name, with their meaning. */
  headers?: Record<string, string>;
}

/** A request header the route reads. */
export interface DocHeader {
  description: string;
  required?: boolean;
}

/** The documentation of a route, attached as `config.docs`. */
export interface RouteDocs {
  summary: string;
  description?: string;
  /** The first tag is the section of docs/api.md the route appears in. */
  tags: readonly ApiTag[];
  /** Unique name of the operation; with several methods on one route, the method is appended. */
  operationId: string;
  /** One means, or several accepted alternatives. */
  auth: RouteAuth | readonly RouteAuth[];
  /** Meaning of each `:param` of the URL (`realm` has a default). */
  params?: Record<string, string>;
  /** An object schema whose properties are the query parameters. */
  query?: JsonSchema;
  /** Methods that read `query`, when the route has several and not all do. */
  queryMethods?: readonly string[];
  headers?: Record<string, DocHeader>;
  /** The request body (documented for methods other than GET). */
  body?: { contentType: 'application/json' | 'application/x-www-form-urlencoded'; schema: JsonSchema; required?: boolean; description?: string };
  /** Successful (and other non-error) answers by HTTP status. */
  responses: Record<string, DocResponse>;
  /** Error codes the route can answer (their HTTP status comes from the central table). */
  errors: readonly StewardErrorCode[];
  /** Errors render as HTML pages (browser routes) instead of the route's JSON error style. */
  errorFormat?: 'html';
  /** A catch-all route that only refuses other methods on a path. */
  refusesMethod?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** API reference entry of this route (its JSON body schema is also the body's validator). */
    docs?: RouteDocs;
  }
}

/** One method of one route, as collected. */
export interface RouteEntry {
  method: string;
  /** Fastify URL, with `:param` segments. */
  url: string;
  errorStyle: ErrorStyle;
  /** Null when the route has no docs (the docs test lists these). */
  docs: RouteDocs | null;
}

const collected = new WeakMap<FastifyInstance, RouteEntry[]>();

/**
 * Registers the `onRoute` hook that records every route added after it (HEAD routes Fastify derives
 * from GET are skipped). Call before registering routes; read the result with `collectedRoutes`.
 */
export function collectRoutes(app: FastifyInstance): RouteEntry[] {
  const routes: RouteEntry[] = [];
  collected.set(app, routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: route.url, errorStyle: route.config?.errorStyle ?? 'oauth', docs: route.config?.docs ?? null });
    }
  });
  return routes;
}

/** The routes `collectRoutes` recorded for `app`, in registration order. */
export function collectedRoutes(app: FastifyInstance): readonly RouteEntry[] {
  const routes = collected.get(app);
  if (!routes) throw new Error('collectRoutes(app) was not called before the routes were registered');
  return routes;
}
