/** @module endpoints/grants/uma-ticket — (to be written). */
import { fail } from '@steward/core';
import type { Grant } from './grant.ts';

export const umaTicketGrant: Grant = {
  grantType: 'urn:ietf:params:oauth:grant-type:uma-ticket',
  parameters: [],
  async handle() {
    throw fail('unsupported_grant_type', 'Not implemented yet');
  },
};
