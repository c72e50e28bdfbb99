/**
 * @module wire/claims
 * Route docs of the claims interaction endpoint (UMA Grant §3.3.2), for the API reference.
 */
import type { RouteDocs } from '../http/route-docs.ts';

export const CLAIMS_DOCS: RouteDocs = {
  summary: 'Claims interaction',
  description:
    'Where a `need_info` answer\'s `redirect_user` sends the user (UMA Grant §3.3.2). Interactive claims gathering is not available yet: the page says so and never redirects, whatever the query (`client_id`, `ticket`, `claims_redirect_uri`, `state` are ignored). Clients identify the requesting party by pushing an ID token as `claim_token` instead.',
  tags: ['Browser'],
  operationId: 'claimsInteraction',
  auth: 'none',
  responses: { '501': { description: 'A page saying that claims gathering is not available yet.', contentType: 'text/html' } },
  errors: ['not_found'],
};
