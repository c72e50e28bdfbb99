/**
 * @module ticket — the permission request (UMA Fed Authz §4) and the responses built from its outcome:
 * `401` with the UMA challenge (UMA Grant §3.2.1), or `403` with the Warning header (§3.2.2).
 */
import type { UmaDiscovery } from './discovery.ts';
import { AsUnavailable, asObject, callAs } from './http.ts';
import type { PatSource } from './pat.ts';
import type { UmaDenial } from './types.ts';

/** The Warning header value of UMA Grant §3.2.2. */
export const UNREACHABLE_WARNING = '199 - "UMA Authorization Server Unreachable"';

/** A ticket is sent back in a header: only visible ASCII, bounded. */
const TICKET_SHAPE = /^[\x21-\x7e]{1,4096}$/;

/** An RFC 9110 quoted-string: backslash-escapes `"` and `\`, and drops control characters. */
export function quote(value: string): string {
  return `"${value.replace(/[\x00-\x1f\x7f]/g, '').replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * Asks the AS for a ticket for exactly this resource and these scopes, with the PAT; a PAT refused
 * with 401 is replaced once. Throws {@link AsUnavailable} when no ticket can be had.
 */
export async function requestTicket(
  discovery: UmaDiscovery,
  pat: PatSource,
  permission: { resourceId: string; scopes: string[]; request: unknown },
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<string> {
  const body = JSON.stringify({ resource_id: permission.resourceId, resource_scopes: permission.scopes });
  let refused: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = await pat({ resourceId: permission.resourceId, request: permission.request, ...(refused ? { refused } : {}) });
    const res = await callAs(fetchImpl, discovery.permission_endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      body,
    }, timeoutMs);
    if (res.status === 401 && refused === undefined) {
      refused = token;
      continue;
    }
    const ticket = asObject(res.json)?.ticket;
    if (res.status !== 201 && res.status !== 200) throw new AsUnavailable(`permission request refused: HTTP ${res.status} ${String(asObject(res.json)?.error ?? '')}`.trim());
    if (typeof ticket !== 'string' || !TICKET_SHAPE.test(ticket)) throw new AsUnavailable('permission request: no usable ticket in the answer');
    return ticket;
  }
  throw new AsUnavailable('permission request: the PAT was refused twice');
}

/** `401` + `WWW-Authenticate: UMA realm="…", as_uri="…", ticket="…"`. */
export function challenge(realm: string, issuer: string, ticket: string): UmaDenial {
  return {
    ok: false,
    status: 401,
    headers: { 'www-authenticate': `UMA realm=${quote(realm)}, as_uri=${quote(issuer)}, ticket=${quote(ticket)}` },
    body: { error: 'unauthorized', error_description: 'An RPT with the needed permission is required: trade the ticket for one at the authorization server', as_uri: issuer, ticket },
  };
}

/** `403` + `Warning: 199 - "UMA Authorization Server Unreachable"`: never a pass. */
export function unreachable(): UmaDenial {
  return {
    ok: false,
    status: 403,
    headers: { warning: UNREACHABLE_WARNING },
    body: { error: 'authorization_server_unreachable', error_description: 'The authorization server could not be reached to check or request permissions' },
  };
}
