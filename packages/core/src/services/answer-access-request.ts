/**
 * @module services/answer-access-request
 * The owner answers a pending access request (AM's `_action=approve|deny` on pendingrequests):
 * approving adds the approved scopes for the requesting party to her policy on the resource (creating
 * the policy when absent), so the party's client gets them at its next poll of the token endpoint;
 * denying makes the same ask answer `request_denied` until she changes her policy. She may withdraw a
 * denial (`reopen`): the request is pending again. Each answer and its events commit together.
 */
import { fail, isStewardError } from '../errors.ts';
import type { AccessRequest } from '../model/access-request.ts';
import { isPublicClient } from '../model/client.ts';
import type { StewardEvent } from '../model/event.ts';
import { CLIENT_SUBJECT_PREFIX, type Policy, type PolicyPermission } from '../model/policy.ts';
import type { Resource } from '../model/resource.ts';
import type { User } from '../model/user.ts';
import type { SortKey } from '../ports/store/pages.ts';
import { difference, distinct, union } from '../decision/scopes.ts';
import { newEvent } from './new-event.ts';
import { publicClientSubjectProblem } from './policy-subjects.ts';
import type { Ports } from './ports.ts';
import { publishEvents, type TransactionStores } from './publish-events.ts';

/** Rounds of read-modify-write on the policy before giving up (each lost round: a concurrent write won). */
const MAX_ROUNDS = 5;

function lookupable(value: string): boolean {
  return value.length <= 256 && !value.includes('\u0000');
}

export function requestNotFound(id: string): Error {
  return fail('not_found', `Pending request not found, ${id.slice(0, 200)}`);
}

/** The owner's request, or 404 (another owner's request is indistinguishable from a missing one). */
async function load(stores: TransactionStores, realm: string, owner: User, id: string): Promise<AccessRequest> {
  const request = lookupable(id) ? await stores.accessRequests.get(realm, owner.id, id) : null;
  if (!request) throw requestNotFound(id);
  return request;
}

function alreadyAnswered(request: AccessRequest): Error {
  return fail('conflict', `Request ${request.id} is already ${request.status}.`);
}

/** How the owner's policy names the requesting party: a username, or `client:{clientId}` (never a public client's). */
async function policySubject(stores: TransactionStores, request: AccessRequest): Promise<string> {
  const user = await stores.users.get(request.realm, request.requester);
  if (user) return user.username;
  const client = await stores.clients.get(request.realm, request.requester);
  if (client && isPublicClient(client)) throw fail('invalid_request', `Invalid UMA policy permission. ${publicClientSubjectProblem(`${CLIENT_SUBJECT_PREFIX}${client.clientId}`)}.`);
  if (request.requester === request.clientId || client) return `${CLIENT_SUBJECT_PREFIX}${request.requester}`;
  throw fail('conflict', `The requesting party of request ${request.id} no longer exists; deny the request instead.`);
}

/** The permissions with `scopes` added for `subject` (its conditions, if any, kept). */
function withScopes(permissions: readonly PolicyPermission[], subject: string, scopes: string[]): PolicyPermission[] {
  const found = permissions.some((p) => p.subject === subject);
  if (!found) return [...permissions, { subject, scopes }];
  return permissions.map((p) => (p.subject === subject ? { ...p, scopes: union(p.scopes, scopes) } : p));
}

/** Adds the scopes to the owner's primary policy on the resource; returns the event type of the write. */
async function grantInPolicy(ports: Ports, tx: TransactionStores, owner: User, resource: Resource, subject: string, scopes: string[]): Promise<'policy.created' | 'policy.updated'> {
  const now = ports.clock.now();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const existing = await tx.policies.get(resource.realm, owner.id, resource.id);
    if (!existing) {
      const policy: Policy = { realm: resource.realm, id: resource.id, owner: owner.id, rev: ports.random.uuid(), permissions: [{ subject, scopes }], createdAt: now, updatedAt: now };
      if (await tx.policies.create(policy)) return 'policy.created';
      continue;
    }
    const updated: Policy = { ...existing, rev: ports.random.uuid(), permissions: withScopes(existing.permissions, subject, scopes), updatedAt: now };
    if ((await tx.policies.update(updated, existing.rev)) === 'updated') return 'policy.updated';
  }
  throw fail('conflict', 'The policy changed meanwhile; try again.');
}

function requestEvent(ports: Ports, request: AccessRequest, resource: Resource | null, fields: Pick<StewardEvent, 'type'> & Partial<StewardEvent>): StewardEvent {
  const name = resource?.name;
  return newEvent(ports, {
    realm: request.realm,
    owner: request.owner,
    requester: request.requester,
    clientId: request.clientId,
    resourceId: request.resourceId,
    ...(name ? { resourceName: name } : {}),
    requestId: request.id,
    scopes: request.scopes,
    ...fields,
  });
}

/**
 * Approves the owner's pending request, with all its scopes or the given subset. 404 when not hers,
 * 409 when already answered (or its resource or party is gone), 400 naming scopes it did not ask for.
 */
