/**
 * @module services/groups
 * Groups of users: creating and deleting groups, adding and removing members, and the
 * lookups a grant and a policy write need: the groups of a user (`group:{name}` subjects), the members
 * of a group by (realm, group id), and whether an owner may name a group when sharing. Membership is
 * read at every grant, so a change counts from the next grant on.
 */
import { fail } from '../errors.ts';
import { GROUP_NAME_PATTERN, GROUP_SUBJECT_PREFIX, groupSubject, type Group } from '../model/group.ts';
import type { GroupStore, Store } from '../ports/store.ts';
import type { Ports } from './ports.ts';

/** Ids and names are short and free of NUL (which PostgreSQL text refuses). */
function lookupable(value: string): boolean {
  return value.length > 0 && value.length <= 256 && !value.includes('\u0000');
}

/**
 * Creates a group. The name must match {@link GROUP_NAME_PATTERN} and must not be the username of a
 * user of the realm, so that nobody reading a bare name can take the group for a person.
 */
export async function createGroup(ports: Ports, input: { realm: string; name: string; visible?: boolean }): Promise<Group> {
  const { realm, name } = input;
  if (!GROUP_NAME_PATTERN.test(name)) {
    throw fail('invalid_request', `Group name '${name.slice(0, 100)}' is not allowed: use 1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (no ':' or '@', which user names and subjects use)`);
  }
  if (await ports.store.users.findByUsername(realm, name)) {
    throw fail('invalid_request', `Group name '${name}' is the username of a user of this realm; choose a name that cannot be taken for a user`);
  }
  const group: Group = { realm, id: ports.random.uuid(), name, visible: input.visible ?? false, createdAt: ports.clock.now() };
  try {
    await ports.store.groups.create(group);
  } catch (e) {
    if ((e as { code?: string }).code === 'conflict') throw fail('conflict', `Group '${name}' already exists`);
    throw e;
  }
  return group;
}

/** The group, or `not_found`. */
export async function readGroup(ports: Ports, realm: string, id: string): Promise<Group> {
  const group = lookupable(id) ? await ports.store.groups.get(realm, id) : null;
  if (!group) throw fail('not_found', `Group ${id.slice(0, 100)} not found`);
  return group;
}

/** The groups of the realm, by name. */
export function listGroups(ports: Ports, realm: string): Promise<Group[]> {
  return ports.store.groups.list(realm);
}

/**
 * Deletes the group with its memberships; `conflict` while a policy names it as `group:{name}` (a new
 * group given the same name would otherwise hold the share).
 */
export async function deleteGroup(ports: Ports, realm: string, id: string): Promise<void> {
  await ports.store.transaction(async (tx) => {
    const group = lookupable(id) ? await tx.groups.get(realm, id) : null;
    if (!group) throw fail('not_found', `Group ${id.slice(0, 100)} not found`);
    const subject = groupSubject(group.name);
    if (await tx.policies.isSubjectNamed(realm, subject)) throw fail('conflict', `Policies share resources with ${subject}: remove them first`);
    await tx.groups.delete(realm, id);
  });
}

/** Adds a user (by id) to the group; both must exist. Idempotent. */
export async function addGroupMember(ports: Ports, input: { realm: string; groupId: string; userId: string }): Promise<void> {
  const group = await readGroup(ports, input.realm, input.groupId);
  const user = lookupable(input.userId) ? await ports.store.users.get(input.realm, input.userId) : null;
  if (!user) throw fail('not_found', `User ${input.userId.slice(0, 100)} not found`);
  if (!(await ports.store.groups.addMember(input.realm, group.id, user.id))) throw fail('not_found', `Group ${group.id} not found`);
}

/** Removes a user from the group; `not_found` when the user was not a member. */
export async function removeGroupMember(ports: Ports, input: { realm: string; groupId: string; userId: string }): Promise<void> {
  const group = await readGroup(ports, input.realm, input.groupId);
  if (!lookupable(input.userId) || !(await ports.store.groups.removeMember(input.realm, group.id, input.userId))) {
    throw fail('not_found', `User ${input.userId.slice(0, 100)} is not a member of group ${group.name}`);
  }
}

/** User ids of the group's members (by realm and group id). */
export async function groupMembers(store: Pick<Store, 'groups'>, realm: string, groupId: string): Promise<string[]> {
  return lookupable(groupId) ? store.groups.members(realm, groupId) : [];
}

/** The `group:{name}` subjects of the user's groups. */
export async function groupSubjectsOf(groups: GroupStore, realm: string, userId: string): Promise<string[]> {
  return (await groups.groupsOf(realm, userId)).map((g) => groupSubject(g.name));
}

/**
 * The group a `group:{name}` subject names, when `ownerId` may share with it: a visible group, or one
 * the owner belongs to. Null otherwise (an unknown group and a hidden one look the same).
 */
export async function shareableGroup(store: Pick<Store, 'groups'>, realm: string, ownerId: string, subject: string): Promise<Group | null> {
  const name = subject.slice(GROUP_SUBJECT_PREFIX.length);
  if (!GROUP_NAME_PATTERN.test(name)) return null;
  const group = await store.groups.findByName(realm, name);
  if (!group) return null;
  if (group.visible) return group;
  return (await store.groups.members(realm, group.id)).includes(ownerId) ? group : null;
}
