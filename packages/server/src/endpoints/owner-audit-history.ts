/**
 * @module endpoints/owner-audit-history
 * The owner's audit history in AM's CREST shape: `GET /json/realms/root/realms/{realm}/users/{user}/uma/auditHistory`
 * with `_queryFilter`, `_sortKeys` (`eventTime`, `-eventTime`) and CREST paging (`_pageSize`,
 * `_pagedResultsCookie`, a small `_pagedResultsOffset`, `_totalPagedResultsPolicy`).
 * Read only: every other method is refused, so no route can change an event.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { auditHistory, parseAuditFilter, parseAuditSortKeys, resolvePolicyQueryOwner } from '@steward/core';
import type { Deps } from '../deps.ts';
import { acceptApiVersionDoc } from '../http/api-version.ts';
import { refuseCrestMethods } from '../http/crest-methods.ts';
import { crestParameters, PAGING_PARAMETERS, pageParameters } from '../http/crest-query.ts';
import { pageToWire, pagingQueryDocs } from '../wire/paging.ts';
import { requireOwnerUser } from '../http/owner-session.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { AuditQueryResultSchema, auditEntryToWire } from '../wire/audit.ts';

const URL = '/json/realms/root/realms/:realm/users/:user/uma/auditHistory';
const crest = { errorStyle: 'crest' } as const;
const USER = { user: 'The owner\'s user name. The owner herself and realm administrators may read.' };

const AuditQuerySchema = Type.Object({
  _queryFilter: Type.Optional(
    Type.String({
      description:
        '`true` (the default), `false`, or terms combined with `and`: `eq` on `type` (or `eventType`), `resourceSetId`, `requestingPartyId` (a username or a client id), `clientId`, `requestId`; `eq`, `gt`, `ge`, `lt`, `le` on `eventTime` (milliseconds since the epoch, or an ISO 8601 date-time string).',
    }),
  ),
  _sortKeys: Type.Optional(Type.String({ description: '`-eventTime` (newest first, the default) or `eventTime` (oldest first). Events of the same second keep the order they happened in.' })),
  ...pagingQueryDocs(),
});

const DOCS = {
  query: {
    summary: 'Query the audit history',
    description: 'What happened to the owner\'s sharing: access requested, granted, denied, RPTs issued, policies written, requests answered, shares revoked, accesses reported by resource servers (docs/events.md). Append-only. Page with `_pagedResultsCookie`: each page is read from the (owner, time) index; filters narrow that scan.',
    tags: ['Owner API'],
    operationId: 'queryAuditHistory',
    auth: ['owner-session', 'bearer'],
    params: USER,
    query: AuditQuerySchema,
    headers: acceptApiVersionDoc(),
    responses: { '200': { description: 'The matching events.', schema: AuditQueryResultSchema } },
    errors: ['invalid_request', 'payload_too_large', 'login_required', 'forbidden', 'not_found'],
  },
} satisfies Record<string, RouteDocs>;

type AuditRequest = FastifyRequest<{ Params: { realm: string; user: string } }>;

export function ownerAuditHistoryRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(URL, { config: { ...crest, docs: DOCS.query } }, async (request: AuditRequest, reply) => {
    const realm = await loadRealm(deps, request.params.realm);
    const actor = await requireOwnerUser(deps, realm, request);
    const owner = await resolvePolicyQueryOwner(deps, { realm: realm.id, actor, username: request.params.user });
    const params = await crestParameters(request, ['_queryFilter', '_sortKeys', ...PAGING_PARAMETERS]);
    const sortKeys = params.get('_sortKeys');
    const query = {
      filter: parseAuditFilter(params.get('_queryFilter') ?? 'true'),
      sort: sortKeys === undefined ? ('desc' as const) : parseAuditSortKeys(sortKeys),
      page: pageParameters(params),
    };
    const page = await auditHistory(deps, { realm: realm.id, owner, query });
    reply.header('cache-control', 'no-store');
    return pageToWire(page, query.page, (v) => auditEntryToWire(v, owner.username));
  });

  refuseCrestMethods(app, { url: URL, name: 'the audit history', summary: 'Unsupported method on the audit history', operationId: 'auditHistoryOtherMethods', params: USER, description: 'The audit history is append-only: nothing changes or deletes an entry.' });
}
