/**
 * @module services/submit-access-requests
 * What a refused grant does when the realm records access requests: it records (or refreshes, never
 * duplicates) a pending request per resource for the owner, unless the owner already denied the same
 * requester those scopes and has not changed her policy since; and it publishes what happened. The
 * owner answers the requests through services/answer-access-request.
 */
import { fail } from '../errors.ts';
import type { GrantedPermission } from '../model/permission.ts';
import type { Policy } from '../model/policy.ts';
import type { Realm } from '../model/realm.ts';
import type { Resource } from '../model/resource.ts';
import type { StewardEvent } from '../model/event.ts';
import { difference, union } from '../decision/scopes.ts';
import { newEvent } from './new-event.ts';
import type { Ports } from './ports.ts';
import { publishEvents } from './publish-events.ts';

/**
 * Whether a refusal records access requests: never where the realm records none; else as the client's
 * `submit_request` says. Absent, the ticketed grant records (UMA Grant §3.3.6, `request_submitted`)
 * and the ticketless grant does not: an enforcer asks on every request (docs/keycloak.md).
 */
export function submitsAccessRequests(realm: Realm, submitRequest: boolean | undefined, ticketless: boolean): boolean {
  return realm.settings.accessRequests && (submitRequest ?? !ticketless);
}

export interface AccessRequestSubmission {
  realm: string;
  /** The ticket's resource owner. */
  owner: string;
  /** The requesting party's subject (user id, or client id for a client acting for itself). */
  requester: string;
  clientId: string;
  /** The missing scopes per resource, as the decision found them. */
  requests: readonly GrantedPermission[];
  /** The resources of the ticket (for names in events). */
  resources: readonly Resource[];
  /** The policies loaded for the decision; the owner's primary ones tell when she last changed them. */
  policies: readonly Policy[];
}

/**
 * The scopes of `request` the owner has not denied this requester (on any client) since she last
 * changed her policy on the resource. A denial answered in the same second as the policy change, or
 * later, still holds.
 */
async function undenied(ports: Ports, input: AccessRequestSubmission, request: GrantedPermission): Promise<{ scopes: string[]; blocked: boolean }> {
  const denials = await ports.store.accessRequests.listDenied(input.realm, input.owner, request.resourceId, input.requester);
  const policy = input.policies.find((p) => p.id === request.resourceId && p.owner === input.owner && p.resourceOwner === undefined);
  const changedAt = policy?.updatedAt ?? -Infinity;
  const standing = denials.filter((d) => d.updatedAt >= changedAt);
  if (standing.length === 0) return { scopes: request.scopes, blocked: false };
  const denied = standing.reduce<string[]>((all, d) => union(all, d.scopes), []);
  const scopes = difference(request.scopes, denied);
  return { scopes, blocked: scopes.length === 0 };
}

/**
 * Records the pending requests and publishes `access_request.created` for each new one, in one
 * transaction. Throws `request_denied` (after publishing `grant.denied`) when the owner's denials
 * cover every request. Returns the requests recorded.
 */
export async function submitAccessRequests(ports: Ports, input: AccessRequestSubmission): Promise<GrantedPermission[]> {
  const now = ports.clock.now();
  const names = new Map(input.resources.map((r) => [r.id, r.name ?? undefined]));
  const base = (r: GrantedPermission) => {
    const name = names.get(r.resourceId);
    return { realm: input.realm, owner: input.owner, requester: input.requester, clientId: input.clientId, resourceId: r.resourceId, ...(name === undefined ? {} : { resourceName: name }) };
  };
  const open: GrantedPermission[] = [];
  const denied: StewardEvent[] = [];
  for (const r of input.requests) {
    const { scopes, blocked } = await undenied(ports, input, r);
    if (blocked) denied.push(newEvent(ports, { ...base(r), type: 'grant.denied', scopes: r.scopes, detail: { reason: 'denied_by_owner' } }));
    else open.push({ ...r, scopes });
  }
  if (open.length === 0) {
    await publishEvents(ports.store, denied);
    throw fail('request_denied', 'The resource owner denied this request');
  }
  // In one transaction: the upsert's insert-or-merge rounds never fail a statement, so they are safe in it.
  await ports.store.transaction(async (tx) => {
    const events: StewardEvent[] = [...denied];
    // In resource order, so two concurrent submissions never wait on each other's rows crosswise.
    for (const r of [...open].sort((a, b) => (a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0))) {
      const id = ports.random.uuid();
      const stored = await tx.accessRequests.upsertPending({
        realm: input.realm,
        id,
        owner: input.owner,
        resourceId: r.resourceId,
        requester: input.requester,
        clientId: input.clientId,
        scopes: r.scopes,
        status: 'pending',
        createdAt: now,
        updatedAt: now,
      });
      if (stored.id === id) events.push(newEvent(ports, { ...base(r), type: 'access_request.created', scopes: stored.scopes, requestId: stored.id }));
    }
    await publishEvents(tx, events);
  });
  return open;
}
