/** @module endpoints/grants/refresh-token — `grant_type=refresh_token` (RFC 6749 §6; UMA Grant §3.6 for RPTs), with rotation. */
import { fail, redeemRefreshToken, tokenResponseBody } from '@steward/core';
import type { Grant } from './grant.ts';

export const refreshTokenGrant: Grant = {
  grantType: 'refresh_token',
  parameters: ['refresh_token'],
  async handle({ deps, realm, client, form }) {
    const refreshToken = form.get('refresh_token');
    if (refreshToken === undefined) throw fail('invalid_request', 'refresh_token is required');
    return tokenResponseBody(await redeemRefreshToken(deps, { realm, client, refreshToken, scope: form.get('scope') }));
  },
};
