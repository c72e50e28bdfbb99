/**
 * @module records-rs/enforcement
 * UMA protection of the `/records` routes with `@steward/rs`: routes declare
 * `config: { uma: { resource, scopes } }`; a request with an RPT granting those scopes goes on with
 * `request.uma` set, anything else gets `401` + `WWW-Authenticate: UMA as_uri, ticket` (Grant §3.2),
 * the ticket asked for with the record owner's PAT.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createUmaEnforcer, umaFastify } from '@steward/rs';

/** The enforcement options: Steward, our client, and the owner's PAT for a resource. */
export interface EnforcementOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  pat: (input: { resourceId: string; request: FastifyRequest }) => string | Promise<string>;
}

/** Adds UMA enforcement to every route of `app` that declares `config.uma`. */
export async function protectRecords(app: FastifyInstance, options: EnforcementOptions): Promise<void> {
  const enforcer = createUmaEnforcer({
    issuer: options.issuer,
    realm: 'records',
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    pat: ({ resourceId, request }) => options.pat({ resourceId, request: request as FastifyRequest }),
    // Ask Steward about every RPT, uncached: an owner's revocation takes effect on the next request.
    verify: 'introspection',
    introspectionCache: { maxEntries: 0 },
  });
  await app.register(umaFastify, { enforcer });
  // Queued access reports go to Steward, and the revocation event stream stops, with the server.
  app.addHook('onClose', () => enforcer.close());
}
