/**
 * @module services/policy-events
 * The events of a policy write, for the resource owner's history: `policy.created|updated|deleted`,
 * then `share.granted` for each subject that gained scopes and `share.revoked` for each that lost some
 * (its RPT grants are revoked in the same transaction by services/owner-policies). And deleting a
 * resource: `resource.deleted`, the shares it ended, and the revocation of every live grant on it.
 */
import { CLIENT_SUBJECT_PREFIX, type Policy } from '../model/policy.ts';
import type { Resource } from '../model/resource.ts';
import type { StewardEvent } from '../model/event.ts';
import { difference } from '../decision/scopes.ts';
import { newEvent } from './new-event.ts';
import type { Ports } from './ports.ts';
import { publishEvents, type TransactionStores } from './publish-events.ts';

function scopesBySubject(policy: Policy | null): Map<string, string[]> {
  return new Map((policy?.permissions ?? []).map((p) => [p.subject, p.scopes]));
}

/** The requesting party a policy subject names, when it names one: a user's id, or a client id. */
async function requesterOf(stores: Pick<TransactionStores, 'users'>, realm: string, subject: string): Promise<string | undefined> {
  if (subject.startsWith(CLIENT_SUBJECT_PREFIX)) return subject.slice(CLIENT_SUBJECT_PREFIX.length);
  if (subject.includes(':')) return undefined; // a group or an organization
  return (await stores.users.findByUsername(realm, subject))?.id;
}

/**
 * The events of changing the policy on `resource` from `before` to `after` (null: none). The owner
 * of the events is the resource owner; a re-share names its sharer in `detail.sharer`.
 */
export async function policyChangeEvents(ports: Ports, stores: Pick<TransactionStores, 'users'>, input: { before: Policy | null; after: Policy | null; resource: Resource }): Promise<StewardEvent[]> {
  const { before, after, resource } = input;
  const policy = (after ?? before)!;
  const type = before === null ? 'policy.created' : after === null ? 'policy.deleted' : 'policy.updated';
  const base = { realm: resource.realm, owner: resource.owner, resourceId: resource.id, ...(resource.name ? { resourceName: resource.name } : {}) };
  const sharer: Record<string, string> = policy.owner === resource.owner ? {} : { sharer: policy.owner };
  const events = [newEvent(ports, { ...base, type, detail: { ...sharer, subjects: (after ?? before)!.permissions.map((p) => p.subject) } })];
  const old = scopesBySubject(before);
  const now = scopesBySubject(after);
  for (const subject of new Set([...old.keys(), ...now.keys()])) {
    const granted = difference(now.get(subject) ?? [], old.get(subject) ?? []);
    const revoked = difference(old.get(subject) ?? [], now.get(subject) ?? []);
    if (granted.length === 0 && revoked.length === 0) continue;
    const requester = await requesterOf(stores, resource.realm, subject);
    const party = requester === undefined ? {} : { requester };
    if (granted.length > 0) events.push(newEvent(ports, { ...base, ...party, type: 'share.granted', scopes: granted, detail: { ...sharer, subject } }));
    if (revoked.length > 0) events.push(newEvent(ports, { ...base, ...party, type: 'share.revoked', scopes: revoked, detail: { ...sharer, subject } }));
  }
  return events;
}

/** Creates the policy and publishes its events in one transaction; false (nothing written) when one exists. */
export async function createPolicyPublished(ports: Ports, policy: Policy, resource: Resource): Promise<boolean> {
  return ports.store.transaction(async (tx) => {
    if (!(await tx.policies.create(policy))) return false;
    await publishEvents(tx, await policyChangeEvents(ports, tx, { before: null, after: policy, resource }));
    return true;
  });
}

/**
 * Deletes the resource (and every policy on it), revokes every live RPT grant others hold on it, and
 * publishes `resource.deleted` and the shares that ended, in one transaction. False when absent.
 */
export async function deleteResourcePublished(ports: Ports, resource: Resource): Promise<boolean> {
  const now = ports.clock.now();
  return ports.store.transaction(async (tx) => {
    const primary = await tx.policies.get(resource.realm, resource.owner, resource.id);
    if (!(await tx.resources.delete(resource.realm, resource.owner, resource.id))) return false;
    const revoked = new Set<string>();
    for (const record of await tx.tokens.listLiveByResource(resource.realm, resource.id, now)) {
      if (record.subject === resource.owner || revoked.has(record.grantId)) continue;
      await tx.tokens.revokeGrant(resource.realm, record.grantId);
      revoked.add(record.grantId);
    }
    const events = primary ? await policyChangeEvents(ports, tx, { before: primary, after: null, resource }) : [];
    const base = { realm: resource.realm, owner: resource.owner, resourceId: resource.id, ...(resource.name ? { resourceName: resource.name } : {}) };
    await publishEvents(tx, [newEvent(ports, { ...base, type: 'resource.deleted', detail: { resourceServer: resource.resourceServer, revokedGrants: revoked.size } }), ...events.filter((e) => e.type === 'share.revoked')]);
    return true;
  });
}
