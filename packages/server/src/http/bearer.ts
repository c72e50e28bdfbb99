/**
 * @module http/bearer
 * Bearer tokens on the Protection API and userinfo (RFC 6750 §3): no token → 401 with a bare
 * challenge; a bad token → 401 `invalid_token`; a token without the needed scope → 403
 * `insufficient_scope`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { fail, hasScope, verifyJwt, type ActiveToken, type Realm, ORG_SUBJECT_PREFIX, organizationPatOwner } from '@steward/core';
import type { Deps } from '../deps.ts';

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return m ? m[1]! : '';
}

/** The active token of the request, or a 401 with the right challenge. */
export async function requireBearer(deps: Deps, realm: Realm, request: FastifyRequest, reply: FastifyReply): Promise<ActiveToken> {
  const token = bearerToken(request);
  if (token === null) {
    reply.header('www-authenticate', `Bearer realm="${realm.id}"`);
    throw fail('invalid_token', 'Bearer token required');
  }
  const active = token === '' ? null : await verifyJwt(deps, realm.id, token);
  if (!active || active.record.kind !== 'access') {
    reply.header('www-authenticate', `Bearer realm="${realm.id}", error="invalid_token"`);
    throw fail('invalid_token', 'The access token is invalid, expired or revoked');
  }
  return active;
}

/** A protection API access token (PAT): an access token with scope `uma_protection`. */
export interface Pat {
  /** The resource owner: the PAT's subject. */
  owner: string;
  /** The resource server: the client the PAT was issued to. */
  resourceServer: string;
  token: ActiveToken;
}

export async function requirePat(deps: Deps, realm: Realm, request: FastifyRequest, reply: FastifyReply): Promise<Pat> {
  const active = await requireBearer(deps, realm, request, reply);
  if (!hasScope(active.record.data.scope, 'uma_protection')) {
    reply.header('www-authenticate', `Bearer realm="${realm.id}", error="insufficient_scope", scope="uma_protection"`);
    throw fail('insufficient_scope', 'The token lacks the uma_protection scope');
  }
  // Disabling or deleting the resource server or the owner stops their PATs at once, whatever the
  // token record says: both are read again on every call.
  const { subject, clientId } = active.record;
  const client = await deps.store.clients.get(realm.id, clientId);
  // An organization's PAT (services/organizations): the organization exists and still has this client.
  const owner = subject === clientId ? client : subject.startsWith(ORG_SUBJECT_PREFIX) ? await organizationPatOwner(deps, realm.id, subject, clientId) : await deps.store.users.get(realm.id, subject);
  if (!client || client.disabled || !owner || owner.disabled) {
    reply.header('www-authenticate', `Bearer realm="${realm.id}", error="invalid_token"`);
    throw fail('invalid_token', 'The access token is invalid, expired or revoked');
  }
  return { owner: subject, resourceServer: clientId, token: active };
}
