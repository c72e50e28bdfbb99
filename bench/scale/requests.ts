/**
 * @module bench/scale/requests
 * What the scale benchmark times for owners: one entry per row of the table. To measure another list
 * (or the next page once a list pages by cursor), add an entry: its label, the user who calls, the call
 * for the i-th request and the target it is held to.
 */
import { encodeCursor, MAX_PAGED_OFFSET } from '@steward/core';
import type { OwnerCall } from './http.ts';
import type { Seeded } from './seed.ts';

export interface Target {
  /** The row's target, as printed. */
  label: string;
  /** Whether a p50 (ms) meets it. */
  met(p50: number): boolean;
}

export interface MeasuredRequest {
  label: string;
  /** Username of the caller (signed in with the seeded password). */
  as: string;
  call(i: number): OwnerCall;
  target: Target;
  /** Run once before the calls (with the caller's session), e.g. to fetch the cookie they send. */
  prepare?(get: (path: string) => Promise<any>): Promise<void>;
}

const within = (ms: number): Target => ({ label: `≤ ${ms} ms p50`, met: (p50) => p50 <= ms });
const owner = (user: string) => `/json/realms/root/realms/bench/users/${user}`;
const PAGE = 20;

/** Half the owner's events, within the offset paging allows (farther pages are reached by cookie). */
const auditOffset = (events: number) => Math.min(MAX_PAGED_OFFSET, Math.max(0, Math.floor(events / 2)));

/** The audit history's page after the offset page's cookie (the server's own cookie, fetched once first). */
function auditByCookie(who: string, kind: string): MeasuredRequest {
  let cookie = '';
  return {
    label: `audit history, page by cookie after ${MAX_PAGED_OFFSET.toLocaleString('en')} events (${kind})`,
    as: who,
    async prepare(get) {
      const page = await get(`${owner(who)}/uma/auditHistory?_pageSize=${PAGE}&_pagedResultsOffset=${MAX_PAGED_OFFSET - PAGE}`);
      cookie = page.pagedResultsCookie ?? '';
    },
    call: () => ({ path: `${owner(who)}/uma/auditHistory?_pageSize=${PAGE}${cookie ? `&_pagedResultsCookie=${encodeURIComponent(cookie)}` : ''}` }),
    target: within(20),
  };
}

/** The owner lists, for the biggest owner and a typical one, and shared-with-me for two users. */
export function ownerLists(s: Seeded): MeasuredRequest[] {
  const lists = (who: string, kind: string, auditEvents: number): MeasuredRequest[] => [
    { label: `resources, first page (${kind})`, as: who, call: () => ({ path: `${owner(who)}/oauth2/resources/sets?_queryFilter=true&_pageSize=${PAGE}` }), target: within(20) },
    {
      // The page after the middle of the biggest owner's resources by name (resources 1 … its count are
      // hers), as the previous page's cookie asks for it; the same key lands inside the typical owner's list.
      label: `resources, page by cookie from the middle (${kind})`,
      as: who,
      call: () => {
        const n = Math.max(1, Math.floor(s.ownedBy[s.biggestOwner]! / 2));
        const cookie = encodeCursor('resources:name:asc', [`Resource ${n}`, `sr-${String(n).padStart(8, '0')}`]);
        return { path: `${owner(who)}/oauth2/resources/sets?_queryFilter=true&_pageSize=${PAGE}&_pagedResultsCookie=${cookie}` };
      },
      target: within(20),
    },
    { label: `policies, first page (${kind})`, as: who, call: () => ({ path: `${owner(who)}/uma/policies?_queryFilter=true&_pageSize=${PAGE}` }), target: within(20) },
    { label: `authorization policies, first page (${kind})`, as: who, call: () => ({ path: `${owner(who)}/policies?_queryFilter=true&_pageSize=${PAGE}` }), target: within(20) },
    { label: `pending requests, first page (${kind})`, as: who, call: () => ({ path: `${owner(who)}/uma/pendingrequests?_pageSize=${PAGE}` }), target: within(20) },
    { label: `audit history, first page (${kind})`, as: who, call: () => ({ path: `${owner(who)}/uma/auditHistory?_pageSize=${PAGE}` }), target: within(20) },
    {
      label: `audit history, page at offset ${auditOffset(auditEvents).toLocaleString('en')} (${kind})`,
      as: who,
      call: () => ({ path: `${owner(who)}/uma/auditHistory?_pageSize=${PAGE}&_pagedResultsOffset=${auditOffset(auditEvents)}` }),
      target: within(20),
    },
    auditByCookie(who, kind),
  ];
  return [
    ...lists(s.biggestOwner, `biggest owner, ${s.ownedBy[s.biggestOwner]!.toLocaleString('en')} resources`, s.auditEventsOf[s.biggestOwner]!),
    ...lists(s.typicalOwner, `typical owner, ${s.ownedBy[s.typicalOwner]!.toLocaleString('en')} resources`, s.auditEventsOf[s.typicalOwner]!),
    { label: `shared with me, first page (user named in ${s.namedIn[s.typicalUser]!.toLocaleString('en')} policies)`, as: s.typicalUser, call: () => ({ path: `${owner(s.typicalUser)}/uma/sharedWithMe?_pageSize=${PAGE}` }), target: within(20) },
    { label: `shared with me, first page (user named in ${s.namedIn[s.popularUser]!.toLocaleString('en')} policies)`, as: s.popularUser, call: () => ({ path: `${owner(s.popularUser)}/uma/sharedWithMe?_pageSize=${PAGE}` }), target: within(20) },
    { label: 'my requests, first page (typical user)', as: s.typicalUser, call: () => ({ path: `${owner(s.typicalUser)}/uma/myRequests?_pageSize=${PAGE}` }), target: within(20) },
  ];
}

