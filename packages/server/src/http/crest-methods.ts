/**
 * @module http/crest-methods
 * Shared steps of the read-only CREST owner routes: the answer to any method a route does not take
 * (CREST `unsupported_method_type`), and the user's own lists (shared-with-me, my requests) that only
 * the user herself may read.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { fail, requireSelf, type Page, type PageRequest, type User } from '@steward/core';
import { pageToWire, pagingQueryDocs } from '../wire/paging.ts';
import { PAGING_PARAMETERS, pageParameters } from './crest-query.ts';
import type { Deps } from '../deps.ts';
import { acceptApiVersionDoc } from './api-version.ts';
import { requireOwnerUser } from './owner-session.ts';
import { loadRealm } from './realm.ts';
import type { JsonSchema, RouteDocs } from './route-docs.ts';

const crest = { errorStyle: 'crest' } as const;
const WRITE_METHODS = ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

export interface RefusedMethods {
  url: string;
  /** How the message names the route, e.g. `the audit history`. */
  name: string;
  summary: string;
  operationId: string;
  params: Record<string, string>;
  description?: string;
  /** The methods refused; every method but GET by default. */
  methods?: string[];
  /** Replaces the default message after `Method X is not supported on …`. */
  hint?: string;
}

/** Every method the route does not take answers CREST `unsupported_method_type` naming the method. */
export function refuseCrestMethods(app: FastifyInstance, spec: RefusedMethods): void {
  const docs: RouteDocs = {
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: ['Owner API'],
    operationId: spec.operationId,
    auth: 'none',
    params: spec.params,
    refusesMethod: true,
    responses: {},
    errors: ['unsupported_method_type'],
  };
  app.route({
    method: spec.methods ?? WRITE_METHODS,
    url: spec.url,
    config: { ...crest, docs },
    handler: async (request) => {
      throw fail('unsupported_method_type', `Method ${request.method} is not supported on ${spec.name}${spec.hint ? `; ${spec.hint}` : '.'}`);
    },
  });
}

/**
 * The query parameters of a list route, each at most once (a repeat is `invalid_request`); CREST
 * parameters (`_…`) other than `known` are refused, other names are returned for the route to read.
 */
export function singleParameters(query: Record<string, string | string[] | undefined>, known: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) throw fail('invalid_request', `Parameter ${name.slice(0, 64)} is repeated`);
    if (name.startsWith('_') && !known.includes(name)) throw fail('invalid_request', `Unsupported query parameter ${name.slice(0, 64)}`);
    found.set(name, value);
  }
  return found;
}

export interface SelfList<T> {
  url: string;
  name: string;
  summary: string;
  description: string;
  operationId: string;
  schema: JsonSchema;
  responseDescription: string;
  list(deps: Deps, input: { realm: string; user: User; page: PageRequest }): Promise<Page<T>>;
  toWire(item: T): unknown;
}

type ListRequest = FastifyRequest<{ Params: { realm: string; user: string }; Querystring: Record<string, string | string[] | undefined> }>;

/** A GET list that only the user named in the URL may read, answered in CREST's query shape. */
export function selfListRoutes<T>(app: FastifyInstance, deps: Deps, spec: SelfList<T>): void {
  const docs: RouteDocs = {
    summary: spec.summary,
    description: spec.description,
    tags: ['Owner API'],
    operationId: spec.operationId,
    auth: ['owner-session', 'bearer'],
    params: { user: 'The user\'s name: only the user herself may read this list (403 otherwise).' },
    query: Type.Object(pagingQueryDocs(false)),
    headers: acceptApiVersionDoc(),
    responses: { '200': { description: spec.responseDescription, schema: spec.schema } },
    errors: ['invalid_request', 'login_required', 'forbidden', 'not_found'],
  };
  app.get(spec.url, { config: { ...crest, docs } }, async (request: ListRequest, reply) => {
    const realm = await loadRealm(deps, request.params.realm);
    const user = await requireOwnerUser(deps, realm, request);
    requireSelf(user, request.params.user);
    const page = pageParameters(singleParameters(request.query, ['_queryFilter', '_fields', ...PAGING_PARAMETERS]));
    const found = await spec.list(deps, { realm: realm.id, user, page });
    reply.header('cache-control', 'no-store');
    return pageToWire(found, page, spec.toWire);
  });
  refuseCrestMethods(app, {
    url: spec.url,
    name: spec.name,
    summary: `Unsupported method on ${spec.name}`,
    operationId: `${spec.operationId}OtherMethods`,
    params: { user: 'The user\'s name.' },
  });
}
