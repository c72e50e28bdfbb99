/**
 * @module endpoints/admin-users
 * `/admin/realms/{realm}/users[/{id}[/password|/disable|/enable]]`: realm users for administrators (the CLI's
 * `steward user …` through the same services).
 */
import type { FastifyInstance } from 'fastify';
import { createUser, deleteUser, getUser, listUsers, setUserDisabled, setUserPassword } from '@steward/core';
import type { Deps } from '../deps.ts';
import { ADMIN_AUTH_ERRORS, adminAuth, adminRealm } from '../http/admin-auth.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { AdminUserSchema, NewPasswordSchema, NewUserSchema, readNewPassword, readNewUser } from '../wire/admin.ts';
import Type from 'typebox';

type UserParams = { Params: { realm: string; id: string } };
const PARAMS = { id: 'The user\'s id (not the username).' };
const base = { tags: ['Admin API'], auth: 'admin' } as const;

const LIST: RouteDocs = { ...base, summary: 'List users', operationId: 'adminListUsers', responses: { '200': { description: 'The realm\'s users, by username.', schema: Type.Array(AdminUserSchema) } }, errors: [...ADMIN_AUTH_ERRORS] };
const CREATE: RouteDocs = {
  ...base,
  summary: 'Add a user',
  operationId: 'adminCreateUser',
  body: { contentType: 'application/json', schema: NewUserSchema, required: true },
  responses: { '201': { description: 'Created.', schema: AdminUserSchema } },
  errors: [...ADMIN_AUTH_ERRORS, 'invalid_request', 'conflict'],
};
const GET: RouteDocs = { ...base, summary: 'Get a user', operationId: 'adminGetUser', params: PARAMS, responses: { '200': { description: 'The user.', schema: AdminUserSchema } }, errors: [...ADMIN_AUTH_ERRORS] };
const PASSWORD: RouteDocs = {
  ...base,
  summary: 'Set a user\'s password',
  description: 'Stored as an argon2id hash, like at creation. The user\'s failed sign-ins are forgotten, so a locked-out user can sign in with it at once. Sessions and tokens stay: disable the user to end them.',
  operationId: 'adminSetUserPassword',
  params: PARAMS,
  body: { contentType: 'application/json', schema: NewPasswordSchema, required: true },
  responses: { '204': { description: 'Set.' } },
  errors: [...ADMIN_AUTH_ERRORS, 'invalid_request'],
};
const DISABLE: RouteDocs = {
  ...base,
  summary: 'Disable a user',
  description: 'At once: the user can no longer sign in, their sessions end, and every token issued to them (PATs, access tokens, RPTs, refresh tokens, PCTs) is revoked.',
  operationId: 'adminDisableUser',
  params: PARAMS,
  responses: { '200': { description: 'The user, disabled.', schema: AdminUserSchema } },
  errors: [...ADMIN_AUTH_ERRORS],
};
const ENABLE: RouteDocs = { ...base, summary: 'Enable a user', description: 'Revoked tokens stay revoked.', operationId: 'adminEnableUser', params: PARAMS, responses: { '200': { description: 'The user, enabled.', schema: AdminUserSchema } }, errors: [...ADMIN_AUTH_ERRORS] };
const DELETE: RouteDocs = {
  ...base,
  summary: 'Delete a user',
  description: 'Refused (409) while the user owns resources or policies or a policy names them: disable the user instead. Their sessions, tokens, group memberships and organization admin roles go with them.',
  operationId: 'adminDeleteUser',
  params: PARAMS,
  responses: { '204': { description: 'Deleted.' } },
  errors: [...ADMIN_AUTH_ERRORS, 'conflict'],
};

export function adminUserRoutes(app: FastifyInstance, deps: Deps): void {
  const onRequest = adminAuth(deps);
  app.get<{ Params: { realm: string } }>('/admin/realms/:realm/users', { onRequest, config: { docs: LIST } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return listUsers(deps, realm.id);
  });
  app.post<{ Params: { realm: string } }>('/admin/realms/:realm/users', { onRequest, config: { docs: CREATE } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    const user = await createUser(deps, realm.id, readNewUser(request.body));
    return reply.code(201).header('location', `/admin/realms/${realm.id}/users/${user.id}`).send(user);
  });
  app.get<UserParams>('/admin/realms/:realm/users/:id', { onRequest, config: { docs: GET } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return getUser(deps, realm.id, request.params.id);
  });
  app.put<UserParams>('/admin/realms/:realm/users/:id/password', { onRequest, config: { docs: PASSWORD } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    await setUserPassword(deps, realm.id, request.params.id, readNewPassword(request.body));
    return reply.code(204).send();
  });
  app.post<UserParams>('/admin/realms/:realm/users/:id/disable', { onRequest, config: { docs: DISABLE } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return setUserDisabled(deps, realm.id, request.params.id, true);
  });
  app.post<UserParams>('/admin/realms/:realm/users/:id/enable', { onRequest, config: { docs: ENABLE } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return setUserDisabled(deps, realm.id, request.params.id, false);
  });
  app.delete<UserParams>('/admin/realms/:realm/users/:id', { onRequest, config: { docs: DELETE } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    await deleteUser(deps, realm.id, request.params.id);
    return reply.code(204).send();
  });
}
