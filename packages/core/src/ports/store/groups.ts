/** @module ports/store/groups — groups of users and their members. */
import type { Group } from '../../model/group.ts';

/** Groups of users, per realm; every lookup by (realm, id) except `findByName` for policy subjects. */
export interface GroupStore {
  /** Throws `conflict` when the id or the name exists in the realm. */
  create(group: Group): Promise<void>;
  get(realm: string, id: string): Promise<Group | null>;
  /** Exact, case-sensitive match: for resolving a `group:{name}` policy subject. */
  findByName(realm: string, name: string): Promise<Group | null>;
  /** Ordered by name. */
  list(realm: string): Promise<Group[]>;
  /** Deletes the group and its memberships. Returns false when absent. */
  delete(realm: string, id: string): Promise<boolean>;
  /** Adds the user to the group; idempotent. Returns false (and writes nothing) when the group is absent. */
  addMember(realm: string, groupId: string, userId: string): Promise<boolean>;
  /** Returns false when the user was not a member. */
  removeMember(realm: string, groupId: string, userId: string): Promise<boolean>;
  /** User ids of the group's members, ordered; empty for an unknown group. */
  members(realm: string, groupId: string): Promise<string[]>;
  /** The groups the user belongs to, ordered by name. Indexed by (realm, user). */
  groupsOf(realm: string, userId: string): Promise<Group[]>;
}
