/** @module endpoints/grants/password — `grant_type=password` (RFC 6749 §4.3), for clients allowed it. */
import { fail, issuePasswordTokens, tokenResponseBody } from '@steward/core';
import type { Grant } from './grant.ts';

export const passwordGrant: Grant = {
  grantType: 'password',
  parameters: ['username', 'password'],
  async handle({ deps, realm, client, form, request }) {
    const username = form.get('username');
    const password = form.get('password');
    if (username === undefined) throw fail('invalid_request', 'username is required');
    if (password === undefined) throw fail('invalid_request', 'password is required');
    return tokenResponseBody(await issuePasswordTokens(deps, { realm, client, username, password, scope: form.get('scope'), address: request.ip }));
  },
};
