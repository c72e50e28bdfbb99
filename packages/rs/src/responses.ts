/**
 * @module responses — the answers a refused request gets: `401` with the UMA challenge (UMA Grant
 * §3.2.1), carrying RFC 6750 §3.1 `error`/`error_description` when a presented RPT was rejected;
 * `403` + Warning when no ticket could be had (UMA Grant §3.2.2); `500` when the kit is misconfigured.
 */
import { tokenDescription, type UmaEnforcerError } from './errors.ts';
import type { UmaDenial } from './types.ts';

/** The Warning header value of UMA Grant §3.2.2. */
export const UNREACHABLE_WARNING = '199 - "UMA Authorization Server Unreachable"';

/** An RFC 9110 quoted-string: backslash-escapes `"` and `\`, and drops control characters. */
export function quote(value: string): string {
  return `"${value.replace(/[\x00-\x1f\x7f]/g, '').replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * `401` + `WWW-Authenticate: UMA realm="…", as_uri="…", ticket="…"`; when a presented RPT was
 * rejected, `, error="invalid_token"|"insufficient_scope", error_description="…"` follow the ticket.
 */
export function challenge(realm: string, issuer: string, ticket: string, rejected?: UmaEnforcerError): UmaDenial {
  let header = `UMA realm=${quote(realm)}, as_uri=${quote(issuer)}, ticket=${quote(ticket)}`;
  let description = 'An RPT with the needed permission is required: trade the ticket for one at the authorization server';
  const told = rejected && tokenDescription(rejected);
  if (rejected && told) {
    header += `, error=${quote(rejected.kind)}, error_description=${quote(told)}`;
    description = `${told}: trade the ticket for a new RPT at the authorization server`;
  }
  return {
    ok: false,
    status: 401,
    headers: { 'www-authenticate': header },
    body: { error: 'unauthorized', error_description: description, as_uri: issuer, ticket },
    ...(rejected ? { reason: rejected } : {}),
  };
}

/** What each kind of failure answers: status, whether the UMA Grant §3.2.2 Warning goes with it, and the body. */
const FAILURES: Record<'misconfigured' | 'refused' | 'unreachable', { status: 403 | 500; warning: boolean; error: string; description: string }> = {
  misconfigured: { status: 500, warning: false, error: 'uma_misconfigured', description: 'The resource server cannot check permissions: its UMA configuration does not match the authorization server' },
  refused: { status: 403, warning: true, error: 'ticket_unavailable', description: 'No permission ticket could be obtained for this request' },
  unreachable: { status: 403, warning: true, error: 'authorization_server_unreachable', description: 'The authorization server could not be reached to check or request permissions' },
};

/** The answer for a failure of kind `unreachable`, `refused` or `misconfigured`; never a pass. */
export function failure(reason: UmaEnforcerError): UmaDenial {
  const f = FAILURES[reason.kind === 'misconfigured' || reason.kind === 'refused' ? reason.kind : 'unreachable'];
  return {
    ok: false,
    status: f.status,
    headers: f.warning ? { warning: UNREACHABLE_WARNING } : {},
    body: { error: f.error, error_description: f.description, code: reason.code },
    reason,
  };
}
