/**
 * @module decision/party
 * Who asks for access (a user identified by claims, or a client acting for itself) and how a policy
 * subject names them: a username, `client:{clientId}`, `group:{name}`, `org:{id}`.
 */
import { GROUP_SUBJECT_PREFIX } from '../model/group.ts';
import { ORG_SUBJECT_PREFIX } from '../model/organization.ts';
import { CLIENT_SUBJECT_PREFIX } from '../model/policy.ts';

/** Who asks: a user identified by claims, or the client acting for itself. */
export type RequestingParty =
  | { kind: 'user'; /** User id. */ subject: string; username: string; /** `group:{name}` subjects of the user's groups. */ memberOf?: readonly string[] }
  | { kind: 'client'; /** Client id. */ subject: string; /** `org:{id}` of the organization the client acts for. */ memberOf?: readonly string[] };

/** How a policy permission names this requesting party: a username, or `client:{clientId}`. */
export function policySubjectOf(party: RequestingParty): string {
  return party.kind === 'user' ? party.username : `${CLIENT_SUBJECT_PREFIX}${party.subject}`;
}

/** Subject prefixes that never name a user by username: a client, a group, an organization. */
export const RESERVED_SUBJECT_PREFIXES: readonly string[] = [CLIENT_SUBJECT_PREFIX, GROUP_SUBJECT_PREFIX, ORG_SUBJECT_PREFIX];

/** Whether the subject names a client, group or organization (never a user by username). */
export function isPrefixedSubject(subject: string): boolean {
  return RESERVED_SUBJECT_PREFIXES.some((p) => subject.startsWith(p));
}

/**
 * Whether a policy subject names the party: a username names a user (never when it carries a
 * reserved prefix, whatever the username), `client:{id}` the client acting for itself, `group:{name}`
 * a user who is a member, `org:{id}` a client acting for that organization.
 */
export function namesParty(subject: string, party: RequestingParty): boolean {
  if (subject.startsWith(GROUP_SUBJECT_PREFIX)) return party.kind === 'user' && (party.memberOf ?? []).includes(subject);
  if (subject.startsWith(ORG_SUBJECT_PREFIX)) return party.kind === 'client' && (party.memberOf ?? []).includes(subject);
  if (subject.startsWith(CLIENT_SUBJECT_PREFIX)) return party.kind === 'client' && subject === policySubjectOf(party);
  return party.kind === 'user' && subject === party.username;
}
