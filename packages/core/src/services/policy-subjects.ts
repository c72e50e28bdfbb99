/**
 * @module services/policy-subjects
 * Policy subjects besides usernames and `client:{id}`: `group:{name}` names a group the sharing owner
 * may see (a visible group, or one the owner belongs to), `org:{id}` an organization of the realm.
 * Anything else with a reserved prefix names nothing. A `client:{id}` subject must name a confidential
 * client: a public client cannot authenticate, so a share with it would be a share with anyone who
 * claims to be it (UMA Grant §3.3.4: a client party is a client that authenticated).
 */
import { GROUP_SUBJECT_PREFIX } from '../model/group.ts';
import { ORG_ID_PATTERN, ORG_SUBJECT_PREFIX } from '../model/organization.ts';
import type { Store } from '../ports/store.ts';
import { shareableGroup } from './groups.ts';

/** Whether `owner` (a user id, or `org:{id}`) may name this group or organization subject in a policy. */
export async function prefixedSubjectExists(store: Pick<Store, 'groups' | 'organizations'>, realm: string, subject: string, owner: string): Promise<boolean> {
  if (subject.startsWith(GROUP_SUBJECT_PREFIX)) return (await shareableGroup(store, realm, owner, subject)) !== null;
  if (subject.startsWith(ORG_SUBJECT_PREFIX)) {
    const id = subject.slice(ORG_SUBJECT_PREFIX.length);
    return ORG_ID_PATTERN.test(id) && (await store.organizations.get(realm, id)) !== null;
  }
  return false;
}

/** Why a policy may not name this public client's `client:{id}` subject (every write path says the same). */
export function publicClientSubjectProblem(subject: string): string {
  return `'${subject.slice(0, 256)}' is a public client: it cannot authenticate, so it cannot be a requesting party`;
}
