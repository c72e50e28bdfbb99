/**
 * @module test/fuzz/cases
 * The requests the fuzz sends for one documented operation: a plausible baseline, then one change at
 * a time: each path parameter, query parameter, header parameter and body field given hostile values,
 * repeated query and form parameters, raw bodies a parser may trip on (duplicate keys, deep nesting,
 * bad encodings), other content types and charsets, and path tricks that may reach another route.
 */
import { example, fieldPaths, hinted, pruned, withField, type Known } from './examples.ts';
import type { Method, Operation, Param, Schema } from './openapi-routes.ts';
import type { Random } from './random.ts';
import {
  CONTENT_TYPES,
  GENERIC_HEADERS,
  HOSTILE_HEADER_VALUES,
  HOSTILE_JSON,
  HOSTILE_QUERY_VALUES,
  HOSTILE_SEGMENTS,
  HOSTILE_STRINGS,
  HUGE,
  MALFORMED_FORMS,
  MALFORMED_JSON,
  MULTIPART_BODY,
  OTHER_NAMES,
} from './values.ts';

/** Whose credentials a case carries: the ones its route documents (the owner session as a header, or as the cookie), none, or another kind's. */
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

type Pairs = Array<[string, string]>;

/** Percent-encodes as UTF-8; a lone surrogate becomes its (invalid) three-byte form, e.g. `%ED%A0%80`. */
export function enc(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  if (text.isWellFormed()) return encodeURIComponent(text);
  return text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]|[^\ud800-\udfff]+/g, (part) => {
    if (part.length > 1 || !/[\ud800-\udfff]/.test(part)) return encodeURIComponent(part);
    const u = part.charCodeAt(0);
    return [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
  });
}
const formValue = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [typeof v === 'string' ? v : JSON.stringify(v)]);

/** The value of a path parameter: the real id of what the segment before it names. */
export function pathValue(op: Operation, name: string, known: Known): string {
  const segments = op.path.split('/');
  const before = segments[segments.indexOf(`{${name}}`) - 1];
  const admin = op.path.startsWith('/admin/');
  if (name === 'clientId') return admin && before === 'clients' ? known.victimClientId : known.resourceServer;
  if (name === 'userId') return known.victimUserId;
  if (name === 'file') return known.asset;
  if (name !== 'id') return String(hinted(name, known, 'string') ?? 'fuzz');
  switch (before) {
    case 'pendingrequests':
      return known.accessRequestId;
    case 'ticket':
      return known.permissionTicketId;
    case 'groups':
      return known.groupId;
    case 'webhooks':
      return known.webhookId;
    case 'organizations':
      return known.organizationId;
    case 'deliveries':
      return known.deliveryId;
    case 'users':
      return known.victimUserId;
    default:
      return known.resourceId;
  }
}

function urlOf(path: string, segments: Record<string, string>, query: Pairs): string {
  const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) => segments[name] ?? 'fuzz');
  return query.length === 0 ? filled : `${filled}?${query.map(([k, v]) => `${k}=${v}`).join('&')}`;
}

/**
 * Whether the baseline carries an optional query parameter: a page's request carries all it can (it
 * is refused otherwise before anything is parsed), and a POST its action.
 */
function inBaseline(op: Operation, p: Param, known: Known): boolean {
  if (p.required) return true;
  if (op.auth.includes('browser')) return hinted(p.name, known, 'string') !== undefined || 'const' in p.schema;
  return op.method === 'POST' && p.name === '_action';
}

/** Whether a raw path segment may make the path reach another route (or none): empty, dots, slashes, bad or overlong escapes. */
export function mayReroute(segment: string): boolean {
  if (/%(?:C0|C1|E0%80)/i.test(segment)) return true;
  try {
    const decoded = decodeURIComponent(segment);
    return decoded === '' || decoded === '.' || decoded === '..' || /[/\\;]/.test(decoded);
  } catch {
    return true;
  }
}

/** Examples of the body: one per branch of a top-level `oneOf`/`anyOf` (the token endpoint's grants). */
function bodyExamples(schema: Schema, random: Random, known: Known): unknown[] {
  const branches = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  return Array.isArray(branches) ? branches.map((b) => example(b, random, known)) : [example(schema, random, known)];
}

function formPairs(value: unknown): Pairs {
  const fields = pruned(value);
  if (typeof fields !== 'object' || fields === null) return [];
  return Object.entries(fields).flatMap(([k, v]) => formValue(v).map((item): [string, string] => [enc(k), enc(item)]));
}

