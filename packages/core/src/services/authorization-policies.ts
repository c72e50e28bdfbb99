/**
 * @module services/authorization-policies
 * AM's per-permission view of UMA policies (ForgeRock AM's UMA policies REST API, "Restrict an UMA policy"): each permission of a
 * user's UMA policy is one authorization policy, with id `{resourceId}~{subject}`, where its conditions
 * (Expiration, ClientId) are read and written. Writes go through the UMA policy (same checks,
 * revisions and revocations).
 */
import { conditionsHold, type RequestingParty } from '../decision/decide.ts';
import { fail, isStewardError, type StewardError } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../decision/page-cursor.ts';
import { compareText } from '../decision/text-order.ts';
import type { SortKey } from '../ports/store/pages.ts';
import type { Policy, PolicyConditions, PolicyPermission } from '../model/policy.ts';
import type { User } from '../model/user.ts';
import { deletePolicy, readPolicy, sharePolicy, type PolicyView } from './owner-policies.ts';
import { scanPage, type Page, type PageRequest } from './paging.ts';
import { currentAccess } from './policy-sharing.ts';
import type { Ports } from './ports.ts';

/** One permission of a UMA policy seen as an authorization policy. */
export interface AuthorizationPolicyView {
  /** `{resourceId}~{subject}`. */
  id: string;
  view: PolicyView;
  permission: PolicyPermission;
  /** Whether it grants now: unexpired and, for a re-share, still backed by what its owner holds. */
  active: boolean;
}

const SEPARATOR = '~';

/** The id of the authorization policy for one subject of a UMA policy. */
export function authorizationPolicyId(resourceId: string, subject: string): string {
  return `${resourceId}${SEPARATOR}${subject}`;
}

/** The resource id and subject an id names (resource ids never contain `~`); null when malformed. */
export function parseAuthorizationPolicyId(id: string): { resourceId: string; subject: string } | null {
  const at = id.indexOf(SEPARATOR);
  if (at <= 0 || at === id.length - 1 || id.length > 600) return null;
  return { resourceId: id.slice(0, at), subject: id.slice(at + 1) };
}

async function viewsOf(ports: Ports, view: PolicyView, owner: User): Promise<AuthorizationPolicyView[]> {
  const now = ports.clock.now();
  let backed = true;
  if (view.policy.resourceOwner !== undefined) {
    const realm = await ports.store.realms.get(view.policy.realm);
    const party: RequestingParty = { kind: 'user', subject: owner.id, username: owner.username };
    const access = await currentAccess(ports.store, { realm: view.policy.realm, resource: view.resource, party, context: { now, anyClient: true, resharing: realm?.settings.resharing !== false } });
    backed = access.mayAccess;
  }
  return view.policy.permissions.map((permission) => ({
    id: authorizationPolicyId(view.policy.id, permission.subject),
    view,
    permission,
    active: backed && conditionsHold(permission.conditions?.expiresAt === undefined ? undefined : { expiresAt: permission.conditions.expiresAt }, { now }),
  }));
}

const LIST = 'authorizationPolicies';

/**
 * One page of the user's authorization policies (one per permission of her UMA policies and
 * re-shares), ordered by resource id then subject: read a page of policies at a time from the owner's
 * policy index (after the cookie, or from a small offset), never all of them. Not counted.
 */
