/**
 * @module decision/decide
 * The UMA grant's authorization assessment (UMA Grant §3.3.4), as pure functions: from the ticket's
 * permissions, the resources, the owner's policies, the requesting party and the client's scopes to a
 * `Permit | Deny | NeedInfo | RequestSubmitted` value. Default deny: no policy grants nothing
 * (UMA Grant §5.6); the resource owner always gets her own resources.
 */
import { fail } from '../errors.ts';
import type { GrantedPermission, Permission } from '../model/permission.ts';
import { ORG_SUBJECT_PREFIX } from '../model/organization.ts';
import { CLIENT_SUBJECT_PREFIX, type Policy } from '../model/policy.ts';
import type { Resource } from '../model/resource.ts';
import type { EvaluationContext } from './conditions.ts';
import { held } from './held.ts';
import type { RequestingParty } from './party.ts';
import { difference, distinct, intersect, requestedScopes, union } from './scopes.ts';

export { conditionsHold, type EvaluationContext } from './conditions.ts';
export { MAX_SHARING_DEPTH } from './held.ts';
export { isPrefixedSubject, namesParty, policySubjectOf, RESERVED_SUBJECT_PREFIXES, type RequestingParty } from './party.ts';

/** Issue an RPT with these permissions (possibly fewer scopes than requested: a partial grant). */
export interface Permit {
  kind: 'permit';
  permissions: GrantedPermission[];
}

/** The client is not authorized (`request_denied`). */
export interface Deny {
  kind: 'deny';
}

/** Claims identifying a requesting party are needed (`need_info`). */
export interface NeedInfo {
  kind: 'need_info';
}

/** The owner is asked to approve; `requests` are the missing scopes per resource (`request_submitted`). */
export interface RequestSubmitted {
  kind: 'request_submitted';
  requests: GrantedPermission[];
}

export type Decision = Permit | Deny | NeedInfo | RequestSubmitted;

export interface DecisionInput {
  /** The ticket's resource owner. */
  owner: string;
  /** The ticket's permissions (a resource may appear more than once). */
  permissions: readonly Permission[];
  /** The owner's resources named by the ticket that still exist. */
  resources: readonly Resource[];
  /** The owner's policies for those resources. */
  policies: readonly Policy[];
  party: RequestingParty;
  /** Scopes the client pre-registered (A). */
  clientRegistered: readonly string[];
  /** Scopes the client asked for with `scope` (B). */
  clientRequested: readonly string[];
  /** Whether the realm records access requests for the owner instead of denying. */
  accessRequests: boolean;
  /** Time, client and re-sharing context for policy conditions and nested policies. */
  context?: EvaluationContext;
}

export interface Access {
  /** Scopes of the resource the party may have (F, ⊆ D). */
  allowed: string[];
  /** The owner herself, or a policy names the party for this resource. */
  mayAccess: boolean;
  /** When the allowed scopes stop holding (the earliest `Expiration` among them); absent: never. */
  exp?: number;
}

/**
 * What the party may have of one resource under the owner's policy and, when the realm allows it,
 * the re-shares of it (`policies` may hold one policy or all those loaded for the resource).
 */
export function accessTo(resource: Resource, policies: Policy | readonly Policy[] | undefined, party: RequestingParty, ctx: EvaluationContext = {}): Access {
  const list = policies === undefined ? [] : Array.isArray(policies) ? (policies as readonly Policy[]) : [policies as Policy];
  const h = held(resource, list, party, ctx);
  const allowed = intersect([...h.scopes.keys()], resource.scopes);
  const ends = allowed.map((s) => h.scopes.get(s)!).filter((t) => t !== Infinity);
  const access: Access = { allowed, mayAccess: h.mayAccess };
  if (ends.length > 0) access.exp = Math.min(...ends);
  return access;
}

/** The ticket's permissions with repeated resources merged (union of scopes), in first-seen order. */
export function mergeTicketPermissions(permissions: readonly Permission[]): Map<string, string[]> {
  const merged = new Map<string, string[]>();
  for (const p of permissions) merged.set(p.resourceId, union(merged.get(p.resourceId) ?? [], p.scopes));
  return merged;
}

function policiesById(policies: readonly Policy[]): Map<string, Policy[]> {
  const byId = new Map<string, Policy[]>();
  for (const p of policies) {
    const list = byId.get(p.id);
    if (list) list.push(p);
    else byId.set(p.id, [p]);
  }
  return byId;
}

/**
 * Rejects a `scope` parameter with `invalid_scope` (UMA Grant §3.3.6) when a scope is offered by no
 * resource of the ticket, or was not pre-registered by the client.
 */
export function checkRequestedScopes(requested: readonly string[], resources: readonly Resource[], clientRegistered: readonly string[]): void {
  const offered = new Set(resources.flatMap((r) => r.scopes));
  const registered = new Set(clientRegistered);
  for (const s of requested) {
    if (!offered.has(s)) throw fail('invalid_scope', `Scope ${s.slice(0, 100)} is not available on the resources of the ticket`);
    if (!registered.has(s)) throw fail('invalid_scope', `Scope ${s.slice(0, 100)} is not registered for this client`);
  }
}

