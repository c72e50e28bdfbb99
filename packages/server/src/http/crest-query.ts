/**
 * @module http/crest-query
 * CREST query parameters of an owner API collection (`_queryFilter`, `_sortKeys`, `_pageSize`,
 * `_pagedResultsCookie`, `_pagedResultsOffset`, `_totalPagedResultsPolicy`, `_action`): read from the URL and, as `curl --data-urlencode` sends them, a
 * form body of a GET; each at most once; other `_` parameters are refused by name.
 */
import type { FastifyRequest } from 'fastify';
import { fail, pageRequest, type PageRequest } from '@steward/core';
import { Form } from './form.ts';

/** Largest form body a query reads. */
const FORM_LIMIT = 16 * 1024;

type QueryRequest = FastifyRequest<{ Querystring: Record<string, string | string[] | undefined> }>;

/** The form body of a GET (Fastify does not parse it); null when there is none. */
export async function getForm(request: FastifyRequest): Promise<Form | null> {
  if (request.method !== 'GET') return null;
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    size += (chunk as Buffer).length;
    if (size > FORM_LIMIT) throw fail('payload_too_large', 'Request body is too large');
    chunks.push(chunk as Buffer);
  }
  return new Form(Buffer.concat(chunks).toString('utf8'));
}

/** The parameters by name; `allowed` lists the `_` parameters the route reads. */
export async function crestParameters(request: FastifyRequest, allowed: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const add = (name: string, values: string[]) => {
    if (values.length > 1 || found.has(name)) throw fail('invalid_request', `Parameter ${name.slice(0, 64)} is repeated`);
    found.set(name, values[0] ?? '');
  };
  for (const [name, value] of Object.entries((request as QueryRequest).query ?? {})) if (value !== undefined) add(name, Array.isArray(value) ? value : [value]);
  const form = await getForm(request);
  if (form) for (const name of form.names()) add(name, form.all(name));
  for (const name of found.keys()) {
    if (name.startsWith('_') && !allowed.includes(name)) throw fail('invalid_request', `Unsupported query parameter ${name.slice(0, 64)}`);
  }
  return found;
}

/** A non-negative integer parameter; 0 when absent. */
export function countParameter(params: Map<string, string>, name: string): number {
  const value = params.get(name);
  if (value === undefined) return 0;
  if (!/^\d{1,9}$/.test(value)) throw fail('invalid_request', `${name} must be a non-negative integer`);
  return Number(value);
}

/** The CREST paging parameters a list reads. */
export const PAGING_PARAMETERS = ['_pageSize', '_pagedResultsCookie', '_pagedResultsOffset', '_totalPagedResultsPolicy'] as const;

/** The checked page request of `_pageSize`, `_pagedResultsCookie`, `_pagedResultsOffset` and `_totalPagedResultsPolicy`. */
export function pageParameters(params: Map<string, string>): PageRequest {
  const cookie = params.get('_pagedResultsCookie');
  return pageRequest({ pageSize: countParameter(params, '_pageSize'), offset: countParameter(params, '_pagedResultsOffset'), cookie: cookie === '' ? undefined : cookie, countPolicy: params.get('_totalPagedResultsPolicy') });
}
