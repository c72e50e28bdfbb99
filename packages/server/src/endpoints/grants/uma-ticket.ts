/**
 * @module endpoints/grants/uma-ticket
 * The UMA grant at the token endpoint (UMA Grant §3.3.1): reads the form, runs the core's `umaGrant`,
 * renders the RPT response (§3.3.5). Refusals are thrown and rendered by http/render-error. Without a
 * `ticket`, Keycloak's ticketless form of the grant (grants/keycloak-uma.ts).
 */
import { UMA_GRANT_TYPE, umaGrant } from '@steward/core';
import { formFlag } from '../../http/form.ts';
import type { Grant } from './grant.ts';
import { KEYCLOAK_UMA_PARAMETERS, ticketlessGrant } from './keycloak-uma.ts';

export const umaTicketGrant: Grant = {
  grantType: UMA_GRANT_TYPE,
  parameters: ['ticket', 'rpt', 'pct', 'claim_token', 'claim_token_format', 'scope', ...KEYCLOAK_UMA_PARAMETERS],
  async handle(ctx) {
    const { deps, realm, client, party, form } = ctx;
    if (form.get('ticket') === undefined && (form.get('audience') !== undefined || form.all('permission').length > 0 || form.get('response_mode') !== undefined)) {
      return ticketlessGrant(ctx);
    }
    // A public client identified by its user's bearer token (Keycloak style): that user asks (`party`, resolved with the client).
    const result = await umaGrant(deps, {
      realm,
      client,
      ticket: form.get('ticket'),
      rpt: form.get('rpt'),
      pct: form.get('pct'),
      claimToken: form.get('claim_token'),
      claimTokenFormat: form.get('claim_token_format'),
      scope: form.get('scope'),
      party,
      submitRequest: formFlag(form, 'submit_request'),
    });
    // Never `scope`: per-resource scopes are opaque to the client (UMA Grant §3.3.5).
    const body: Record<string, unknown> = { access_token: result.accessToken, token_type: 'Bearer', expires_in: result.expiresIn };
    if (result.refreshToken !== undefined) body.refresh_token = result.refreshToken;
    if (result.pct !== undefined) body.pct = result.pct;
    if (result.upgraded !== undefined) body.upgraded = result.upgraded;
    return body;
  },
};
