/**
 * @module endpoints/access-report
 * Steward's extension of the Protection API: a resource server reports an actual access to a
 * resource it registered (a user's PAT: hers; its own PAT: any owner's), `POST /realms/{realm}/authz/protection/access`, recorded
 * in the owner's audit history as `resource.accessed`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fail, reportAccess } from '@steward/core';
import type { Deps } from '../deps.ts';
import { authenticateFirst } from '../http/authenticate-first.ts';
import { requirePat } from '../http/bearer.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { AccessReportedSchema, AccessReportSchema, parseAccessReport } from '../wire/audit.ts';
import { jsonBody } from '../wire/resource.ts';

const URL = '/realms/:realm/authz/protection/access';

const DOCS = {
  report: {
    summary: 'Report an access',
    description:
      'Records that a requesting party used a resource registered by the calling resource server, for its owner\'s audit history (`resource.accessed`): with a user\'s PAT one of hers, with the resource server\'s own PAT any it registered. Name the party by the RPT\'s `jti` (`rpt`, checked against the RPT\'s permissions) or by its `subject`. A resource of another resource server, or (with a user\'s PAT) of another owner, is `not_found`.',
    tags: ['Protection API'],
    operationId: 'reportAccess',
    auth: 'PAT',
    body: { contentType: 'application/json', schema: AccessReportSchema },
    responses: { '201': { description: 'Recorded.', schema: AccessReportedSchema } },
    errors: ['invalid_request', 'invalid_scope', 'invalid_token', 'insufficient_scope', 'not_found'],
  },
  otherMethods: {
    summary: 'Unsupported method on access reports',
    tags: ['Protection API'],
    operationId: 'accessReportOtherMethods',
    auth: 'none',
    refusesMethod: true,
    responses: {},
    errors: ['unsupported_method_type', 'not_found'],
  },
} satisfies Record<string, RouteDocs>;

type RealmRequest = FastifyRequest<{ Params: { realm: string } }>;

export function accessReportRoutes(app: FastifyInstance, deps: Deps): void {
  // The PAT is checked before the body is read (RFC 6750 §3.1).
  const caller = authenticateFirst(async (request: RealmRequest, reply) => {
    const realm = await loadRealm(deps, request.params.realm);
    return { realm, pat: await requirePat(deps, realm, request, reply) };
  });
  app.post<{ Params: { realm: string } }>(URL, { onRequest: caller.onRequest, config: { docs: DOCS.report } }, async (request: RealmRequest, reply: FastifyReply) => {
    const { realm, pat } = await caller.callerOf(request, reply);
    reply.header('cache-control', 'no-store');
    const report = parseAccessReport(jsonBody(request.headers['content-type'], request.body));
    const event = await reportAccess(deps, { realm: realm.id, owner: pat.owner, resourceServer: pat.resourceServer }, report);
    return reply.code(201).send({ _id: event.id, eventTime: event.at * 1000 });
  });

  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: URL,
    config: { docs: DOCS.otherMethods },
    handler: async (request: RealmRequest, reply) => {
      await loadRealm(deps, request.params.realm);
      reply.header('allow', 'POST');
      throw fail('unsupported_method_type', `${request.method} is not supported here; use POST`);
    },
  });
}