/** The authorization assessment of one UMA grant request. Pure. */
export function decide(input: DecisionInput): Decision {
  const byId = new Map(input.resources.filter((r) => r.owner === input.owner).map((r) => [r.id, r]));
  const policies = policiesById(input.policies);
  const granted: GrantedPermission[] = [];
  const missing: GrantedPermission[] = [];
  for (const [resourceId, ticketScopes] of mergeTicketPermissions(input.permissions)) {
    const resource = byId.get(resourceId);
    if (!resource) continue;
    // E, limited to what the resource still offers: a scope it dropped can be neither granted nor asked for.
    const requested = intersect(requestedScopes(ticketScopes, input.clientRegistered, input.clientRequested, resource.scopes), resource.scopes);
    const { allowed, mayAccess, exp } = accessTo(resource, policies.get(resourceId), input.party, input.context);
    const scopes = intersect(requested, allowed);
    const base = { resourceId, owner: resource.owner, resourceServer: resource.resourceServer };
    // A ticket asking zero scopes asks whether the party may access the resource at all.
    if (scopes.length > 0 || (ticketScopes.length === 0 && mayAccess)) granted.push(withExp({ ...base, scopes }, exp));
    const absent = difference(requested, scopes);
    if (absent.length > 0 || (requested.length === 0 && !mayAccess)) missing.push({ ...base, scopes: absent });
  }
  if (granted.length > 0) return { kind: 'permit', permissions: granted };
  if (input.party.kind === 'client' && namesUsers(input.policies, byId)) return { kind: 'need_info' };
  if (input.accessRequests && missing.length > 0) return { kind: 'request_submitted', requests: missing };
  return { kind: 'deny' };
}

/** The permission with `exp` set when its scopes stop holding (an `Expiration` condition). */
function withExp(p: GrantedPermission, exp: number | undefined): GrantedPermission {
  return exp === undefined ? p : { ...p, exp };
}

/** True when a policy of these resources shares with a user (so identifying one may help). */
function namesUsers(policies: readonly Policy[], resources: Map<string, Resource>): boolean {
  return policies.some((p) => resources.get(p.id)?.owner === (p.resourceOwner ?? p.owner) && p.permissions.some((e) => !e.subject.startsWith(CLIENT_SUBJECT_PREFIX) && !e.subject.startsWith(ORG_SUBJECT_PREFIX)));
}

/** Old RPT permissions re-checked against the current resources and policies. */
export interface Recheck {
  kept: GrantedPermission[];
  /** True when every old permission was kept with all its scopes. */
  complete: boolean;
}

/**
 * Re-assesses the permissions of an RPT presented for upgrade (UMA Grant §3.3.5.1) by the same rules:
 * a permission whose resource is gone or whose policy no longer names the party is dropped, scopes no
 * longer allowed are removed. `resources` and `policies` may belong to several owners.
 */
export function recheckPermissions(old: readonly GrantedPermission[], resources: readonly Resource[], policies: readonly Policy[], party: RequestingParty, ctx?: EvaluationContext): Recheck {
  const byId = new Map(resources.map((r) => [r.id, r]));
  const policyOf = policiesById(policies);
  const kept: GrantedPermission[] = [];
  let complete = true;
  for (const p of old) {
    const resource = byId.get(p.resourceId);
    if (!resource || resource.owner !== p.owner) {
      complete = false;
      continue;
    }
    const { allowed, mayAccess, exp } = accessTo(resource, policyOf.get(p.resourceId), party, ctx);
    const wanted = distinct(p.scopes);
    const scopes = intersect(wanted, allowed);
    const keep = wanted.length === 0 ? mayAccess : scopes.length > 0;
    if (!keep || scopes.length < wanted.length) complete = false;
    if (keep) kept.push(withExp({ resourceId: p.resourceId, scopes, owner: resource.owner, resourceServer: resource.resourceServer }, exp));
  }
  return { kept, complete };
}

/** `a` then `b`, one permission per resource, scopes united without duplicates. */
export function mergeGrantedPermissions(a: readonly GrantedPermission[], b: readonly GrantedPermission[]): GrantedPermission[] {
  const byId = new Map<string, GrantedPermission>();
  for (const p of [...a, ...b]) {
    const seen = byId.get(p.resourceId);
    if (seen) {
      seen.scopes = union(seen.scopes, p.scopes);
      // United scopes expire together: at the earliest expiry of either side.
      if (p.exp !== undefined) seen.exp = seen.exp === undefined ? p.exp : Math.min(seen.exp, p.exp);
    } else byId.set(p.resourceId, withExp({ resourceId: p.resourceId, scopes: distinct(p.scopes), owner: p.owner, resourceServer: p.resourceServer }, p.exp));
  }
  return [...byId.values()];
}
