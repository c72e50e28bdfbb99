/**
 * @module test/fuzz/request-cases
 * Cases that change the request line and headers: each path parameter given hostile segments and
 * other real names, path tricks that may reach another route (`%2F`, `//`, dot segments, `%2e%2e`,
 * overlong UTF-8, `%00`), each query parameter given hostile values, repeated and bracketed, and each
 * documented header given hostile values, plus headers any route may meet.
 */
import { hinted, type Known } from './examples.ts';
import { describe, enc, type Pairs } from './encoding.ts';
import type { Operation, Param } from './openapi-routes.ts';
import type { Random } from './random.ts';
import type { Builder } from './cases.ts';
import { GENERIC_HEADERS, HOSTILE_HEADER_VALUES, HOSTILE_QUERY_VALUES, HOSTILE_SEGMENTS, OTHER_NAMES } from './values.ts';

/** The value of a path parameter: the real id of what the segment before it names. */
export function pathValue(op: Operation, name: string, known: Known): string {
  const segments = op.path.split('/');
  const before = segments[segments.indexOf(`{${name}}`) - 1];
  if (name === 'clientId') return op.path.startsWith('/admin/') && before === 'clients' ? known.victimClientId : known.resourceServer;
  if (name === 'userId') return known.victimUserId;
  if (name === 'file') return known.asset;
  if (name !== 'id') return String(hinted(name, known, 'string') ?? 'fuzz');
  const byCollection: Record<string, string> = {
    pendingrequests: known.accessRequestId,
    ticket: known.permissionTicketId,
    groups: known.groupId,
    webhooks: known.webhookId,
    organizations: known.organizationId,
    deliveries: known.deliveryId,
    users: known.victimUserId,
  };
  return byCollection[before ?? ''] ?? known.resourceId;
}

export function urlOf(path: string, segments: Record<string, string>, query: Pairs): string {
  const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) => segments[name] ?? 'fuzz');
  return query.length === 0 ? filled : `${filled}?${query.map(([k, v]) => `${k}=${v}`).join('&')}`;
}

/**
 * Whether the baseline carries an optional query parameter: a page's request carries all it can (it
 * is refused otherwise before anything is parsed), and a POST its action.
 */
export function inBaseline(op: Operation, p: Param, known: Known): boolean {
  if (p.required) return true;
  if (op.auth.includes('browser')) return hinted(p.name, known, 'string') !== undefined || 'const' in p.schema;
  return op.method === 'POST' && p.name === '_action';
}

/** Longer path parameters match no route (the router's `maxParamLength`). */
const ROUTABLE_LENGTH = 100;

/** Whether a raw path segment may make the path reach another route (or none): empty, dots, slashes, bad or overlong escapes, too long. */
export function mayReroute(segment: string): boolean {
  if (segment.length > ROUTABLE_LENGTH || /%(?:C0|C1|E0%80)/i.test(segment)) return true;
  try {
    const decoded = decodeURIComponent(segment);
    return decoded === '' || decoded === '.' || decoded === '..' || /[/\\;]/.test(decoded);
  } catch {
    return true;
  }
}

/** Path tricks on a concrete URL path; each keeps the route's intent but bends its encoding. */
function pathTricks(path: string, random: Random): Array<[string, string]> {
  const slashes = [...path.matchAll(/\//g)].map((m) => m.index!).filter((i) => i > 0);
  const at = slashes.length > 0 ? random.pick(slashes) : path.length;
  const [before, after] = [path.slice(0, at), path.slice(at)];
  const staticSegments = path.split('/').map((s, i) => [s, i] as const).filter(([s]) => /^[a-z_-]{3,}$/i.test(s));
  const [segment, index] = staticSegments.length > 0 ? random.pick(staticSegments) : ['', -1];
  const replaceSegment = (next: string) => path.split('/').map((s, i) => (i === index ? next : s)).join('/');
  const letter = segment.search(/[a-z]/i);
  return [
    ['double slash', `${before}/${after}`],
    ['leading double slash', `/${path}`],
    ['%2F for a slash', `${before}%2F${after.slice(1)}`],
    ['%2f for a slash', `${before}%2f${after.slice(1)}`],
    ['overlong UTF-8 slash', `${before}%C0%AF${after.slice(1)}`],
    ['backslash', `${before}%5C${after.slice(1)}`],
    ['dot segment', `${before}/.${after}`],
    ['dot-dot segment', `${before}/fuzz/..${after}`],
    ['%2e%2e segment', `${before}/fuzz/%2e%2e${after}`],
    ['overlong UTF-8 dots', `${before}/fuzz/%C0%AE%C0%AE${after}`],
    ['percent-encoded letter', letter < 0 ? path : replaceSegment(`${segment.slice(0, letter)}%${segment.charCodeAt(letter).toString(16)}${segment.slice(letter + 1)}`)],
    ['upper-case segment', replaceSegment(segment.toUpperCase())],
    ['matrix parameter', replaceSegment(`${segment};x=y`)],
    ['trailing %00', `${path}%00`],
    ['trailing slash', `${path}/`],
    ['trailing dot-dot', `${path}/..`],
  ];
}

export function pathCases(b: Builder): void {
  const { op, random, options } = b;
  for (const p of op.params.filter((p) => p.in === 'path')) {
    for (const value of random.sample(HOSTILE_SEGMENTS, options.perField)) b.add(`path ${p.name}=${describe(value)}`, { segments: { [p.name]: value }, reroutes: mayReroute(value) });
    for (const name of random.sample(OTHER_NAMES[p.name] ?? [], options.perField)) b.add(`path ${p.name}=${describe(name)}`, { segments: { [p.name]: enc(name) } });
  }
  const concrete = urlOf(op.path, b.segments, []);
  for (const [name, path] of random.sample(pathTricks(concrete, random), options.pathTricks)) b.add(`path trick: ${name}`, { path });
}

export function queryCases(b: Builder): void {
  const { op, random, options, baseQuery } = b;
  for (const p of op.params.filter((p) => p.in === 'query')) {
    const others = baseQuery.filter(([k]) => k !== p.name);
    for (const value of random.sample(HOSTILE_QUERY_VALUES, options.perField)) b.add(`query ${p.name}=${describe(value)}`, { query: [...others, [p.name, value]] });
    b.add(`query ${p.name} repeated`, { query: [...others, [p.name, b.queryExample(p)], [p.name, b.queryExample(p)]] });
    b.add(`query ${p.name}[]`, { query: [...others, [`${p.name}[]`, b.queryExample(p)], [`${p.name}[x]`, 'y']] });
  }
  b.add('query __proto__ and constructor', { query: [...baseQuery, ['__proto__', 'x'], ['constructor%5Bprototype%5D%5Bpolluted%5D', 'yes']] });
  b.add('query malformed escapes', { query: [...baseQuery, ['%zz', '%'], ['a', '%E0%A4%A']] });
}

export function headerCases(b: Builder): void {
  const { op, random, options } = b;
  for (const p of op.params.filter((p) => p.in === 'header' && p.name.toLowerCase() !== 'authorization')) {
    for (const value of random.sample(HOSTILE_HEADER_VALUES, options.perField)) b.add(`header ${p.name}=${describe(value)}`, { headers: { [p.name.toLowerCase()]: value } });
  }
  for (const [name, value] of random.sample(GENERIC_HEADERS, options.perField)) b.add(`header ${name}=${describe(value)}`, { headers: { [name]: value } });
}
