/**
 * @module test/docs/checks
 * What the API docs test asserts, as functions that return the problems they find (so the test can
 * also show that each check catches a broken input): undocumented routes, docs that do not fit their
 * URL, structural faults of the OpenAPI document, and replies that do not match a route's docs.
 */
import { STATUS_CODES } from 'node:http';
import Value from 'typebox/value';
import { STATUS } from '../../packages/server/src/http/render-error.ts';
import type { RouteDocs, RouteEntry } from '../../packages/server/src/http/route-docs.ts';
import { OAuthErrorSchema, CrestErrorSchema } from '../../packages/server/src/wire/errors.ts';
import { pathParams } from '../../tools/api-docs/openapi.ts';
import type { Reply } from '../helpers/http.ts';

type Json = Record<string, any>;

export const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

/** Routes without docs, or whose docs lack a summary or any documented answer. */
export function undocumentedRoutes(routes: readonly RouteEntry[]): string[] {
  const answers = (d: RouteDocs) => Object.keys(d.responses).length > 0 || (d.refusesMethod === true && d.errors.length > 0);
  return routes.filter((r) => !r.docs || r.docs.summary.trim() === '' || !answers(r.docs)).map(routeKey);
}

/** Docs that do not fit the routes they are attached to. */
export function docsProblems(routes: readonly RouteEntry[]): string[] {
  const problems: string[] = [];
  const byDocs = new Map<RouteDocs, RouteEntry[]>();
  for (const r of routes) if (r.docs) byDocs.set(r.docs, [...(byDocs.get(r.docs) ?? []), r]);
  for (const [docs, group] of byDocs) {
    const params = new Set(group.flatMap((r) => pathParams(r.url)));
    for (const name of Object.keys(docs.params ?? {})) if (!params.has(name)) problems.push(`${docs.operationId}: documents :${name}, which no route of it has`);
    for (const name of params) if (name !== 'realm' && !docs.params?.[name]) problems.push(`${docs.operationId}: :${name} has no description`);
    if (docs.refusesMethod && Object.keys(docs.responses).length > 0) problems.push(`${docs.operationId}: a method refusal documents a success`);
    if (params.has('realm') && !docs.refusesMethod && !docs.errors.includes('not_found')) problems.push(`${docs.operationId}: an unknown realm answers not_found, which is not listed`);
    if (new Set(docs.errors).size !== docs.errors.length) problems.push(`${docs.operationId}: an error code is listed twice`);
  }
  return problems;
}

function walk(value: unknown, visit: (node: Json, path: string) => void, path = '#'): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, visit, `${path}/${i}`));
  else if (typeof value === 'object' && value !== null) {
    visit(value as Json, path);
    for (const [k, v] of Object.entries(value)) walk(v, visit, `${path}/${k}`);
  }
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Structural faults of an OpenAPI 3.1 document (the parts Steward's generator produces). */
export function openApiProblems(doc: Json): string[] {
  const problems: string[] = [];
  if (doc.openapi !== '3.1.0') problems.push('openapi is not 3.1.0');
  if (typeof doc.info?.title !== 'string' || typeof doc.info?.version !== 'string') problems.push('info.title and info.version are required');
  const tags = new Set((doc.tags ?? []).map((t: Json) => t.name));
  const schemes = doc.components?.securitySchemes ?? {};
  const ids = new Map<string, string>();
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    if (!path.startsWith('/')) problems.push(`${path}: paths start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const [method, op] of Object.entries<Json>(item)) {
      const at = `${method.toUpperCase()} ${path}`;
      if (!METHODS.includes(method)) problems.push(`${at}: not an HTTP method`);
      if (typeof op.operationId !== 'string') problems.push(`${at}: no operationId`);
      else if (ids.has(op.operationId)) problems.push(`${at}: operationId ${op.operationId} also used by ${ids.get(op.operationId)}`);
      else ids.set(op.operationId, at);
      const pathParameters = (op.parameters ?? []).filter((p: Json) => p.in === 'path');
      for (const name of templated) {
        const p = pathParameters.find((q: Json) => q.name === name);
        if (!p) problems.push(`${at}: path parameter {${name}} missing from parameters`);
        else if (p.required !== true) problems.push(`${at}: path parameter {${name}} must be required`);
      }
      for (const p of pathParameters) if (!templated.includes(p.name)) problems.push(`${at}: parameter ${p.name} is not in the path`);
      const seen = new Set<string>();
      for (const p of op.parameters ?? []) {
        const key = `${p.in}:${String(p.name).toLowerCase()}`;
        if (seen.has(key)) problems.push(`${at}: parameter ${p.name} twice`);
        seen.add(key);
      }
      if (!op.responses || Object.keys(op.responses).length === 0) problems.push(`${at}: no responses`);
      for (const [status, r] of Object.entries<Json>(op.responses ?? {})) {
        if (!/^[1-5]\d\d$/.test(status) && status !== 'default') problems.push(`${at}: response key ${status}`);
        if (typeof r.description !== 'string') problems.push(`${at} ${status}: no description`);
      }
      for (const t of op.tags ?? []) if (!tags.has(t)) problems.push(`${at}: tag ${t} not declared`);
      for (const req of op.security ?? []) for (const name of Object.keys(req)) if (!schemes[name]) problems.push(`${at}: unknown security scheme ${name}`);
    }
  }
  walk(doc, (node, path) => {
    if (typeof node.$ref !== 'string') return;
    const m = /^#\/components\/schemas\/([^/]+)$/.exec(node.$ref);
    if (!m || !doc.components?.schemas?.[m[1]!]) problems.push(`${path}: $ref ${node.$ref} does not resolve`);
  });
  return problems;
}

/** Why `reply` does not match what the route's docs promise (empty when it does). */
export function replyProblems(route: RouteEntry, reply: Reply): string[] {
  const docs = route.docs;
  const at = `${routeKey(route)} → ${reply.status}`;
  if (!docs) return [`${at}: undocumented route`];
  const documented = docs.responses[String(reply.status)];
  if (documented) {
    const type = documented.contentType ?? (documented.schema ? 'application/json' : undefined);
    if (type && !String(reply.headers['content-type']).startsWith(type)) return [`${at}: content type ${reply.headers['content-type']} is not the documented ${type}`];
    if (!documented.schema) return [];
    if (reply.json === undefined) return [`${at}: body is not JSON: ${reply.body.slice(0, 200)}`];
    const errors = [...Value.Errors(documented.schema, reply.json)].map((e) => `${e.instancePath || '/'} ${e.message}`);
    return errors.length ? [`${at}: body does not match the documented schema: ${errors.join('; ')} in ${reply.body.slice(0, 300)}`] : [];
  }
  const codes = docs.errors.filter((c) => STATUS[c] === reply.status);
  if (codes.length === 0) return [`${at}: status not documented (${reply.body.slice(0, 200)})`];
  if (docs.errorFormat === 'html') return /^text\/html/.test(String(reply.headers['content-type'])) ? [] : [`${at}: error is not an HTML page`];
  if (route.errorStyle === 'crest') {
    if (!Value.Check(CrestErrorSchema, reply.json) || reply.json.code !== reply.status || reply.json.reason !== STATUS_CODES[reply.status]) return [`${at}: not a CREST error: ${reply.body}`];
    return [];
  }
  if (!Value.Check(OAuthErrorSchema, reply.json)) return [`${at}: not an OAuth error: ${reply.body}`];
  return (codes as string[]).includes(reply.json.error) ? [] : [`${at}: error ${reply.json.error} is not documented (documented: ${codes.join(', ')})`];
}
