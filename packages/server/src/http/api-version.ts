/**
 * @module http/api-version
 * CREST API versions on the owner APIs (`/json/…`): `Accept-API-Version: resource=1.0, protocol=1.0`
 * is checked once, in an `onRequest` hook, and the resource version that serves the request is echoed
 * in `Content-API-Version`. A malformed header or a version no route offers is a 400 (CREST body).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fail } from '@steward/core';

/** A `major.minor` version. */
export interface ApiVersion {
  major: number;
  minor: number;
}

/** What a request asks for; an absent part accepts any version. */
export interface AcceptApiVersion {
  protocol?: ApiVersion;
  resource?: ApiVersion;
}

/** CREST protocol versions Steward speaks (its `_queryFilter`, `_action`, `If-Match` conventions). */
export const PROTOCOL_VERSIONS = ['1.0', '2.0', '2.1'] as const;

/**
 * Resource versions each owner route answers in, by the route's last path segment (its shape is the
 * same in each; these are the versions AM clients send for it). Other `/json/` routes answer 1.0.
 */
export const RESOURCE_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  authenticate: ['2.0', '2.1'],
  sessions: ['1.0', '2.0', '3.1'],
};
const DEFAULT_RESOURCE_VERSIONS = ['1.0'] as const;

/** The `Accept-API-Version` entry of a route's docs (`headers`), for the route whose last segment is `segment`. */
export function acceptApiVersionDoc(segment = ''): { 'Accept-API-Version': { description: string } } {
  const offered = (RESOURCE_VERSIONS[segment] ?? DEFAULT_RESOURCE_VERSIONS).map((v) => `\`resource=${v}\``).join(' or ');
  return {
    'Accept-API-Version': {
      description: `CREST versions: ${offered} (a lower minor of the same major is served by the newest), optionally with \`protocol=1.0\` or \`2.x\`; the resource version that answers is echoed in \`Content-API-Version\`. Another version, or a malformed header, is \`invalid_request\`.`,
    },
  };
}

function malformed(): Error {
  return fail('invalid_request', "Malformed Accept-API-Version header; expected for example 'resource=1.0, protocol=1.0'");
}

function parseVersion(text: string): ApiVersion | null {
  const m = /^(\d{1,4})(?:\.(\d{1,4}))?$/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2] ?? 0) } : null;
}

export function formatVersion(v: ApiVersion): string {
  return `${v.major}.${v.minor}`;
}

/** Parses an `Accept-API-Version` value (`resource=2.0, protocol=1.0`, either part optional, any order). */
export function parseAcceptApiVersion(value: string): AcceptApiVersion {
  const accepted: AcceptApiVersion = {};
  for (const part of value.split(',')) {
    const m = /^\s*(protocol|resource)\s*=\s*(\S+?)\s*$/i.exec(part);
    if (!m) throw malformed();
    const name = m[1]!.toLowerCase() as keyof AcceptApiVersion;
    const version = parseVersion(m[2]!);
    if (!version || accepted[name]) throw malformed();
    accepted[name] = version;
  }
  return accepted;
}

/**
 * The offered version that serves a request for `wanted`: CREST's rule, the newest offered version of
 * the same major whose minor is at least the one asked for; with nothing asked, the newest offered.
 * Null when none fits.
 */
export function matchVersion(offered: readonly string[], wanted: ApiVersion | undefined): ApiVersion | null {
  const versions = offered.map((v) => parseVersion(v)!).sort((a, b) => b.major - a.major || b.minor - a.minor);
  if (!wanted) return versions[0] ?? null;
  return versions.find((v) => v.major === wanted.major && v.minor >= wanted.minor) ?? null;
}

/** The resource versions the route of `url` (a Fastify route pattern) offers. */
export function resourceVersionsOf(url: string): readonly string[] {
  const last = url.split('/').at(-1) ?? '';
  return RESOURCE_VERSIONS[last] ?? DEFAULT_RESOURCE_VERSIONS;
}

/**
 * Checks the request's `Accept-API-Version` against what its route offers and returns the resource
 * version to echo. Throws `invalid_request` for a malformed header or an unsupported version.
 */
export function negotiateApiVersion(header: string | string[] | undefined, offered: readonly string[]): ApiVersion {
  if (Array.isArray(header)) throw fail('invalid_request', 'Send one Accept-API-Version header');
  const accepted = header === undefined ? {} : parseAcceptApiVersion(header);
  if (accepted.protocol && !matchVersion(PROTOCOL_VERSIONS, accepted.protocol)) {
    throw fail('invalid_request', `Unsupported protocol version ${formatVersion(accepted.protocol)}; supported: ${PROTOCOL_VERSIONS.join(', ')}`);
  }
  const resource = matchVersion(offered, accepted.resource);
  if (!resource) throw fail('invalid_request', `Unsupported resource version ${formatVersion(accepted.resource!)} for this endpoint; supported: ${offered.join(', ')}`);
  return resource;
}

/**
 * Registers the one `onRequest` hook that applies API versions to every `/json/` route (call it on the
 * root instance). Requests that match no route are left to the not-found answer.
 */
export function apiVersionHook(app: FastifyInstance): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.url;
    if (route === undefined || !route.startsWith('/json/')) return;
    const resource = negotiateApiVersion(request.headers['accept-api-version'], resourceVersionsOf(route));
    reply.header('content-api-version', `resource=${formatVersion(resource)}`);
  });
}
