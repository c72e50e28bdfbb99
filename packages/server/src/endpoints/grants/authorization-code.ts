/**
 * @module endpoints/grants/authorization-code
 * `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.5, OIDC Core §3.1.3): trades a code
 * for an access token, a refresh token and, with scope `openid`, an ID token.
 */
import { fail, redeemAuthorizationCode, tokenResponseBody } from '@steward/core';
import type { Grant } from './grant.ts';

export const authorizationCodeGrant: Grant = {
  grantType: 'authorization_code',
  parameters: ['code', 'redirect_uri', 'code_verifier'],
  async handle({ deps, realm, client, form }) {
    const code = form.get('code');
    if (code === undefined) throw fail('invalid_request', 'code is required');
    const tokens = await redeemAuthorizationCode(deps, {
      realm,
      client,
      code,
      redirectUri: form.get('redirect_uri'),
      codeVerifier: form.get('code_verifier'),
    });
    return tokenResponseBody(tokens);
  },
};
