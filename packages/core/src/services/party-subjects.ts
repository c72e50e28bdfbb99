/**
 * @module services/party-subjects
 * The subjects a requesting party answers to besides its own: a user's groups (`group:{name}`), the
 * organization a client acts for (`org:{id}`). Read from the store at each grant and each revocation
 * check, so a membership change counts from then on.
 */
import type { RequestingParty } from '../decision/decide.ts';
import { orgSubject } from '../model/organization.ts';
import type { Store } from '../ports/store.ts';
import { groupSubjectsOf } from './groups.ts';

/** The stores memberships are read from: the whole Store or one transaction's. */
export type MembershipStores = Pick<Store, 'groups' | 'organizations'>;

/** The party with `memberOf` set from the store. */
export async function withMemberships(stores: MembershipStores, realm: string, party: RequestingParty): Promise<RequestingParty> {
  if (party.kind === 'user') return { ...party, memberOf: await groupSubjectsOf(stores.groups, realm, party.subject) };
  const org = await stores.organizations.ofClient(realm, party.subject);
  return { ...party, memberOf: org ? [orgSubject(org.id)] : [] };
}
