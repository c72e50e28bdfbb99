/**
 * @module decision/held
 * What a party holds of one resource through the owner's primary policy and the re-shares of it
 * (policies of requesting parties, `resourceOwner` set). A re-share passes on at most what its owner
 * holds, scope by scope, until the earlier of its own expiry and the upstream one, so a broken chain
 * grants nothing below the break; re-shares deeper than MAX_SHARING_DEPTH below the primary grant nothing.
 *
 * Re-sharers are the nodes of a graph whose edges are the permissions naming them. What a party holds
 * of a scope is, over the chains from the owner to her, the best of each chain's earliest expiry (a
 * widest path). A loop only adds edges to a chain, so it never makes one better and needs no cutting.
 * Chains of at most d re-shares are found from those of at most d − 1, re-reading only the edges out of
 * re-sharers whose holdings changed at d − 1: the depth limit stays exact, and the work is at most one
 * pass over the edges per level (usually each edge once), where walking every chain took time
 * exponential in the depth. Without a re-share naming the party it is one look at each permission.
 */
import type { Policy, PolicyPermission } from '../model/policy.ts';
import type { Resource } from '../model/resource.ts';
import { conditionsHold, type EvaluationContext } from './conditions.ts';
import { namesParty, type RequestingParty } from './party.ts';

/** Scope → the time it stops being held (Infinity: never), and whether some policy names the party. */
export interface Held {
  scopes: Map<string, number>;
  mayAccess: boolean;
}

/** Re-shares may nest this deep below the primary policy; deeper ones grant nothing. */
export const MAX_SHARING_DEPTH = 32;

/** A re-share that counts: re-sharing on, of this owner's resource, by a loaded re-sharer other than the party. */
function countsAsReshare(policy: Policy, resource: Resource, party: RequestingParty, ctx: EvaluationContext): boolean {
  if (ctx.resharing === false || (policy.resourceOwner ?? policy.owner) !== resource.owner) return false;
  // The party's own re-shares never lead back to her.
  return ctx.sharers?.has(policy.owner) === true && !(party.kind === 'user' && policy.owner === party.subject);
}

/** Adds what `p` passes on under `upstream` (null: the primary policy's, no limit) to `into`; true when `into` gained. */
function pass(into: Held, resource: Resource, p: PolicyPermission, upstream: Held | null): boolean {
  let gained = !into.mayAccess;
  into.mayAccess = true;
  for (const s of p.scopes) {
    if (!resource.scopes.includes(s)) continue;
    const limit = upstream ? upstream.scopes.get(s) : Infinity;
    if (limit === undefined) continue;
    const until = Math.min(limit, p.conditions?.expiresAt ?? Infinity);
    const had = into.scopes.get(s);
    if (had === undefined || until > had) {
      into.scopes.set(s, until);
      gained = true;
    }
  }
  return gained;
}

/** The value of `key`, set to `make()` first when absent. */
function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

function count(ctx: EvaluationContext, steps: number): void {
  if (ctx.counter) ctx.counter.steps += steps;
}

/** What `party` holds of the resource through `policies` (any order; other resources' policies are ignored). */
export function held(resource: Resource, policies: readonly Policy[], party: RequestingParty, ctx: EvaluationContext): Held {
  if (party.subject === resource.owner) return { scopes: new Map(resource.scopes.map((s) => [s, Infinity])), mayAccess: true };
  const result: Held = { scopes: new Map(), mayAccess: false };
  let steps = 0;
  let reshared = false;
  for (const policy of policies) {
    if (policy.id !== resource.id) continue;
    const primary = policy.owner === resource.owner;
    if (!primary && !countsAsReshare(policy, resource, party, ctx)) continue;
    for (const p of policy.permissions) {
      steps++;
      if (!namesParty(p.subject, party) || !conditionsHold(p.conditions, ctx)) continue;
      if (primary) pass(result, resource, p, null);
      else reshared = true;
    }
  }
  count(ctx, steps);
  return reshared ? throughReshares(resource, policies, party, ctx) : result;
}

/** `held` when a re-share names the party: the re-sharers' holdings first, level by level. */
function throughReshares(resource: Resource, policies: readonly Policy[], party: RequestingParty, ctx: EvaluationContext): Held {
  let steps = 0;
  const mine = policies.filter((p) => p.id === resource.id && (p.owner === resource.owner || countsAsReshare(p, resource, party, ctx)));
  // The re-sharers as parties, and which of them each username or group subject may name.
  const sharers = new Map<string, RequestingParty>();
  const candidates = new Map<string, string[]>();
  for (const policy of mine) {
    if (policy.owner === resource.owner || sharers.has(policy.owner)) continue;
    const username = ctx.sharers!.get(policy.owner)!;
    const memberOf = ctx.sharerGroups?.get(policy.owner);
    sharers.set(policy.owner, memberOf ? { kind: 'user', subject: policy.owner, username, memberOf } : { kind: 'user', subject: policy.owner, username });
    for (const subject of new Set([username, ...(memberOf ?? [])])) entry(candidates, subject, () => []).push(policy.owner);
  }
  const namedSharers = (p: PolicyPermission): string[] => (candidates.get(p.subject) ?? []).filter((id) => namesParty(p.subject, sharers.get(id)!));

  // Level 0: what the primary policy gives re-sharers; and the re-share edges between them, by source.
  const holdings = new Map<string, Held>();
  const edges = new Map<string, Array<{ p: PolicyPermission; to: string }>>();
  for (const policy of mine) {
    const primary = policy.owner === resource.owner;
    for (const p of policy.permissions) {
      steps++;
      if (!conditionsHold(p.conditions, ctx)) continue;
      for (const to of namedSharers(p)) {
        if (primary) pass(entry(holdings, to, () => ({ scopes: new Map(), mayAccess: false })), resource, p, null);
        else entry(edges, policy.owner, () => []).push({ p, to });
      }
    }
  }

  // Level d: chains of at most d re-shares, from the re-sharers whose holdings changed at level d − 1.
  let changed = new Set(holdings.keys());
  for (let depth = 1; depth < MAX_SHARING_DEPTH && changed.size > 0; depth++) {
    const next = new Map<string, Held>();
    const gained = new Set<string>();
    for (const from of changed) {
      const upstream = holdings.get(from)!;
      for (const { p, to } of edges.get(from) ?? []) {
        steps++;
        const current = holdings.get(to);
        const h = entry(next, to, () => (current ? { scopes: new Map(current.scopes), mayAccess: true } : { scopes: new Map(), mayAccess: false }));
        if (pass(h, resource, p, upstream)) gained.add(to);
      }
    }
    for (const id of gained) holdings.set(id, next.get(id)!);
    changed = gained;
  }

  // The party: each policy in order, a re-share up to what its owner holds.
  const result: Held = { scopes: new Map(), mayAccess: false };
  for (const policy of mine) {
    const upstream = policy.owner === resource.owner ? null : holdings.get(policy.owner);
    if (upstream === undefined) continue;
    for (const p of policy.permissions) {
      steps++;
      if (namesParty(p.subject, party) && conditionsHold(p.conditions, ctx)) pass(result, resource, p, upstream);
    }
  }
  count(ctx, steps);
  return result;
}