/**
 * Keycloak's protection API lists of the biggest owner: with her PAT (the resource server's client),
 * her resource ids registered by that resource server; with her own token from that client (scope
 * sharing), her permission tickets on its resources.
 */
export function protectionLists(s: Seeded, pat: string, own: string): MeasuredRequest[] {
  const bearer = { authorization: `Bearer ${pat}` };
  return [
    { label: 'Keycloak resource_set, first page (biggest owner)', as: s.biggestOwner, call: () => ({ path: `/realms/bench/authz/protection/resource_set?first=0&max=${PAGE}`, headers: bearer }), target: within(20) },
    { label: 'Keycloak resource_set, deep page by name (biggest owner)', as: s.biggestOwner, call: () => ({ path: `/realms/bench/authz/protection/resource_set?name=${encodeURIComponent(`Resource ${Math.max(1, Math.floor(s.ownedBy[s.biggestOwner]! / 2))}`)}&exactName=true&deep=true&first=0&max=${PAGE}`, headers: bearer }), target: within(20) },
    { label: 'Keycloak permission/ticket, first page (biggest owner)', as: s.biggestOwner, call: () => ({ path: `/realms/bench/authz/protection/permission/ticket?first=0&max=${PAGE}`, headers: { authorization: `Bearer ${own}` } }), target: within(20) },
  ];
}

/**
 * Writes by the biggest owner: a policy replaced (two permission sets in turn), a share deleted (a
 * different resource each time, from the far end of her list) and a resource deleted with her PAT (from
 * the near end, after the one the policy writes use).
 */
export function ownerWrites(s: Seeded, n: number, pat?: string): MeasuredRequest[] {
  const who = s.biggestOwner;
  const resources = s.biggestOwnerResources;
  if (resources.length < n * 2 + 8) throw new Error(`the biggest owner has ${resources.length} resources; ${n * 2 + 8} needed for the writes`);
  const put = (i: number): OwnerCall => {
    const id = resources[0]!;
    const subjects = i % 2 === 0 ? [s.typicalUser, s.popularUser] : [s.typicalUser];
    return { method: 'PUT', path: `${owner(who)}/uma/policies/${id}`, body: JSON.stringify({ policyId: id, permissions: subjects.map((subject) => ({ subject, scopes: ['view'] })) }) };
  };
  // Deletions take resources from the far end of the owner's list, one each (warm-ups after the timed ones).
  const del = (i: number): OwnerCall => ({ method: 'DELETE', path: `${owner(who)}/uma/policies/${resources[resources.length - 1 - i]!}` });
  const deleteResource = (i: number): OwnerCall => ({ method: 'DELETE', path: `/realms/bench/authz/protection/resource_set/${resources[1 + i]!}`, headers: { authorization: `Bearer ${pat}` }, status: 204 });
  return [
    { label: 'policy write (PUT, biggest owner)', as: who, call: put, target: within(20) },
    { label: 'share deletion (DELETE, biggest owner)', as: who, call: del, target: within(20) },
    ...(pat === undefined ? [] : [{ label: 'resource deletion (DELETE resource_set, biggest owner)', as: who, call: deleteResource, target: within(20) }]),
  ];
}
