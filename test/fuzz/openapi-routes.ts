/**
 * @module test/fuzz/openapi-routes
 * The routes the fuzz drives, read from docs/openapi.json (generated from the route definitions by
 * `npm run docs:api`, and checked up to date by the docs tests): every path and method with its path,
 * query and header parameters, its body (content type and schema, `$ref`s resolved), who may call it,
 * and the error format it documents (OAuth JSON, CREST JSON or an HTML page).
 */
import { readFileSync } from 'node:fs';

export type Json = Record<string, unknown>;
export type Schema = Json;
export type Auth = 'none' | 'browser' | 'PAT' | 'bearer' | 'client' | 'owner-session' | 'admin';
export type ErrorFamily = 'oauth' | 'crest' | 'html';
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: Method;
  /** The OpenAPI path, e.g. `/realms/{realm}/authz/protection/resource_set/{id}`. */
  path: string;
  operationId: string;
  auth: Auth[];
  params: Param[];
  body: { contentType: string; schema: Schema; required: boolean } | null;
  /** How this operation's errors are written. */
  family: ErrorFamily;
  /** Statuses the operation documents (successes and errors). */
  statuses: number[];
  /** Statuses documented as answers of their own (the readiness probe's 503), not as an error format. */
  answers: number[];
}

export interface ApiSpec {
  operations: Operation[];
  /** Members an OAuth error body may carry (the `OAuthError` schema). */
  oauthErrorMembers: string[];
  /** Members of a CREST error body (the `CrestError` schema). */
  crestErrorMembers: string[];
}

export const OPENAPI_FILE = new URL('../../docs/openapi.json', import.meta.url);

/** The error format of a URL no documented route matched: CREST under the owner APIs' `/json/`, else OAuth. */
export function familyForUrl(url: string): ErrorFamily {
  return url.startsWith('/json/') ? 'crest' : 'oauth';
}

/** A copy of `schema` with every `$ref` replaced by its component (recursion stops at a repeated name). */
export function resolve(schema: unknown, components: Record<string, Schema>, seen: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(schema)) return schema.map((s) => resolve(s, components, seen));
  if (typeof schema !== 'object' || schema === null) return schema;
  const { $ref, ...rest } = schema as Json;
  if (typeof $ref === 'string') {
    const name = $ref.split('/').pop()!;
    if (seen.has(name)) return {};
    return resolve({ ...components[name], ...rest }, components, new Set([...seen, name]));
  }
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, resolve(v, components, seen)]));
}

function errorFamily(path: string, responses: Record<string, Json>): ErrorFamily {
  for (const [status, response] of Object.entries(responses)) {
    if (Number(status) < 400) continue;
    const content = (response.content ?? {}) as Record<string, { schema?: unknown }>;
    if (content['text/html']) return 'html';
    const schema = JSON.stringify(content['application/json']?.schema ?? {});
    if (schema.includes('/CrestError')) return 'crest';
    if (schema.includes('/OAuthError')) return 'oauth';
  }
  return familyForUrl(path);
}

export function readApiSpec(file: URL = OPENAPI_FILE): ApiSpec {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Schema> } };
  const components = doc.components.schemas;
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const responses = op.responses as Record<string, Json>;
      const requestBody = op.requestBody as { required?: boolean; content: Record<string, { schema: Schema }> } | undefined;
      const [contentType, content] = requestBody ? Object.entries(requestBody.content)[0]! : [];
      operations.push({
        method: method.toUpperCase() as Method,
        path,
        operationId: String(op.operationId),
        auth: ((op['x-steward-auth'] as Auth[] | undefined) ?? ['none']).slice(),
        params: ((op.parameters ?? []) as Array<Json & Param>).map((p) => ({ name: p.name, in: p.in, required: Boolean(p.required), schema: resolve(p.schema ?? {}, components) as Schema })),
        body: contentType && content ? { contentType, schema: resolve(content.schema, components) as Schema, required: requestBody?.required ?? true } : null,
        family: errorFamily(path, responses),
        statuses: Object.keys(responses).filter((s) => /^\d+$/.test(s)).map(Number),
        answers: Object.entries(responses).filter(([s, r]) => /^\d+$/.test(s) && !String(r.description).startsWith('Error:')).map(([s]) => Number(s)),
      });
    }
  }
  const members = (name: string) => Object.keys((components[name]?.properties ?? {}) as Json);
  return { operations, oauthErrorMembers: members('OAuthError'), crestErrorMembers: members('CrestError') };
}
