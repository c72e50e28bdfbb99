/**
 * @module tools/api-docs/openapi
 * Builds the OpenAPI 3.1 document from the routes the app collected (http/route-docs.ts): paths,
 * parameters, bodies, responses, each error code with its status from the central table, and the
 * security schemes. Named schemas (`$id`) become components.
 */
import { STATUS } from '../../packages/server/src/http/render-error.ts';
import { API_TAGS, type ApiTag, type RouteAuth, type RouteDocs, type RouteEntry } from '../../packages/server/src/http/route-docs.ts';
import { CrestErrorSchema, OAuthErrorSchema } from '../../packages/server/src/wire/errors.ts';
import type { StewardErrorCode } from '../../packages/core/src/errors.ts';

type Json = Record<string, unknown>;

export interface ApiDocOptions {
  /** Name of the owner API session header (and cookie). */
  sessionHeader: string;
  /** Default base URL of the server. */
  baseUrl: string;
  version: string;
}

/** `/realms/:realm/x` → `/realms/{realm}/x` */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export function pathParams(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

export const DEFAULT_PARAM_DOCS: Record<string, string> = { realm: 'The realm id; the realm\'s issuer is `{base}/realms/{realm}`.' };

/** A plain JSON copy of a schema (TypeBox keeps its modifiers in non-enumerable members). */
export function plain(schema: object): Json {
  return JSON.parse(JSON.stringify(schema)) as Json;
}

export function authList(docs: RouteDocs): readonly RouteAuth[] {
  return typeof docs.auth === 'string' ? [docs.auth] : docs.auth;
}

/** Unique operation ids: docs shared by several routes get the method and/or a path index appended. */
export function operationIds(routes: readonly RouteEntry[]): Map<RouteEntry, string> {
  const groups = new Map<RouteDocs, RouteEntry[]>();
  for (const r of routes) if (r.docs) groups.set(r.docs, [...(groups.get(r.docs) ?? []), r]);
  const ids = new Map<RouteEntry, string>();
  for (const r of routes) {
    if (!r.docs) {
      ids.set(r, `undocumented_${r.method.toLowerCase()}_${r.url.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`);
      continue;
    }
    const group = groups.get(r.docs)!;
    const urls = [...new Set(group.map((g) => g.url))];
    const methodsVary = new Set(group.map((g) => g.method)).size > 1;
    const index = urls.indexOf(r.url);
    ids.set(r, `${r.docs.operationId}${methodsVary ? `_${r.method.toLowerCase()}` : ''}${index > 0 ? `_${index + 1}` : ''}`);
  }
  return ids;
}

/** The route's error codes grouped by HTTP status, ascending. */
export function errorGroups(docs: RouteDocs): Array<{ status: number; codes: StewardErrorCode[] }> {
  const byStatus = new Map<number, StewardErrorCode[]>();
  for (const code of docs.errors) byStatus.set(STATUS[code], [...(byStatus.get(STATUS[code]) ?? []), code]);
  return [...byStatus].sort((a, b) => a[0] - b[0]).map(([status, codes]) => ({ status, codes }));
}

export function errorFormat(route: RouteEntry): 'OAuth JSON' | 'CREST JSON' | 'HTML page' {
  if (route.docs?.errorFormat === 'html') return 'HTML page';
  return route.errorStyle === 'crest' ? 'CREST JSON' : 'OAuth JSON';
}

/** Collects named schemas into components and replaces them with `$ref`s. */
class Components {
  readonly schemas: Record<string, Json> = {};

  ref(schema: object): Json {
    return this.#walk(plain(schema)) as Json;
  }

  #walk(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.#walk(v));
    if (typeof value !== 'object' || value === null) return value;
    const { $id, ...rest } = value as Json;
    const walked = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, this.#walk(v)]));
    if (typeof $id !== 'string') return walked;
    const existing = this.schemas[$id];
    if (existing && JSON.stringify(existing) !== JSON.stringify(walked)) throw new Error(`Two different schemas are named ${$id}`);
    this.schemas[$id] = walked;
    return { $ref: `#/components/schemas/${$id}` };
  }
}

const SECURITY: Record<RouteAuth, Json[]> = {
  none: [],
  browser: [],
  PAT: [{ pat: [] }],
  bearer: [{ accessToken: [] }],
  // `{}`: client_secret_post and public clients authenticate in the form, which OpenAPI cannot express.
  client: [{ clientBasic: [] }, {}],
  'owner-session': [{ ownerSession: [] }, { ownerSessionCookie: [] }],
  admin: [{ adminToken: [] }],
};

