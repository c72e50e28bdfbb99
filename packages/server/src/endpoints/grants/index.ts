/** @module endpoints/grants — the registry of grant types the token endpoint dispatches to. */
import type { Grant } from './grant.ts';
import { authorizationCodeGrant } from './authorization-code.ts';
import { clientCredentialsGrant } from './client-credentials.ts';
import { passwordGrant } from './password.ts';
import { refreshTokenGrant } from './refresh-token.ts';
import { umaTicketGrant } from './uma-ticket.ts';

export const GRANTS: ReadonlyMap<string, Grant> = new Map(
  [authorizationCodeGrant, clientCredentialsGrant, passwordGrant, refreshTokenGrant, umaTicketGrant].map((g) => [g.grantType, g]),
);