export async function approveAccessRequest(ports: Ports, input: { realm: string; owner: User; id: string; scopes?: string[] }): Promise<AccessRequest> {
  const { realm, owner, id } = input;
  if (input.scopes !== undefined && input.scopes.length === 0) throw fail('invalid_request', 'scopes must name at least one requested scope (or be left out to approve them all).');
  return ports.store.transaction(async (tx) => {
    const request = await load(tx, realm, owner, id);
    if (request.status !== 'pending') throw alreadyAnswered(request);
    const scopes = input.scopes === undefined ? request.scopes : distinct(input.scopes);
    const extra = difference(scopes, request.scopes);
    if (extra.length > 0) throw fail('invalid_request', `Scopes not requested: ${extra.map((s) => s.slice(0, 64)).join(', ')}.`);
    const resource = await tx.resources.get(realm, owner.id, request.resourceId);
    if (!resource) throw fail('conflict', `The resource of request ${request.id} no longer exists; deny the request instead.`);
    const gone = difference(scopes, resource.scopes);
    if (gone.length > 0) throw fail('invalid_request', `Scopes no longer offered by the resource: ${gone.join(', ')}.`);
    const subject = await policySubject(tx, request);
    const now = ports.clock.now();
    // The answer first: of concurrent answers one wins, and the others roll back their policy write.
    if (!(await tx.accessRequests.answer(realm, owner.id, request.id, 'approved', now, scopes))) throw alreadyAnswered({ ...request, status: 'approved' });
    const policyEvent = await grantInPolicy(ports, tx, owner, resource, subject, scopes);
    await publishEvents(tx, [
      requestEvent(ports, request, resource, { type: 'access_request.approved', scopes, detail: { requested: request.scopes } }),
      requestEvent(ports, request, resource, { type: policyEvent, scopes, detail: { subject } }),
      requestEvent(ports, request, resource, { type: 'share.granted', scopes, detail: { subject } }),
    ]);
    return { ...request, status: 'approved', updatedAt: now, approvedScopes: scopes };
  });
}

/** Denies the owner's pending request. 404 when not hers, 409 when already answered. */
export async function denyAccessRequest(ports: Ports, input: { realm: string; owner: User; id: string }): Promise<AccessRequest> {
  const { realm, owner, id } = input;
  return ports.store.transaction(async (tx) => {
    const request = await load(tx, realm, owner, id);
    if (request.status !== 'pending') throw alreadyAnswered(request);
    const now = ports.clock.now();
    if (!(await tx.accessRequests.answer(realm, owner.id, request.id, 'denied', now))) throw alreadyAnswered({ ...request, status: 'denied' });
    const resource = await tx.resources.get(realm, owner.id, request.resourceId);
    await publishEvents(tx, [requestEvent(ports, request, resource, { type: 'access_request.denied' })]);
    return { ...request, status: 'denied', updatedAt: now };
  });
}

/**
 * Withdraws the owner's denial: the request is pending again (merged into a newer pending request of
 * the same party and client, if one exists), and the party's next ask records a request again. 404 when
 * not hers, 409 when it is not denied.
 */
export async function reopenAccessRequest(ports: Ports, input: { realm: string; owner: User; id: string }): Promise<AccessRequest> {
  const { realm, owner, id } = input;
  return ports.store.transaction(async (tx) => {
    const request = await load(tx, realm, owner, id);
    if (request.status !== 'denied') throw fail('conflict', `Request ${request.id} is ${request.status}: only a denied request can be reopened.`);
    const reopened = await tx.accessRequests.reopen(realm, owner.id, request.id, ports.clock.now());
    if (!reopened) throw fail('conflict', `Request ${request.id} changed meanwhile; try again.`);
    const resource = await tx.resources.get(realm, owner.id, request.resourceId);
    await publishEvents(tx, [requestEvent(ports, request, resource, { type: 'access_request.reopened', detail: { pendingRequest: reopened.id } })]);
    return reopened;
  });
}

/** Most requests one collection action answers; the rest wait for the next call (`more`). */
export const MAX_BULK_ANSWERS = 1000;

/** What a collection action did: the requests answered, those left pending with the reason, and whether more wait. */
export interface BulkAnswer {
  answered: AccessRequest[];
  failed: Array<{ id: string; code: string; message: string }>;
  /** Pending requests remain beyond the MAX_BULK_ANSWERS this call looked at: call again. */
  more: boolean;
}

/**
 * Approves (all their scopes) or denies the owner's pending requests, newest first, each in its own
 * transaction: up to MAX_BULK_ANSWERS of them, read a page at a time from the pending index (an answer
 * takes its request off that index behind the page's key, so the next page is unaffected). A request
 * that cannot be approved (its resource or party gone) stays pending and is reported, as is one
 * answered concurrently.
 */
export async function answerAllAccessRequests(ports: Ports, input: { realm: string; owner: User; answer: 'approve' | 'deny' }): Promise<BulkAnswer> {
  const result: BulkAnswer = { answered: [], failed: [], more: false };
  let after: SortKey | undefined;
  let looked = 0;
  for (;;) {
    // One past the cap is read to tell whether more wait.
    const limit = Math.min(100, MAX_BULK_ANSWERS + 1 - looked);
    const page = await ports.store.accessRequests.page(input.realm, input.owner.id, { status: 'pending', limit, ...(after ? { after } : {}) });
    for (const request of page) {
      if (looked === MAX_BULK_ANSWERS) return { ...result, more: true };
      looked++;
      try {
        const ref = { realm: input.realm, owner: input.owner, id: request.id };
        result.answered.push(input.answer === 'approve' ? await approveAccessRequest(ports, ref) : await denyAccessRequest(ports, ref));
      } catch (error) {
        if (!isStewardError(error) || error.code === 'server_error') throw error;
        result.failed.push({ id: request.id, code: error.code, message: error.description ?? error.code });
      }
      after = [request.createdAt, request.id];
    }
    if (page.length < limit) return result;
  }
}
