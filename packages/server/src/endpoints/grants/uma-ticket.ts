/**
 * @module endpoints/grants/uma-ticket
 * The UMA grant at the token endpoint (UMA Grant §3.3.1): reads the form, runs the core's `umaGrant`,
 * renders the RPT response (§3.3.5). Refusals are thrown and rendered by http/render-error.
 */
import { UMA_GRANT_TYPE, umaGrant } from '@steward/core';
import type { Grant } from './grant.ts';

export const umaTicketGrant: Grant = {
  grantType: UMA_GRANT_TYPE,
  parameters: ['ticket', 'rpt', 'pct', 'claim_token', 'claim_token_format', 'scope'],
  async handle({ deps, realm, client, form }) {
    const result = await umaGrant(deps, {
      realm,
      client,
      ticket: form.get('ticket'),
      rpt: form.get('rpt'),
      pct: form.get('pct'),
      claimToken: form.get('claim_token'),
      claimTokenFormat: form.get('claim_token_format'),
      scope: form.get('scope'),
    });
    // Never `scope`: per-resource scopes are opaque to the client (UMA Grant §3.3.5).
    const body: Record<string, unknown> = { access_token: result.accessToken, token_type: 'Bearer', expires_in: result.expiresIn };
    if (result.refreshToken !== undefined) body.refresh_token = result.refreshToken;
    if (result.pct !== undefined) body.pct = result.pct;
    if (result.upgraded !== undefined) body.upgraded = result.upgraded;
    return body;
  },
};
