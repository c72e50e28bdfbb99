/**
 * @module endpoints/admin-groups
 * `/admin/realms/{realm}/groups[/{id}[/members[/{userId}]]]`: groups and their members for
 * administrators (the CLI's `steward group …` through the same services). An owner shares with a
 * group by naming `group:{name}` in a policy.
 */
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { addGroupMember, createGroup, deleteGroup, groupMembers, listGroups, readGroup, removeGroupMember } from '@steward/core';
import type { Deps } from '../deps.ts';
import { ADMIN_AUTH_ERRORS, adminAuth, adminRealm } from '../http/admin-auth.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { GroupSchema, groupToWire, NewGroupSchema, readNewGroup } from '../wire/scopes.ts';

type RealmParams = { Params: { realm: string } };
type GroupParams = { Params: { realm: string; id: string } };
type MemberParams = { Params: { realm: string; id: string; userId: string } };
const base = { tags: ['Admin API'], auth: 'admin' } as const;
const ID = { id: 'The group\'s id (not its name).' };
const MEMBER = { ...ID, userId: 'The user\'s id.' };

const DOCS = {
  list: { ...base, summary: 'List groups', operationId: 'adminListGroups', responses: { '200': { description: 'The realm\'s groups, by name.', schema: Type.Array(GroupSchema) } }, errors: [...ADMIN_AUTH_ERRORS] },
  create: {
    ...base,
    summary: 'Add a group',
    description: 'The name is immutable, 1–64 lower-case letters, digits, `.`, `_` or `-`, and may not be the username of a user of the realm (400 naming the problem). `visible: true` lets every user share with the group; otherwise only its members may.',
    operationId: 'adminCreateGroup',
    body: { contentType: 'application/json', schema: NewGroupSchema, required: true },
    responses: { '201': { description: 'Created.', schema: GroupSchema } },
    errors: [...ADMIN_AUTH_ERRORS, 'invalid_request', 'conflict'],
  },
  get: { ...base, summary: 'Get a group', operationId: 'adminGetGroup', params: ID, responses: { '200': { description: 'The group.', schema: GroupSchema } }, errors: [...ADMIN_AUTH_ERRORS] },
  delete: { ...base, summary: 'Delete a group', description: 'With its memberships. Refused (409) while a policy names it as `group:{name}`: a new group given the same name would otherwise hold the share.', operationId: 'adminDeleteGroup', params: ID, responses: { '204': { description: 'Deleted.' } }, errors: [...ADMIN_AUTH_ERRORS, 'conflict'] },
  members: { ...base, summary: 'List a group\'s members', operationId: 'adminListGroupMembers', params: ID, responses: { '200': { description: 'User ids, ordered.', schema: Type.Array(Type.String()) } }, errors: [...ADMIN_AUTH_ERRORS] },
  addMember: { ...base, summary: 'Add a user to a group', description: 'Idempotent. Counts from the next grant on.', operationId: 'adminAddGroupMember', params: MEMBER, responses: { '204': { description: 'Added.' } }, errors: [...ADMIN_AUTH_ERRORS] },
  removeMember: { ...base, summary: 'Remove a user from a group', description: 'Counts from the next grant on (RPTs already issued keep their permissions until they expire or the owner\'s policy changes).', operationId: 'adminRemoveGroupMember', params: MEMBER, responses: { '204': { description: 'Removed.' } }, errors: [...ADMIN_AUTH_ERRORS] },
} satisfies Record<string, RouteDocs>;

export function adminGroupRoutes(app: FastifyInstance, deps: Deps): void {
  const onRequest = adminAuth(deps);
  const GROUPS = '/admin/realms/:realm/groups';
  app.get<RealmParams>(GROUPS, { onRequest, config: { docs: DOCS.list } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return (await listGroups(deps, realm.id)).map(groupToWire);
  });
  app.post<RealmParams>(GROUPS, { onRequest, config: { docs: DOCS.create } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    const group = await createGroup(deps, { realm: realm.id, ...readNewGroup(request.body) });
    return reply.code(201).header('location', `/admin/realms/${realm.id}/groups/${group.id}`).send(groupToWire(group));
  });
  app.get<GroupParams>(`${GROUPS}/:id`, { onRequest, config: { docs: DOCS.get } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return groupToWire(await readGroup(deps, realm.id, request.params.id));
  });
  app.delete<GroupParams>(`${GROUPS}/:id`, { onRequest, config: { docs: DOCS.delete } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    await deleteGroup(deps, realm.id, request.params.id);
    return reply.code(204).send();
  });
  app.get<GroupParams>(`${GROUPS}/:id/members`, { onRequest, config: { docs: DOCS.members } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    const group = await readGroup(deps, realm.id, request.params.id);
    return groupMembers(deps.store, realm.id, group.id);
  });
  app.put<MemberParams>(`${GROUPS}/:id/members/:userId`, { onRequest, config: { docs: DOCS.addMember } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    await addGroupMember(deps, { realm: realm.id, groupId: request.params.id, userId: request.params.userId });
    return reply.code(204).send();
  });
  app.delete<MemberParams>(`${GROUPS}/:id/members/:userId`, { onRequest, config: { docs: DOCS.removeMember } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    await removeGroupMember(deps, { realm: realm.id, groupId: request.params.id, userId: request.params.userId });
    return reply.code(204).send();
  });
}
