/**
 * @module endpoints/access-report
 * Steward's extension of the Protection API: a resource server reports an actual access to a
 * resource it registered (a user's PAT: hers; its own PAT: any owner's), `POST /realms/{realm}/authz/protection/access`, recorded
 * in the owner's audit history as `resource.accessed`. The body is one report, or a batch (a JSON
 * array) recorded in one transaction, like the permission endpoint's array form (Fed Authz §4.1).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { fail, MAX_ACCESS_REPORTS, reportAccess, reportAccesses, type StewardEvent } from '@steward/core';
import type { Deps } from '../deps.ts';
import { authenticateFirst } from '../http/authenticate-first.ts';
import { requirePat } from '../http/bearer.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { AccessesReportedSchema, AccessReportBodySchema, AccessReportedSchema, parseAccessReport, parseAccessReports } from '../wire/audit.ts';
import { jsonBody } from '../wire/resource.ts';

const URL = '/realms/:realm/authz/protection/access';

const DOCS = {
  report: {
    summary: 'Report accesses',
    description:
      'Records that a requesting party used a resource registered by the calling resource server, for its owner\'s audit history (`resource.accessed`): with a user\'s PAT one of hers, with the resource server\'s own PAT any it registered. Name the party by the RPT\'s `jti` (`rpt`, checked against the RPT\'s permissions) or by its `subject`. A resource of another resource server, or (with a user\'s PAT) of another owner, is `not_found`. ' +
      `A batch is an array of 1 to ${MAX_ACCESS_REPORTS} reports, answered with one entry per report in their order; it is recorded whole or, when one report is refused, not at all, and the error description names the first bad one by its position (\`reports[3]: …\`).`,
    tags: ['Protection API'],
    operationId: 'reportAccess',
    auth: 'PAT',
    body: { contentType: 'application/json', schema: AccessReportBodySchema },
    responses: { '201': { description: 'Recorded: one entry for one report, an array of them for a batch.', schema: Type.Union([AccessReportedSchema, AccessesReportedSchema]) } },
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
    const body = jsonBody(request.headers['content-type'], request.body);
    const protection = { realm: realm.id, owner: pat.owner, resourceServer: pat.resourceServer };
    const reported = (event: StewardEvent) => ({ _id: event.id, eventTime: event.at * 1000 });
    if (Array.isArray(body)) return reply.code(201).send((await reportAccesses(deps, protection, parseAccessReports(body))).map(reported));
    return reply.code(201).send(reported(await reportAccess(deps, protection, parseAccessReport(body))));
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
