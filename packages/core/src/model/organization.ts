/**
 * @module model/organization
 * An organization (a legal person, UMA Grant §1.2) as a resource owner and as a requesting party. Its
 * resources are owned by `org:{id}`: the PAT its resource server obtains with client_credentials has
 * that subject. Its designated administrators (users) manage its policies. Its clients act for it:
 * a policy naming `org:{id}` grants to any of them acting for itself (an RPT whose subject is the client).
 */

export interface Organization {
  realm: string;
  /** Immutable id chosen at creation; the owner id of its resources is `org:{id}`. */
  id: string;
  name: string;
  /** User ids of the administrators who manage the organization's policies. */
  admins: string[];
  /** Client ids acting for the organization (its resource servers and its requesting clients). */
  clients: string[];
  createdAt: number;
}

/** The policy subject and owner id prefix naming an organization: `org:{id}`. */
export const ORG_SUBJECT_PREFIX = 'org:';

/** Organization ids: like realm ids, lower-case letters, digits, `-` and `_`, 1–64 characters. */
export const ORG_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** The owner id and policy subject of the organization. */
export function orgSubject(id: string): string {
  return `${ORG_SUBJECT_PREFIX}${id}`;
}

/** The organization id of an `org:{id}` owner, or null for any other owner. */
export function orgIdOf(owner: string): string | null {
  return owner.startsWith(ORG_SUBJECT_PREFIX) ? owner.slice(ORG_SUBJECT_PREFIX.length) : null;
}