const joinPairs = (pairs: Pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&');

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : Buffer.isBuffer(value) ? `bytes ${value.toString('hex').slice(0, 40)}` : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 40)}…(${text.length} chars)` : text;
}

/** Path tricks on a concrete URL path; each keeps the route's intent but bends its encoding. */
function pathTricks(path: string, random: Random): Array<[string, string]> {
  const slashes = [...path.matchAll(/\//g)].map((m) => m.index!).filter((i) => i > 0);
  const at = slashes.length > 0 ? random.pick(slashes) : path.length;
  const staticSegments = path.split('/').map((s, i) => [s, i] as const).filter(([s]) => /^[a-z_-]{3,}$/i.test(s));
  const [segment, index] = staticSegments.length > 0 ? random.pick(staticSegments) : ['', -1];
  const replaceSegment = (next: string) => path.split('/').map((s, i) => (i === index ? next : s)).join('/');
  const letter = segment.search(/[a-z]/i);
  return [
    ['double slash', `${path.slice(0, at)}/${path.slice(at)}`],
    ['leading double slash', `/${path}`],
    ['%2F for a slash', `${path.slice(0, at)}%2F${path.slice(at + 1)}`],
    ['%2f for a slash', `${path.slice(0, at)}%2f${path.slice(at + 1)}`],
    ['overlong UTF-8 slash', `${path.slice(0, at)}%C0%AF${path.slice(at + 1)}`],
    ['dot segment', `${path.slice(0, at)}/.${path.slice(at)}`],
    ['dot-dot segment', `${path.slice(0, at)}/fuzz/..${path.slice(at)}`],
    ['%2e%2e segment', `${path.slice(0, at)}/fuzz/%2e%2e${path.slice(at)}`],
    ['overlong UTF-8 dots', `${path.slice(0, at)}/fuzz/%C0%AE%C0%AE${path.slice(at)}`],
    ['percent-encoded letter', letter < 0 ? path : replaceSegment(`${segment.slice(0, letter)}%${segment.charCodeAt(letter).toString(16)}${segment.slice(letter + 1)}`)],
    ['upper-case segment', replaceSegment(segment.toUpperCase())],
    ['matrix parameter', replaceSegment(`${segment};x=y`)],
    ['trailing %00', `${path}%00`],
    ['trailing slash', `${path}/`],
    ['trailing dot-dot', `${path}/..`],
    ['backslash', `${path.slice(0, at)}%5C${path.slice(at + 1)}`],
  ];
}

export function buildCases(op: Operation, known: Known, random: Random, options: CaseOptions): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const headerParams = op.params.filter((p) => p.in === 'header' && p.name.toLowerCase() !== 'authorization');
  const segments = Object.fromEntries(pathParams.map((p) => [p.name, encodeURIComponent(pathValue(op, p.name, known))]));
  const queryExample = (p: Param) => enc(example(p.schema, random, known, p.name));
  const baseQuery: Pairs = queryParams.filter((p) => inBaseline(op, p, known)).map((p) => [p.name, queryExample(p)]);
  const examples = op.body ? bodyExamples(op.body.schema, random, known) : [];
  const json = op.body?.contentType === 'application/json';
  const serialize = (value: unknown): string => (json ? JSON.stringify(pruned(value)) : joinPairs(formPairs(value)));
  const baseHeaders: Record<string, string> = op.body ? { 'content-type': op.body.contentType } : {};
  for (const p of headerParams) {
    const hint = hinted(p.name, known, 'string');
    if (typeof hint === 'string') baseHeaders[p.name.toLowerCase()] = hint;
  }
  const basePayload = examples.length > 0 ? serialize(examples[0]) : undefined;

  const add = (label: string, change: { reroutes?: boolean; segments?: Record<string, string>; query?: Pairs; headers?: Record<string, string | undefined>; payload?: string | Buffer | null; path?: string; method?: FuzzCase['method'] }) => {
    const payload = change.payload === null ? undefined : (change.payload ?? basePayload);
    const base = change.path ?? op.path;
    cases.push({
      label,
      method: change.method ?? op.method,
      url: urlOf(base, { ...segments, ...change.segments }, change.query ?? baseQuery),
      headers: Object.fromEntries(Object.entries({ ...baseHeaders, ...change.headers }).filter((e): e is [string, string] => e[1] !== undefined)),
      ...(payload !== undefined ? { payload } : {}),
      credentials: 'own',
      reroutes: change.reroutes ?? change.path !== undefined,
    });
  };

  add('baseline', {});
  if (op.method === 'GET') add('HEAD', { method: 'HEAD' });

  for (const p of pathParams) {
    for (const value of random.sample(HOSTILE_SEGMENTS, options.perField)) add(`path ${p.name}=${describe(value)}`, { segments: { [p.name]: value }, reroutes: mayReroute(value) });
  }
  for (const p of pathParams) {
    for (const name of random.sample(OTHER_NAMES[p.name] ?? [], options.perField)) add(`path ${p.name}=${describe(name)}`, { segments: { [p.name]: enc(name) } });
  }
  const concrete = urlOf(op.path, segments, []);
  for (const [name, path] of random.sample(pathTricks(concrete, random), options.pathTricks)) add(`path trick: ${name}`, { path });

  for (const p of queryParams) {
    const others = baseQuery.filter(([k]) => k !== p.name);
    for (const value of random.sample(HOSTILE_QUERY_VALUES, options.perField)) add(`query ${p.name}=${describe(value)}`, { query: [...others, [p.name, value]] });
    add(`query ${p.name} repeated`, { query: [...others, [p.name, queryExample(p)], [p.name, queryExample(p)]] });
    add(`query ${p.name}[]`, { query: [...others, [`${p.name}[]`, queryExample(p)], [`${p.name}[x]`, 'y']] });
  }
  add('query __proto__ and constructor', { query: [...baseQuery, ['__proto__', 'x'], ['constructor%5Bprototype%5D%5Bpolluted%5D', 'yes']] });
  add('query malformed escapes', { query: [...baseQuery, ['%zz', '%'], ['a', '%E0%A4%A']] });

  for (const p of headerParams) {
    for (const value of random.sample(HOSTILE_HEADER_VALUES, options.perField)) add(`header ${p.name}=${describe(value)}`, { headers: { [p.name.toLowerCase()]: value } });
  }

  for (const [name, value] of random.sample(GENERIC_HEADERS, options.perField)) add(`header ${name}=${describe(value)}`, { headers: { [name]: value } });

  if (op.body) {
    const contentType = op.body.contentType;
    for (const [branch, value] of examples.entries()) {
      const payloadFor = (changed: unknown) => serialize(changed);
      for (const path of fieldPaths(value, 4)) {
        const where = `body ${examples.length > 1 ? `#${branch} ` : ''}${path.join('.')}`;
        if (json) {
          for (const hostile of random.sample(HOSTILE_JSON, options.perField)) add(`${where}=${describe(hostile)}`, { payload: payloadFor(withField(value, path, hostile)) });
        } else if (path.length === 1) {
          const key = enc(path[0]);
          const others = formPairs(value).filter(([k]) => k !== key);
          for (const hostile of random.sample([...HOSTILE_STRINGS.map(enc), ...HOSTILE_QUERY_VALUES], options.perField)) add(`${where}=${describe(hostile)}`, { payload: joinPairs([...others, [key, hostile]]) });
          const own = formPairs(value).filter(([k]) => k === key);
          add(`${where} repeated`, { payload: joinPairs([...formPairs(value), ...own, [key, enc('other')]]) });
        }
      }
      if (json && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const text = JSON.stringify(value);
        const [firstKey] = Object.keys(value);
        if (firstKey !== undefined) add(`body ${branch} duplicate key ${firstKey}`, { payload: `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}${JSON.stringify(firstKey)}:{"dup":[1,2]}}` });
        add(`body ${branch} __proto__ and constructor keys`, { payload: `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},${text.slice(1)}` });
      }
    }
    if (json) {
      for (const text of MALFORMED_JSON) add(`body raw ${describe(text)}`, { payload: text });
      for (const whole of random.sample(HOSTILE_JSON, options.perField * 2)) add(`body whole=${describe(whole)}`, { payload: JSON.stringify(whole) });
      add('body with a 100 kB field', { payload: JSON.stringify({ ...(examples[0] as object), huge: HUGE }) });
    } else {
      for (const text of MALFORMED_FORMS) add(`form raw ${describe(text)}`, { payload: text });
      add('form with a 100 kB field', { payload: `${basePayload ?? ''}&huge=${HUGE}` });
    }
    for (const type of CONTENT_TYPES) {
      if (type === contentType) continue;
      const payload = type.startsWith('multipart/') ? MULTIPART_BODY : type === 'application/x-www-form-urlencoded' ? joinPairs(formPairs(examples[0])) : JSON.stringify(examples[0]);
      add(`content-type ${type}`, { headers: { 'content-type': type }, payload });
    }
    add('content-type with a charset', { headers: { 'content-type': `${contentType}; charset=utf-8; x=y` } });
    add('no content-type', { headers: { 'content-type': undefined } });
    add('no body', { payload: null });
  } else {
    add('unexpected JSON body', { headers: { 'content-type': 'application/json' }, payload: '{"unexpected":true}' });
    add('unexpected form body', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'unexpected=true' });
  }

  const withoutCredentials = cases.filter((_, i) => i % 3 === 0).map((c) => ({ ...c, label: `${c.label} (no credentials)`, credentials: 'none' as const }));
  const foreign = op.auth.every((a) => a === 'none' || a === 'browser') ? [] : [{ ...cases[0]!, label: 'baseline (foreign credentials)', credentials: 'foreign' as const }];
  const cookie = op.auth.includes('owner-session') ? cases.filter((_, i) => i % 4 === 1).map((c) => ({ ...c, label: `${c.label} (session cookie)`, credentials: 'cookie' as const })) : [];
  return [...cases, ...withoutCredentials, ...cookie, ...foreign];
}
