/**
 * @module http/request-path
 * A path has one spelling. The router decodes percent-encoded unreserved characters (`/%61dmin` is
 * `/admin`, RFC 3986 §6.2.2.2) and takes dot segments as names, while a proxy or filter in front may
 * match the path as written, or resolve `..` itself (§5.2.4). Rather than serve a second spelling of a
 * route that such a rule was written for, a path holding an encoded unreserved character
 * (ALPHA, DIGIT, `-`, `.`, `_`, `~`) or a `.`/`..` segment is refused (400) before any route runs.
 * Other escapes (a space, a non-ASCII letter, `%2F` in a user name) are routed as before; the query
 * string is not concerned.
 */
import type { FastifyInstance } from 'fastify';
import { fail } from '@steward/core';

function unreserved(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2e || code === 0x5f || code === 0x7e;
}

/** Why the path of `url` has a second spelling, or null when it has one only. */
export function pathProblem(url: string): string | null {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  for (let i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
    const code = Number.parseInt(path.slice(i + 1, i + 3), 16);
    if (path.length >= i + 3 && /^[0-9A-Fa-f]{2}$/.test(path.slice(i + 1, i + 3)) && unreserved(code)) {
      return 'The path percent-encodes a character that needs no encoding';
    }
  }
  // A dot segment starts after a `/`: most paths are spared the split (every request passes here).
  if (path.includes('/.')) for (const segment of path.split('/')) if (segment === '.' || segment === '..') return 'The path holds a dot segment';
  return null;
}

/** Registers the check on every request, matched or not (call it before the routes). */
export function requestPathHook(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const problem = pathProblem(request.url);
    done(problem === null ? undefined : fail('invalid_request', `Malformed request URL: ${problem}`));
  });
}
