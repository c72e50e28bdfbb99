/**
 * @module test/fuzz/cases
 * The requests the fuzz sends for one documented operation: a plausible baseline, then one change at
 * a time (test/fuzz/request-cases.ts for the path, query and headers, test/fuzz/body-cases.ts for the
 * body), each with the route's own credentials, and some without any, with the owner session as a
 * cookie, or with another kind's credentials.
 */
import { bodyCases, bodyExamples } from './body-cases.ts';
import { enc, formPairs, joinPairs, type Pairs } from './encoding.ts';
import { example, hinted, pruned, type Known } from './examples.ts';
import type { Method, Operation, Param } from './openapi-routes.ts';
import type { Random } from './random.ts';
import { headerCases, inBaseline, pathCases, pathValue, queryCases, urlOf } from './request-cases.ts';

/** Whose credentials a case carries: its route's own (the owner session as a header, or as the cookie), none, or another kind's. */
export type Credentials = 'own' | 'cookie' | 'none' | 'foreign';

export interface FuzzCase {
  label: string;
  method: Method | 'HEAD';
  /** Path and query, already percent-encoded. */
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  credentials: Credentials;
  /** The path's shape or a segment was tampered with: the request may reach another route, or none. */
  reroutes: boolean;
}

export interface CaseOptions {
  /** Hostile values tried per parameter or field. */
  perField: number;
  /** Path tricks tried per operation. */
  pathTricks: number;
}

/** One change from the baseline; what it leaves out stays as in the baseline (`payload: null` sends none, a header `undefined` drops it). */
export interface Change {
  segments?: Record<string, string>;
  query?: Pairs;
  headers?: Record<string, string | undefined>;
  payload?: string | Buffer | null;
  /** A whole path (already filled) instead of the route's. */
  path?: string;
  method?: FuzzCase['method'];
  reroutes?: boolean;
}

/** What the case builders share for one operation. */
export interface Builder {
  op: Operation;
  known: Known;
  random: Random;
  options: CaseOptions;
  /** Encoded path parameter values of the baseline. */
  segments: Record<string, string>;
  baseQuery: Pairs;
  /** Plausible bodies: one per branch of a top-level `oneOf`/`anyOf`. */
  examples: unknown[];
  queryExample(p: Param): string;
  /** The body in the route's content type. */
  serialize(value: unknown): string;
  add(label: string, change: Change): void;
}

function builder(op: Operation, known: Known, random: Random, options: CaseOptions, cases: FuzzCase[]): Builder {
  const segments = Object.fromEntries(op.params.filter((p) => p.in === 'path').map((p) => [p.name, encodeURIComponent(pathValue(op, p.name, known))]));
  // A page's `scope` is the OAuth scope of the sign-in, not a resource scope.
  const queryExample = (p: Param) => enc(op.auth.includes('browser') && p.name === 'scope' ? 'openid' : example(p.schema, random, known, p.name));
  const baseQuery: Pairs = op.params.filter((p) => p.in === 'query' && inBaseline(op, p, known)).map((p) => [p.name, queryExample(p)]);
  const examples = op.body ? bodyExamples(op.body.schema, random, known) : [];
  const serialize = (value: unknown): string => (op.body?.contentType === 'application/json' ? JSON.stringify(pruned(value)) : joinPairs(formPairs(value)));
  const baseHeaders: Record<string, string> = op.body ? { 'content-type': op.body.contentType } : {};
  for (const p of op.params.filter((p) => p.in === 'header')) {
    const hint = hinted(p.name, known, 'string');
    if (typeof hint === 'string') baseHeaders[p.name.toLowerCase()] = hint;
  }
  const basePayload = examples.length > 0 ? serialize(examples[0]) : undefined;
  return {
    op,
    known,
    random,
    options,
    segments,
    baseQuery,
    examples,
    queryExample,
    serialize,
    add(label, change) {
      const payload = change.payload === null ? undefined : (change.payload ?? basePayload);
      cases.push({
        label,
        method: change.method ?? op.method,
        url: urlOf(change.path ?? op.path, { ...segments, ...change.segments }, change.query ?? baseQuery),
        headers: Object.fromEntries(Object.entries({ ...baseHeaders, ...change.headers }).filter((e): e is [string, string] => e[1] !== undefined)),
        ...(payload !== undefined ? { payload } : {}),
        credentials: 'own',
        reroutes: change.reroutes ?? change.path !== undefined,
      });
    },
  };
}

export function buildCases(op: Operation, known: Known, random: Random, options: CaseOptions): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const b = builder(op, known, random, options, cases);
  b.add('baseline', {});
  if (op.method === 'GET') b.add('HEAD', { method: 'HEAD' });
  pathCases(b);
  queryCases(b);
  headerCases(b);
  bodyCases(b);

  const withoutCredentials = cases.filter((_, i) => i % 3 === 0).map((c) => ({ ...c, label: `${c.label} (no credentials)`, credentials: 'none' as const }));
  const cookie = op.auth.includes('owner-session') ? cases.filter((_, i) => i % 4 === 1).map((c) => ({ ...c, label: `${c.label} (session cookie)`, credentials: 'cookie' as const })) : [];
  const foreign = op.auth.every((a) => a === 'none' || a === 'browser') ? [] : [{ ...cases[0]!, label: 'baseline (foreign credentials)', credentials: 'foreign' as const }];
  return [...cases, ...withoutCredentials, ...cookie, ...foreign];
}
