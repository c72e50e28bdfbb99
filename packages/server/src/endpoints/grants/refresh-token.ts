/** @module endpoints/grants/refresh-token — (to be written). */
import { fail } from '@steward/core';
import type { Grant } from './grant.ts';

export const refreshTokenGrant: Grant = {
  grantType: 'refresh_token',
  parameters: [],
  async handle() {
    throw fail('unsupported_grant_type', 'Not implemented yet');
  },
};
