/**
 * @module ticket — the permission request (UMA Fed Authz §4): a ticket for exactly this resource and
 * these scopes, asked for with the PAT; every way it can fail is a {@link UmaEnforcerError} naming the cause.
 */
import type { UmaDiscovery } from './discovery.ts';
import { describeAnswer, UmaEnforcerError } from './errors.ts';
import { asObject, callAs, isServerTrouble, unusable } from './http.ts';
import type { PatSource } from './pat.ts';

/** A ticket is sent back in a header: only visible ASCII, bounded. */
const TICKET_SHAPE = /^[\x21-\x7e]{1,4096}$/;

/**
 * Asks the AS for a ticket for exactly this resource and these scopes, with the PAT; a PAT refused
 * with 401 is replaced once.
 */
export async function requestTicket(
  discovery: UmaDiscovery,
  pat: PatSource,
  permission: { resourceId: string; scopes: string[]; request: unknown },
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<string> {
  const endpoint = discovery.permission_endpoint;
  const body = JSON.stringify({ resource_id: permission.resourceId, resource_scopes: permission.scopes });
  let refused: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = await pat({ resourceId: permission.resourceId, request: permission.request, ...(refused ? { refused } : {}) });
    const res = await callAs(fetchImpl, endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      body,
    }, timeoutMs);
    if (res.status === 401 && refused === undefined) {
      refused = token;
      continue;
    }
    if (res.status === 401) {
      throw new UmaEnforcerError('pat_rejected', `the permission endpoint ${endpoint} refused the PAT for resource ${JSON.stringify(permission.resourceId)}, and the fresh one too (${describeAnswer(res.status, res.json)}): the PAT must be an active uma_protection token of this issuer`);
    }
    if (res.status >= 400 && !isServerTrouble(res.status)) {
      throw new UmaEnforcerError('permission_refused', `the permission endpoint ${endpoint} refused a ticket for resource ${JSON.stringify(permission.resourceId)} with scopes ${permission.scopes.join(' ')} (${describeAnswer(res.status, res.json)}): is the resource registered, owned by the PAT's owner, with these scopes?`);
    }
    if (res.status !== 201 && res.status !== 200) throw unusable(`permission request at ${endpoint}`, res);
    const ticket = asObject(res.json)?.ticket;
    if (typeof ticket !== 'string' || !TICKET_SHAPE.test(ticket)) throw new UmaEnforcerError('as_bad_response', `permission request at ${endpoint}: no ticket fit for a header in the answer`);
    return ticket;
  }
  throw new UmaEnforcerError('pat_rejected', `the permission endpoint ${endpoint} refused the PAT twice`);
}
