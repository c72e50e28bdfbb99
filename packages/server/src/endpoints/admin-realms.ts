/**
 * @module endpoints/admin-realms
 * `/admin/realms[/{realm}[/export]]`: realms for administrators (the CLI's `steward realm …`). A new
 * realm gets its ES256 and RS256 keys; the export is the document `steward realm import` reads. A
 * realm's display name and settings can change; a realm that holds nothing (or, forced, any realm) can
 * be deleted with everything in it.
 */
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { exportRealm, importRealm, readRealmSettings, type Realm } from '@steward/core';
import type { Deps } from '../deps.ts';
import { ADMIN_AUTH_ERRORS, adminAuth, adminRealm } from '../http/admin-auth.ts';
import { queryFlag } from '../http/query.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { createRealm } from '../realms/create-realm.ts';
import { changeRealm, removeRealm } from '../realms/change-realm.ts';
import { AdminRealmSchema, NewRealmSchema, RealmChangesSchema, readNewRealm, readRealmChanges } from '../wire/admin.ts';

const base = { tags: ['Admin API'], auth: 'admin' } as const;
const RealmDocumentSchema = Type.Object(
  {
    format: Type.Literal('steward-realm'),
    version: Type.Literal(1),
    realm: AdminRealmSchema,
    users: Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'Users with their argon2id password hashes.' }),
    clients: Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'Clients with the SHA-256 of their secrets.' }),
    resources: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    policies: Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'Primary policies and re-shares.' }),
    groups: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'Groups with their members\' user ids.' })),
    organizations: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'Organizations with their admins\' user ids and their clients.' })),
    resourceServers: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'Published resource-server configurations (scopes and resource types).' })),
  },
  { $id: 'RealmDocument', additionalProperties: false, description: 'A whole realm (docs/cli.md, "Realm documents"). Signing keys are not part of it.' },
);
const ImportedSchema = Type.Object(
  { realm: Type.String(), users: Type.Integer(), clients: Type.Integer(), resources: Type.Integer(), policies: Type.Integer(), groups: Type.Integer(), organizations: Type.Integer() },
  { $id: 'RealmImported', additionalProperties: false },
);

const LIST: RouteDocs = { ...base, summary: 'List realms', operationId: 'adminListRealms', responses: { '200': { description: 'Every realm, by id.', schema: Type.Array(AdminRealmSchema) } }, errors: ['invalid_token', 'not_found'] };
const CREATE: RouteDocs = {
  ...base,
  summary: 'Create a realm',
  description: 'With its own ES256 and RS256 signing keys; settings not given take their defaults.',
  operationId: 'adminCreateRealm',
  body: { contentType: 'application/json', schema: NewRealmSchema, required: true },
  responses: { '201': { description: 'Created.', schema: AdminRealmSchema } },
  errors: ['invalid_token', 'not_found', 'invalid_request', 'conflict'],
};
const GET: RouteDocs = { ...base, summary: 'Get a realm', operationId: 'adminGetRealm', responses: { '200': { description: 'The realm.', schema: AdminRealmSchema } }, errors: [...ADMIN_AUTH_ERRORS] };
const UPDATE: RouteDocs = {
  ...base,
  summary: 'Change a realm',
  description: 'A new display name and/or some settings, each checked as at creation (docs/configuration.md, "Realm settings"); settings not given keep their values. Seen at once by this node, within a few seconds by the others.',
  operationId: 'adminUpdateRealm',
  body: { contentType: 'application/json', schema: RealmChangesSchema, required: true },
  responses: { '200': { description: 'The realm as it is now.', schema: AdminRealmSchema } },
  errors: [...ADMIN_AUTH_ERRORS, 'invalid_request'],
};
const DELETE: RouteDocs = {
  ...base,
  summary: 'Delete a realm',
  description:
    'Refused (409, naming what it holds) while the realm has users, clients (other than the account console\'s), resources, policies, groups, organizations or resource-server configurations, unless `force=true`: then everything of the realm (its keys, tokens, sessions, webhooks, deliveries and audit events too) is deleted in one transaction. The demo realm is no exception.',
  operationId: 'adminDeleteRealm',
  query: Type.Object({ force: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: '`true`: delete whatever the realm holds.' })) }),
  responses: { '204': { description: 'Deleted.' } },
  errors: [...ADMIN_AUTH_ERRORS, 'invalid_request', 'conflict'],
};
const EXPORT: RouteDocs = {
  ...base,
  summary: 'Export a realm',
  description: 'Settings, users, clients, resources, policies, groups, organizations and resource-server configurations as one document; secrets only as hashes.',
  operationId: 'adminExportRealm',
  responses: { '200': { description: 'The realm document.', schema: RealmDocumentSchema, headers: { 'Cache-Control': '`no-store`' } } },
  errors: [...ADMIN_AUTH_ERRORS],
};
const IMPORT: RouteDocs = {
  ...base,
  summary: 'Import a realm',
  description: 'Creates the realm of the document with new signing keys. The whole document is checked first (unknown members, dangling references, plain passwords are refused) and written in one transaction.',
  operationId: 'adminImportRealm',
  body: { contentType: 'application/json', schema: RealmDocumentSchema, required: true },
  responses: { '201': { description: 'Imported: what was written, counted.', schema: ImportedSchema } },
  errors: ['invalid_token', 'not_found', 'invalid_request', 'conflict'],
};

function view(realm: Realm) {
  return { id: realm.id, displayName: realm.displayName, settings: realm.settings, createdAt: realm.createdAt };
}

export function adminRealmRoutes(app: FastifyInstance, deps: Deps): void {
  const onRequest = adminAuth(deps);
  app.get('/admin/realms', { onRequest, config: { docs: LIST } }, async () => (await deps.store.realms.list()).map(view));
  app.post('/admin/realms', { onRequest, config: { docs: CREATE } }, async (request, reply) => {
    const input = readNewRealm(request.body);
    const realm = await createRealm(deps, { ...input, ...(input.settings ? { settings: readRealmSettings(input.settings) } : {}) });
    return reply.code(201).header('location', `/admin/realms/${realm.id}`).send(view(realm));
  });
  app.post('/admin/realms/import', { onRequest, config: { docs: IMPORT } }, async (request, reply) => {
    const result = await importRealm(deps, request.body);
    return reply.code(201).send(result);
  });
  app.get<{ Params: { realm: string } }>('/admin/realms/:realm', { onRequest, config: { docs: GET } }, async (request) => view(await adminRealm(deps, request.params.realm)));
  app.patch<{ Params: { realm: string } }>('/admin/realms/:realm', { onRequest, config: { docs: UPDATE } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return view(await changeRealm(deps, realm.id, readRealmChanges(request.body)));
  });
  app.delete<{ Params: { realm: string }; Querystring: Record<string, unknown> }>('/admin/realms/:realm', { onRequest, config: { docs: DELETE } }, async (request, reply) => {
    const force = queryFlag(request.query, 'force') ?? false;
    const realm = await adminRealm(deps, request.params.realm);
    await removeRealm(deps, realm.id, force);
    return reply.code(204).send();
  });
  app.get<{ Params: { realm: string } }>('/admin/realms/:realm/export', { onRequest, config: { docs: EXPORT } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    reply.header('cache-control', 'no-store');
    return exportRealm(deps, realm.id);
  });
}

