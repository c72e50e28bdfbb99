/**
 * @module endpoints/admin-organizations
 * `/admin/realms/{realm}/organizations[/{id}[/admins/{userId} | /clients/{clientId}]]`: organizations,
 * their administrators (who manage the organization's policies under `org:{id}`) and their clients
 * (whose client_credentials PATs act for `org:{id}`, and who are the organization as a requesting party).
 */
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { addOrganizationAdmin, addOrganizationClient, createOrganization, deleteOrganization, listOrganizations, readOrganization, removeOrganizationAdmin, removeOrganizationClient } from '@steward/core';
import type { Deps } from '../deps.ts';
import { ADMIN_AUTH_ERRORS, adminAuth, adminRealm } from '../http/admin-auth.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { NewOrganizationSchema, OrganizationSchema, organizationToWire, readNewOrganization } from '../wire/scopes.ts';

type RealmParams = { Params: { realm: string } };
type OrgParams = { Params: { realm: string; id: string } };
type AdminParams = { Params: { realm: string; id: string; userId: string } };
type ClientParams = { Params: { realm: string; id: string; clientId: string } };
const base = { tags: ['Admin API'], auth: 'admin' } as const;
const ID = { id: 'The organization id.' };

const DOCS = {
  list: { ...base, summary: 'List organizations', operationId: 'adminListOrganizations', responses: { '200': { description: 'By id.', schema: Type.Array(OrganizationSchema) } }, errors: [...ADMIN_AUTH_ERRORS] },
  create: {
    ...base,
    summary: 'Add an organization',
    description: 'With its administrators (user ids) and clients (client ids), which must exist. A client acts for one organization at most (409).',
    operationId: 'adminCreateOrganization',
    body: { contentType: 'application/json', schema: NewOrganizationSchema, required: true },
    responses: { '201': { description: 'Created.', schema: OrganizationSchema } },
    errors: [...ADMIN_AUTH_ERRORS, 'invalid_request', 'conflict'],
  },
  get: { ...base, summary: 'Get an organization', operationId: 'adminGetOrganization', params: ID, responses: { '200': { description: 'The organization.', schema: OrganizationSchema } }, errors: [...ADMIN_AUTH_ERRORS] },
  delete: { ...base, summary: 'Delete an organization', description: 'Its clients then act for themselves again. Refused (409) while it owns resources or a policy names it as `org:{id}`: a new organization given the same id would otherwise own them, or hold the share.', operationId: 'adminDeleteOrganization', params: ID, responses: { '204': { description: 'Deleted.' } }, errors: [...ADMIN_AUTH_ERRORS, 'conflict'] },
  addAdmin: { ...base, summary: 'Make a user an administrator of an organization', operationId: 'adminAddOrganizationAdmin', params: { ...ID, userId: 'The user\'s id.' }, responses: { '204': { description: 'Added (idempotent).' } }, errors: [...ADMIN_AUTH_ERRORS] },
  removeAdmin: { ...base, summary: 'Remove an administrator of an organization', operationId: 'adminRemoveOrganizationAdmin', params: { ...ID, userId: 'The user\'s id.' }, responses: { '204': { description: 'Removed.' } }, errors: [...ADMIN_AUTH_ERRORS] },
  addClient: { ...base, summary: 'Let a client act for an organization', description: 'Its next client_credentials tokens have the subject `org:{id}`. 409 when it acts for another organization.', operationId: 'adminAddOrganizationClient', params: { ...ID, clientId: 'The client id.' }, responses: { '204': { description: 'Added (idempotent).' } }, errors: [...ADMIN_AUTH_ERRORS, 'conflict'] },
  removeClient: { ...base, summary: 'Stop a client acting for an organization', operationId: 'adminRemoveOrganizationClient', params: { ...ID, clientId: 'The client id.' }, responses: { '204': { description: 'Removed.' } }, errors: [...ADMIN_AUTH_ERRORS] },
} satisfies Record<string, RouteDocs>;

export function adminOrganizationRoutes(app: FastifyInstance, deps: Deps): void {
  const onRequest = adminAuth(deps);
  const ORGS = '/admin/realms/:realm/organizations';
  app.get<RealmParams>(ORGS, { onRequest, config: { docs: DOCS.list } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return (await listOrganizations(deps, realm.id)).map(organizationToWire);
  });
  app.post<RealmParams>(ORGS, { onRequest, config: { docs: DOCS.create } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    const org = await createOrganization(deps, { realm: realm.id, ...readNewOrganization(request.body) });
    return reply.code(201).header('location', `/admin/realms/${realm.id}/organizations/${org.id}`).send(organizationToWire(org));
  });
  app.get<OrgParams>(`${ORGS}/:id`, { onRequest, config: { docs: DOCS.get } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return organizationToWire(await readOrganization(deps, realm.id, request.params.id));
  });
  app.delete<OrgParams>(`${ORGS}/:id`, { onRequest, config: { docs: DOCS.delete } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    await deleteOrganization(deps, realm.id, request.params.id);
    return reply.code(204).send();
  });
  app.put<AdminParams>(`${ORGS}/:id/admins/:userId`, { onRequest, config: { docs: DOCS.addAdmin } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    await addOrganizationAdmin(deps, { realm: realm.id, id: request.params.id, userId: request.params.userId });
    return reply.code(204).send();
  });
  app.delete<AdminParams>(`${ORGS}/:id/admins/:userId`, { onRequest, config: { docs: DOCS.removeAdmin } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    await removeOrganizationAdmin(deps, { realm: realm.id, id: request.params.id, userId: request.params.userId });
    return reply.code(204).send();
  });
  app.put<ClientParams>(`${ORGS}/:id/clients/:clientId`, { onRequest, config: { docs: DOCS.addClient } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    await addOrganizationClient(deps, { realm: realm.id, id: request.params.id, clientId: request.params.clientId });
    return reply.code(204).send();
  });
  app.delete<ClientParams>(`${ORGS}/:id/clients/:clientId`, { onRequest, config: { docs: DOCS.removeClient } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    await removeOrganizationClient(deps, { realm: realm.id, id: request.params.id, clientId: request.params.clientId });
    return reply.code(204).send();
  });
}
