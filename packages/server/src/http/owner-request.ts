/**
 * @module http/owner-request
 * What the owner API routes (`/json/…/users/{user}/…`) share: resolving whose policies a request
 * acts on, the CREST `If-Match` revision, and the JSON body rule (other media types are 415).
 */
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { fail, resolvePolicyOwner, type PolicyAction, type User } from '@steward/core';
import type { Deps } from '../deps.ts';
import { requireOwnerUser } from './owner-session.ts';
import { loadRealm } from './realm.ts';

type UserRequest = FastifyRequest<{ Params: { realm: string; user: string } }>;

/**
 * The `onRequest` hook of an owner write: the caller is identified before the body is read, so no
 * credential, or a bad one, is 401 whatever the body (empty, malformed, of another type or charset,
 * too large), as RFC 6750 §3.1 has it for bearer tokens. `ownerOf` then finds her without asking again.
 */
export function ownerSessionFirst(deps: Deps): onRequestAsyncHookHandler {
  return async (request) => {
    const realm = await loadRealm(deps, (request as UserRequest).params.realm);
    await requireOwnerUser(deps, realm, request);
  };
}

/** The realm and the owner whose policies the signed-in user acts on (`action` decides who may). */
export async function ownerOf(deps: Deps, request: UserRequest, action: PolicyAction, policyId: string): Promise<{ realm: string; owner: User }> {
  const realm = await loadRealm(deps, request.params.realm);
  const actor = await requireOwnerUser(deps, realm, request);
  const owner = await resolvePolicyOwner(deps, { realm: realm.id, actor, username: request.params.user, action, policyId });
  return { realm: realm.id, owner };
}

/** The revision an `If-Match` names (quoted or not, weak or strong); null for `*` or no header. */
export function ifMatchRevision(value: string | undefined): string | null {
  if (value === undefined || value === '*') return null;
  const quoted = /^(?:W\/)?"([^"]*)"$/.exec(value);
  const rev = quoted ? quoted[1]! : value;
  if (rev === '' || rev.length > 128) throw fail('invalid_request', 'If-Match must be * or a policy revision.');
  return rev;
}

/** One header's value, trimmed; undefined when absent or repeated. */
export function singleHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value.trim() : undefined;
}

/** The JSON body of a write: other media types are 415, a missing body 400. */
export function ownerJsonBody(request: FastifyRequest): unknown {
  const type = request.headers['content-type'];
  if (type === undefined && request.body === undefined) throw fail('invalid_request', 'A JSON body is required.');
  const mime = (type ?? '').split(';')[0]!.trim().toLowerCase();
  if (mime !== 'application/json') throw fail('unsupported_media_type', 'Content-Type must be application/json.');
  return request.body;
}
