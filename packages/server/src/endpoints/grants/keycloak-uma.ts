/**
 * @module endpoints/grants/keycloak-uma
 * Keycloak's ticketless UMA grant at the token endpoint: reads its parameters, identifies the
 * requesting party (the public client's bearer token, else `subject_token`, else a confidential
 * client itself), runs the core's `umaTicketlessGrant` and renders `[{rsid, rsname, scopes}]`, `{"result": true}` or
 * an RPT response. See docs/keycloak.md.
 */
import { clientParty, decodePushedClaims, fail, isPublicClient, parsePermissions, partyFromAccessToken, splitScope, umaTicketlessGrant, type RequestingParty, type TicketlessResponseMode } from '@steward/core';
import { formFlag, type Form } from '../../http/form.ts';
import type { GrantContext, GrantResponse } from './grant.ts';

/** The ticketless grant's single-valued parameters (`permission` may repeat). */
export const KEYCLOAK_UMA_PARAMETERS = [
  'audience',
  'subject_token',
  'subject_token_type',
  'response_mode',
  'permission_resource_format',
  'response_include_resource_name',
  'response_permissions_limit',
  'submit_request',
  'permission_resource_matching_uri',
] as const;

const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const MAX_LIMIT = 1000;

function responseMode(form: Form): TicketlessResponseMode {
  const value = form.get('response_mode');
  if (value === undefined) return 'token';
  if (value !== 'permissions' && value !== 'decision') throw fail('invalid_request', 'Invalid response_mode: use permissions or decision, or leave it out for an RPT');
  return value;
}

function limit(form: Form): number | undefined {
  const value = form.get('response_permissions_limit');
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,3}$/.test(value) || Number(value) > MAX_LIMIT) throw fail('invalid_request', `response_permissions_limit must be an integer from 1 to ${MAX_LIMIT}`);
  return Number(value);
}

/** Who asks: a public client's bearer user, else the subject token's subject, else the client (confidential only: null for a public one). */
async function partyOf(ctx: GrantContext): Promise<RequestingParty | null> {
  const { deps, realm, client, party, form } = ctx;
  const subjectToken = form.get('subject_token');
  const type = form.get('subject_token_type');
  if (type !== undefined && type !== ACCESS_TOKEN_TYPE) throw fail('invalid_request', `subject_token_type must be ${ACCESS_TOKEN_TYPE}`);
  // A public client identified by its user's bearer token (http/client-auth): that user asks.
  if (party) {
    if (subjectToken !== undefined) throw fail('invalid_request', 'Send the user\'s token once: as the bearer token or as subject_token');
    return party;
  }
  if (subjectToken !== undefined) {
    // A public client cannot vouch for a token it merely holds: it presents its user's token as bearer.
    if (isPublicClient(client)) throw fail('invalid_request', 'A public client presents the user\'s token as its bearer token, not as subject_token');
    // Only a token issued to this client or naming it in its audience (RFC 9700 §2.3).
    return (await partyFromAccessToken(deps, realm.id, subjectToken, client)).party;
  }
  return clientParty(client);
}

export async function ticketlessGrant(ctx: GrantContext): Promise<GrantResponse> {
  const { deps, realm, client, form } = ctx;
  const audience = form.get('audience');
  if (audience === undefined) throw fail('invalid_request', 'audience (the resource server\'s client id) is required without a ticket');
  const format = form.get('permission_resource_format');
  if (format !== undefined && format !== 'id' && format !== 'uri') throw fail('invalid_request', 'permission_resource_format must be id or uri');
  const matchingUri = formFlag(form, 'permission_resource_matching_uri') ?? false;
  const permissions = parsePermissions(form.all('permission'));
  const claimToken = form.get('claim_token');
  if (claimToken === undefined && form.get('claim_token_format') !== undefined) throw fail('invalid_request', 'claim_token_format without claim_token');
  if (claimToken !== undefined && isPublicClient(client)) throw fail('access_denied', 'Public clients are not allowed to send claims without a ticket');
  // Pushed claims are checked for form (Keycloak's enforcer sends them), then set aside: nothing reads or repeats them.
  if (claimToken !== undefined) decodePushedClaims(claimToken, form.get('claim_token_format'));
  const mode = responseMode(form);
  const includeResourceName = formFlag(form, 'response_include_resource_name') ?? true;
  const max = limit(form);
  const party = await partyOf(ctx);
  const result = await umaTicketlessGrant(deps, {
    realm,
    client,
    party,
    audience,
    permissions,
    scopes: splitScope(form.get('scope')),
    mode,
    includeResourceName,
    ...(max !== undefined ? { limit: max } : {}),
    submitRequest: formFlag(form, 'submit_request'),
    resourceFormat: format === 'uri' ? 'uri' : 'id',
    matchingUri,
  });
  if (result.mode === 'permissions') return result.permissions;
  if (result.mode === 'decision') return { result: true };
  return { access_token: result.accessToken, token_type: 'Bearer', expires_in: result.expiresIn, upgraded: false };
}
