/** @module endpoints/grants/client-credentials — (to be written). */
import { fail } from '@steward/core';
import type { Grant } from './grant.ts';

export const clientCredentialsGrant: Grant = {
  grantType: 'client_credentials',
  parameters: [],
  async handle() {
    throw fail('unsupported_grant_type', 'Not implemented yet');
  },
};
