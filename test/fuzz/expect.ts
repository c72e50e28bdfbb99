/**
 * @module test/fuzz/expect
 * What every fuzz answer must be: never a 5xx (a status the route documents, such as the readiness
 * probe's 503, aside from 500 itself), never a stack trace, file path or driver message, and every
 * error in the format its route family documents: OAuth JSON `{error, error_description}` with a code
 * from the closed list (docs/errors.md) at that code's status and `Cache-Control: no-store`, CREST
 * JSON `{code, reason, message}` under `/json/`, or an HTML page for the browser pages.
 */
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import type { Reply } from '../helpers/http.ts';
import { familyForUrl, type ApiSpec, type ErrorFamily, type Operation } from './openapi-routes.ts';
import type { FuzzCase } from './cases.ts';

export const ERRORS_FILE = new URL('../../docs/errors.md', import.meta.url);

/** The closed list of error codes with their statuses, as docs/errors.md documents them. */
export function documentedErrorCodes(file: URL = ERRORS_FILE): Map<string, number> {
  const codes = new Map<string, number>();
  for (const m of readFileSync(file, 'utf8').matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)) codes.set(m[1]!, Number(m[2]));
  return codes;
}

const REPO_ROOT = new URL('../../', import.meta.url).pathname;

/** Markers of internals: stack frames, file paths, driver and engine messages. */
const LEAKS: ReadonlyArray<[string, RegExp]> = [
  ['a stack frame', /\bat (?:async )?[\w$.<>[\]]+ \((?:\/|file:|node:|<anonymous>)|\n\s+at \S/],
  ['node_modules', /node_modules/],
  ['a file URL or source path', /file:\/\/|\.(?:ts|js|mjs|cjs):\d+/],
  ['an error dump', /\b(?:Type|Range|Reference|Syntax|Aggregate)?Error: /],
  ['a framework error code', /\bFST_[A-Z_]+|\bERR_[A-Z_]{4,}/],
  ['a database message', /\bSQLITE_[A-Z_]+|\bduplicate key value\b|\bviolates \w+ constraint|\bsyntax error at or near\b|\binvalid byte sequence\b|\bunterminated quoted\b|\bno such (?:table|column)\b/i],
];

/** Why `res` is not an acceptable answer to `c` (an empty list when it is). */
export function problems(c: FuzzCase, op: Operation, res: Reply, spec: ApiSpec, codes: ReadonlyMap<string, number>): string[] {
  const found: string[] = [];
  // A request that may have reached another route may get that route's documented answer (a page's 503).
  const documented = c.reroutes ? spec.operations.flatMap((o) => o.answers) : op.statuses;
  if (res.status >= 500 && (res.status === 500 || !documented.includes(res.status))) found.push(`status ${res.status}`);
  for (const [what, pattern] of LEAKS) if (pattern.test(res.body)) found.push(`${what} in the body`);
  if (res.body.includes(REPO_ROOT)) found.push('a path of the server\'s files in the body');
  if (res.status < 400 || c.method === 'HEAD' || (c.reroutes ? documented : op.answers).includes(res.status)) return found;
  const families = new Set<ErrorFamily>([op.family]);
  if (c.reroutes || res.status === 404 || res.status === 405 || undecodable(c.url)) families.add(familyForUrl(c.url));
  const shapes = [...families].map((family) => shapeProblems(family, res, spec, codes));
  if (!shapes.some((p) => p.length === 0)) found.push(...shapes.flat());
  return found;
}

/** A path that is not percent-encoded UTF-8 matches no route: its errors follow the URL's prefix. */
function undecodable(url: string): boolean {
  try {
    decodeURIComponent(url.split('?')[0]!);
    return false;
  } catch {
    return true;
  }
}

function shapeProblems(family: ErrorFamily, res: Reply, spec: ApiSpec, codes: ReadonlyMap<string, number>): string[] {
  const type = String(res.headers['content-type'] ?? '');
  if (family === 'html') return /^text\/html\b/.test(type) ? [] : [`an HTML error page expected, got ${type || 'no content type'}`];
  const body = res.json as Record<string, unknown> | undefined;
  const out: string[] = [];
  if (!/^application\/json\b/.test(type)) out.push(`a JSON content type expected, got ${type || 'none'}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [...out, `${family} error JSON expected`];
  if (family === 'crest') {
    const keys = Object.keys(body).sort();
    if (keys.join() !== [...spec.crestErrorMembers].sort().join()) out.push(`CREST members expected, got ${keys.join()}`);
    if (body.code !== res.status) out.push(`CREST code ${String(body.code)} is not the status`);
    if (body.reason !== STATUS_CODES[res.status]) out.push(`CREST reason ${String(body.reason)}`);
    if (typeof body.message !== 'string') out.push('CREST message is not a string');
    return out;
  }
  const code = body.error;
  if (typeof code !== 'string' || !codes.has(code)) out.push(`error ${JSON.stringify(code)} is not in the closed list`);
  else if (codes.get(code) !== res.status) out.push(`error ${code} documented as ${codes.get(code)}, answered ${res.status}`);
  if (body.error_description !== undefined && typeof body.error_description !== 'string') out.push('error_description is not a string');
  const extra = Object.keys(body).filter((k) => !spec.oauthErrorMembers.includes(k));
  if (extra.length > 0) out.push(`undocumented members ${extra.join()}`);
  if (!/\bno-store\b/.test(String(res.headers['cache-control'] ?? ''))) out.push('no Cache-Control: no-store');
  return out;
}

/**
 * The answer's status when its route does not document it (413 aside, which any request may get).
 * Reported, not failed: a gap in the API reference rather than in the server.
 */
export function undocumentedStatus(c: FuzzCase, op: Operation, res: Reply): number | null {
  if (res.status < 400 || res.status === 413 || c.reroutes || c.method === 'HEAD' || op.statuses.includes(res.status)) return null;
  return res.status;
}