export async function listAuthorizationPolicies(ports: Ports, input: { realm: string; owner: User; page: PageRequest }): Promise<Page<AuthorizationPolicyView>> {
  const { realm, owner, page } = input;
  const start = page.cookie === undefined ? undefined : decodeCursor(page.cookie, LIST, ['string', 'string']);
  const views = async (policy: Policy, after: string | undefined): Promise<AuthorizationPolicyView[]> => {
    const resource = await ports.store.resources.get(realm, policy.resourceOwner ?? policy.owner, policy.id);
    if (!resource) return [];
    const all = await viewsOf(ports, { policy, resource }, owner);
    return all.filter((v) => after === undefined || compareText(v.permission.subject, after) > 0).sort((a, b) => compareText(a.permission.subject, b.permission.subject));
  };
  // Rows: the rest of the key's own policy, then the permissions of the policies after it, read `limit`
  // policies at a time until there are `limit` rows or no policies are left (fewer rows: the list ended).
  const read = async (after: SortKey | undefined, limit: number): Promise<AuthorizationPolicyView[]> => {
    const rows: AuthorizationPolicyView[] = [];
    let from = after?.[0] as string | undefined;
    if (from !== undefined) {
      const current = await ports.store.policies.get(realm, owner.id, from);
      if (current) rows.push(...(await views(current, after![1] as string)));
    }
    while (rows.length < limit) {
      const policies = await ports.store.policies.page(realm, owner.id, { order: 'id', limit, ...(from === undefined ? {} : { after: [from] }) });
      for (const policy of policies) rows.push(...(await views(policy, undefined)));
      if (policies.length < limit) break;
      from = policies.at(-1)!.id;
    }
    return rows;
  };
  const { items, next } = await scanPage<AuthorizationPolicyView, AuthorizationPolicyView>({ read, keyOf: (v) => [v.view.policy.id, v.permission.subject], view: (v) => v }, start, page.offset, page.pageSize);
  return { result: items, cookie: next === null ? null : encodeCursor(LIST, next), remaining: next === null ? 0 : -1, total: -1 };
}

/** One authorization policy, or 404. */
export async function readAuthorizationPolicy(ports: Ports, input: { realm: string; owner: User; id: string }): Promise<AuthorizationPolicyView> {
  const ref = parseAuthorizationPolicyId(input.id);
  if (!ref) throw notFound(input.id);
  const view = await readPolicy(ports, { realm: input.realm, owner: input.owner, resourceId: ref.resourceId }).catch((e: unknown) => {
    throw isStewardError(e) && e.code === 'not_found' ? notFound(input.id) : e;
  });
  const found = (await viewsOf(ports, view, input.owner)).find((v) => v.permission.subject === ref.subject);
  if (!found) throw notFound(input.id);
  return found;
}

/**
 * Replaces the scopes and conditions of one authorization policy (its subject is fixed by the id) and
 * saves the UMA policy. `expectedRev` is the UMA policy revision from If-Match, or null.
 */
export async function writeAuthorizationPolicy(
  ports: Ports,
  input: { realm: string; owner: User; id: string; subject: string; scopes: string[]; conditions: PolicyConditions | undefined; expectedRev: string | null },
): Promise<AuthorizationPolicyView> {
  const current = await readAuthorizationPolicy(ports, input);
  if (input.subject !== current.permission.subject) throw fail('invalid_request', 'The subject in the body does not match the policy id.');
  const permission: PolicyPermission = input.conditions ? { subject: input.subject, scopes: input.scopes, conditions: input.conditions } : { subject: input.subject, scopes: input.scopes };
  const permissions = current.view.policy.permissions.map((p) => (p.subject === input.subject ? permission : p));
  const body = { policyId: current.view.policy.id, permissions };
  await sharePolicy(ports, { realm: input.realm, owner: input.owner, resourceId: current.view.policy.id, body, mode: 'update', expectedRev: input.expectedRev ?? current.view.policy.rev });
  return readAuthorizationPolicy(ports, input);
}

/** Removes one permission from its UMA policy (the whole policy when it was the last). */
export async function deleteAuthorizationPolicy(ports: Ports, input: { realm: string; owner: User; id: string }): Promise<void> {
  const current = await readAuthorizationPolicy(ports, input);
  const { policy } = current.view;
  const rest = policy.permissions.filter((p) => p.subject !== current.permission.subject);
  if (rest.length === 0) return deletePolicy(ports, { realm: input.realm, owner: input.owner, resourceId: policy.id });
  await sharePolicy(ports, { realm: input.realm, owner: input.owner, resourceId: policy.id, body: { policyId: policy.id, permissions: rest }, mode: 'update', expectedRev: policy.rev });
}

function notFound(id: string): StewardError {
  return fail('not_found', `Policy not found, ${id.slice(0, 300)}`);
}
