/** @module endpoints/grants/authorization-code — (to be written). */
import { fail } from '@steward/core';
import type { Grant } from './grant.ts';

export const authorizationCodeGrant: Grant = {
  grantType: 'authorization_code',
  parameters: [],
  async handle() {
    throw fail('unsupported_grant_type', 'Not implemented yet');
  },
};
