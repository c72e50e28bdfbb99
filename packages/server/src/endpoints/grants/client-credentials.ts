/** @module endpoints/grants/client-credentials — `grant_type=client_credentials` (RFC 6749 §4.4): a client's own token, e.g. a PAT. */
import { issueClientCredentialsToken, tokenResponseBody } from '@steward/core';
import type { Grant } from './grant.ts';

export const clientCredentialsGrant: Grant = {
  grantType: 'client_credentials',
  parameters: [],
  async handle({ deps, realm, client, form }) {
    return tokenResponseBody(await issueClientCredentialsToken(deps, { realm, client, scope: form.get('scope') }));
  },
};
