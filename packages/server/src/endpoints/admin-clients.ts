/**
 * @module endpoints/admin-clients
 * `/admin/realms/{realm}/clients[/{clientId}[/disable|/enable|/rotate-secret]]`: OAuth clients for
 * administrators (the CLI's `steward client …` through the same services). A confidential client's
 * secret is in the answer that generated it only (creation, rotation).
 */
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { createClient, DEFAULT_SECRET_GRACE, deleteClient, getClient, listClients, rotateClientSecret, setClientDisabled, updateClient } from '@steward/core';
import type { Deps } from '../deps.ts';
import { ADMIN_AUTH_ERRORS, adminAuth, adminRealm } from '../http/admin-auth.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { AdminClientSchema, ClientChangesSchema, ClientCreatedSchema, NewClientSchema, readClientChanges, readNewClient, readRotation, SecretRotatedSchema, SecretRotationSchema } from '../wire/admin.ts';

type ClientParams = { Params: { realm: string; clientId: string } };
const PARAMS = { clientId: 'The client id.' };
const base = { tags: ['Admin API'], auth: 'admin' } as const;

const LIST: RouteDocs = { ...base, summary: 'List clients', operationId: 'adminListClients', responses: { '200': { description: 'The realm\'s clients, by client id.', schema: Type.Array(AdminClientSchema) } }, errors: [...ADMIN_AUTH_ERRORS] };
const CREATE: RouteDocs = {
  ...base,
  summary: 'Add a client',
  description: 'A confidential client (the default) gets a generated 256-bit secret, returned in this answer only and stored as its SHA-256.',
  operationId: 'adminCreateClient',
  body: { contentType: 'application/json', schema: NewClientSchema, required: true },
  responses: { '201': { description: 'Created, with the secret.', schema: ClientCreatedSchema, headers: { 'Cache-Control': '`no-store`' } } },
  errors: [...ADMIN_AUTH_ERRORS, 'invalid_request', 'conflict'],
};
const GET: RouteDocs = { ...base, summary: 'Get a client', operationId: 'adminGetClient', params: PARAMS, responses: { '200': { description: 'The client.', schema: AdminClientSchema } }, errors: [...ADMIN_AUTH_ERRORS] };
const UPDATE: RouteDocs = {
  ...base,
  summary: 'Change a client',
  description: 'Only the members given change; a list given replaces the whole list. The client as a whole is checked as at creation (exact redirect URIs). Tokens already issued are not touched.',
  operationId: 'adminUpdateClient',
  params: PARAMS,
  body: { contentType: 'application/json', schema: ClientChangesSchema, required: true },
  responses: { '200': { description: 'The client as it is now.', schema: AdminClientSchema } },
  errors: [...ADMIN_AUTH_ERRORS, 'invalid_request'],
};
const ROTATE: RouteDocs = {
  ...base,
  summary: 'Rotate a client secret',
  description: `Generates a new 256-bit secret, returned in this answer only and stored as its SHA-256. The replaced secret stays valid for \`graceSeconds\` (default ${DEFAULT_SECRET_GRACE}, a day) so the client's deployments can move to the new one; \`0\` stops it at once. A secret replaced by an earlier rotation stops now. Refused for a public client.`,
  operationId: 'adminRotateClientSecret',
  params: PARAMS,
  body: { contentType: 'application/json', schema: SecretRotationSchema },
  responses: { '200': { description: 'The new secret.', schema: SecretRotatedSchema, headers: { 'Cache-Control': '`no-store`' } } },
  errors: [...ADMIN_AUTH_ERRORS, 'invalid_request'],
};
const DISABLE: RouteDocs = {
  ...base,
  summary: 'Disable a client',
  description: 'At once: the client can no longer authenticate, and every token issued to it is revoked.',
  operationId: 'adminDisableClient',
  params: PARAMS,
  responses: { '200': { description: 'The client, disabled.', schema: AdminClientSchema } },
  errors: [...ADMIN_AUTH_ERRORS],
};
const ENABLE: RouteDocs = { ...base, summary: 'Enable a client', description: 'Revoked tokens stay revoked.', operationId: 'adminEnableClient', params: PARAMS, responses: { '200': { description: 'The client, enabled.', schema: AdminClientSchema } }, errors: [...ADMIN_AUTH_ERRORS] };
const DELETE: RouteDocs = {
  ...base,
  summary: 'Delete a client',
  description: 'Refused (409) while resources registered by the client exist or a policy names it (`client:{clientId}`); its tokens are revoked and it leaves its organization.',
  operationId: 'adminDeleteClient',
  params: PARAMS,
  responses: { '204': { description: 'Deleted.' } },
  errors: [...ADMIN_AUTH_ERRORS, 'conflict'],
};

export function adminClientRoutes(app: FastifyInstance, deps: Deps): void {
  const onRequest = adminAuth(deps);
  app.get<{ Params: { realm: string } }>('/admin/realms/:realm/clients', { onRequest, config: { docs: LIST } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return listClients(deps, realm.id);
  });
  app.post<{ Params: { realm: string } }>('/admin/realms/:realm/clients', { onRequest, config: { docs: CREATE } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    const created = await createClient(deps, realm.id, readNewClient(request.body));
    return reply
      .code(201)
      .header('cache-control', 'no-store')
      .header('location', `/admin/realms/${realm.id}/clients/${encodeURIComponent(created.client.clientId)}`)
      .send(created);
  });
  app.get<ClientParams>('/admin/realms/:realm/clients/:clientId', { onRequest, config: { docs: GET } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return getClient(deps, realm.id, request.params.clientId);
  });
  app.patch<ClientParams>('/admin/realms/:realm/clients/:clientId', { onRequest, config: { docs: UPDATE } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return updateClient(deps, realm.id, request.params.clientId, readClientChanges(request.body));
  });
  app.post<ClientParams>('/admin/realms/:realm/clients/:clientId/rotate-secret', { onRequest, config: { docs: ROTATE } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    const rotated = await rotateClientSecret(deps, realm.id, request.params.clientId, readRotation(request.body));
    return reply.header('cache-control', 'no-store').send(rotated);
  });
  app.post<ClientParams>('/admin/realms/:realm/clients/:clientId/disable', { onRequest, config: { docs: DISABLE } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return setClientDisabled(deps, realm.id, request.params.clientId, true);
  });
  app.post<ClientParams>('/admin/realms/:realm/clients/:clientId/enable', { onRequest, config: { docs: ENABLE } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return setClientDisabled(deps, realm.id, request.params.clientId, false);
  });
  app.delete<ClientParams>('/admin/realms/:realm/clients/:clientId', { onRequest, config: { docs: DELETE } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    await deleteClient(deps, realm.id, request.params.clientId);
    return reply.code(204).send();
  });
}
