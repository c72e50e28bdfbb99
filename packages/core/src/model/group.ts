/**
 * @module model/group
 * A group of users of a realm. An owner shares with a group by naming `group:{name}` as a policy
 * subject; members are read at each grant, so a membership change counts from the next grant on.
 */

export interface Group {
  realm: string;
  /** Opaque, immutable id (a UUID). */
  id: string;
  /** Unique in the realm, immutable; what a policy subject names after `group:`. */
  name: string;
  /** Whether every user of the realm may share with the group (otherwise only its members may). */
  visible: boolean;
  createdAt: number;
}

/** The policy subject prefix naming a group: `group:{name}`. */
export const GROUP_SUBJECT_PREFIX = 'group:';

/**
 * Group names: lower-case letters, digits, `.`, `_` and `-`, 1–64 characters, starting with a letter or
 * digit. No `:` (a subject prefix), no `@` (an email-like user name), no upper case.
 */
export const GROUP_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The policy subject naming the group. */
export function groupSubject(name: string): string {
  return `${GROUP_SUBJECT_PREFIX}${name}`;
}
