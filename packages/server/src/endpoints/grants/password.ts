/** @module endpoints/grants/password — (to be written). */
import { fail } from '@steward/core';
import type { Grant } from './grant.ts';

export const passwordGrant: Grant = {
  grantType: 'password',
  parameters: [],
  async handle() {
    throw fail('unsupported_grant_type', 'Not implemented yet');
  },
};