function securitySchemes(options: ApiDocOptions): Json {
  return {
    pat: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'Protection API access token (PAT): an access token with scope `uma_protection`, issued to the resource server for the resource owner (password, authorization_code or client_credentials grant).',
    },
    accessToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token issued to the user: userinfo needs scope `openid`, the owner APIs need scope `sharing`. RPTs are not accepted.' },
    clientBasic: {
      type: 'http',
      scheme: 'basic',
      description: '`client_secret_basic` (RFC 6749 §2.3.1). Alternatively `client_id` and `client_secret` in the form (`client_secret_post`), or a public client\'s `client_id` alone. One method per request.',
    },
    ownerSession: { type: 'apiKey', in: 'header', name: options.sessionHeader, description: 'The `tokenId` from the owner authenticate endpoint.' },
    ownerSessionCookie: { type: 'apiKey', in: 'cookie', name: options.sessionHeader, description: 'The session cookie the owner authenticate endpoint sets: reads (GET) only, and not when the browser says the request comes from another site (`Sec-Fetch-Site`, `Origin`).' },
    adminToken: { type: 'http', scheme: 'bearer', description: 'The admin token: a secret whose SHA-256 (hex) is configured as `STEWARD_ADMIN_TOKEN_SHA256`.' },
  };
}

function errorContent(route: RouteEntry, codes: StewardErrorCode[], components: Components): Json {
  const format = errorFormat(route);
  if (format === 'HTML page') return { 'text/html': { schema: { type: 'string' } } };
  if (format === 'CREST JSON') return { 'application/json': { schema: components.ref(CrestErrorSchema) } };
  return { 'application/json': { schema: { allOf: [components.ref(OAuthErrorSchema), { properties: { error: { enum: codes } } }] } } };
}

function operation(route: RouteEntry, docs: RouteDocs, operationId: string, components: Components): Json {
  const parameters: Json[] = pathParams(route.url).map((name) => ({
    name,
    in: 'path',
    required: true,
    description: docs.params?.[name] ?? DEFAULT_PARAM_DOCS[name] ?? '',
    schema: { type: 'string' },
  }));
  if (docs.query && (!docs.queryMethods || docs.queryMethods.includes(route.method))) {
    const query = plain(docs.query) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      const { description, ...rest } = schema;
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: components.ref(rest) });
    }
  }
  for (const [name, h] of Object.entries(docs.headers ?? {})) {
    parameters.push({ name, in: 'header', required: h.required ?? false, description: h.description, schema: { type: 'string' } });
  }
  const responses: Record<string, Json> = {};
  for (const [status, r] of Object.entries(docs.responses)) {
    const out: Json = { description: r.description };
    if (r.headers) out.headers = Object.fromEntries(Object.entries(r.headers).map(([n, d]) => [n, { description: d, schema: { type: 'string' } }]));
    if (r.schema || r.contentType) out.content = { [r.contentType ?? 'application/json']: { schema: r.schema ? components.ref(r.schema) : { type: 'string' } } };
    responses[status] = out;
  }
  for (const { status, codes } of errorGroups(docs)) {
    if (responses[status]) throw new Error(`${route.method} ${route.url}: status ${status} is both a documented response and an error`);
    responses[status] = { description: `Error: ${codes.map((c) => `\`${c}\``).join(', ')} (${errorFormat(route)}).`, content: errorContent(route, codes, components) };
  }
  // The session cookie counts for reads only (a cookie alone never authorizes a write).
  const security = authList(docs).flatMap((a) => SECURITY[a]).filter((s) => route.method === 'GET' || !('ownerSessionCookie' in s));
  return {
    operationId,
    summary: docs.summary,
    ...(docs.description ? { description: docs.description } : {}),
    tags: [...docs.tags],
    'x-steward-auth': [...authList(docs)],
    ...(security.length > 0 ? { security } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(docs.body && route.method !== 'GET'
      ? {
          requestBody: {
            required: docs.body.required ?? true,
            ...(docs.body.description ? { description: docs.body.description } : {}),
            content: { [docs.body.contentType]: { schema: components.ref(docs.body.schema) } },
          },
        }
      : {}),
    responses,
  };
}

function undocumented(route: RouteEntry, operationId: string): Json {
  const parameters = pathParams(route.url).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  return { operationId, summary: 'Not documented yet', 'x-undocumented': true, ...(parameters.length ? { parameters } : {}), responses: { default: { description: 'Not documented yet.' } } };
}

/** The OpenAPI 3.1 document of the collected routes. */
export function buildOpenApi(routes: readonly RouteEntry[], options: ApiDocOptions): Json {
  const components = new Components();
  const ids = operationIds(routes);
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const path = openApiPath(route.url);
    const item = (paths[path] ??= {});
    const method = route.method.toLowerCase();
    if (item[method]) throw new Error(`Route registered twice: ${route.method} ${route.url}`);
    item[method] = route.docs ? operation(route, route.docs, ids.get(route)!, components) : undocumented(route, ids.get(route)!);
  }
  const sortedSchemas = Object.fromEntries(Object.entries(components.schemas).sort(([a], [b]) => a.localeCompare(b)));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Steward API',
      version: options.version,
      description:
        'Steward, a UMA 2.0 authorization server. Generated from the route definitions. Besides the errors listed per operation, any request may answer 413 `payload_too_large` (body over the configured limit) and 500 `server_error`; error codes are explained in docs/errors.md.',
    },
    servers: [{ url: '{base}', variables: { base: { default: options.baseUrl, description: 'The server\'s base URL (`STEWARD_BASE_URL`).' } } }],
    tags: (Object.keys(API_TAGS) as ApiTag[]).map((name) => ({ name, description: API_TAGS[name] })),
    paths,
    components: { schemas: sortedSchemas, securitySchemes: securitySchemes(options) },
  };
}
