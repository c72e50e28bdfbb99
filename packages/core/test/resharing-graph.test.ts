/**
 * What a party holds through re-shares (decision/decide.ts `accessTo`), compared with the first
 * implementation (a depth-first walk of every chain, kept below as the slow reference) on random
 * sharing graphs, and its cost counted in steps: polynomial in the graph's edges where the walk was
 * exponential in the depth of a two-wide chain.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { accessTo, conditionsHold, decide, MAX_SHARING_DEPTH, namesParty, type Access, type EvaluationContext, type RequestingParty } from '../src/decision/decide.ts';
import { intersect } from '../src/decision/scopes.ts';
import type { Policy, PolicyConditions, PolicyPermission } from '../src/model/policy.ts';
import type { Resource } from '../src/model/resource.ts';

// ---- The first implementation, verbatim: the reference the new evaluation must agree with. ----

interface Held {
  scopes: Map<string, number>;
  mayAccess: boolean;
}

function held(resource: Resource, policies: readonly Policy[], party: RequestingParty, ctx: EvaluationContext, visiting: Set<string>): Held {
  if (party.subject === resource.owner) return { scopes: new Map(resource.scopes.map((s) => [s, Infinity])), mayAccess: true };
  const result: Held = { scopes: new Map(), mayAccess: false };
  if (visiting.size > MAX_SHARING_DEPTH) return result;
  const key = `${party.kind}:${party.subject}`;
  visiting.add(key);
  for (const policy of policies) {
    if (policy.id !== resource.id) continue;
    const primary = policy.owner === resource.owner;
    if (!primary && (ctx.resharing === false || (policy.resourceOwner ?? policy.owner) !== resource.owner)) continue;
    const permissions = policy.permissions.filter((p) => namesParty(p.subject, party) && conditionsHold(p.conditions, ctx));
    if (permissions.length === 0) continue;
    let upstream: Held | null = null;
    if (!primary) {
      const username = ctx.sharers?.get(policy.owner);
      if (username === undefined || visiting.has(`user:${policy.owner}`)) continue;
      const memberOf = ctx.sharerGroups?.get(policy.owner);
      upstream = held(resource, policies, memberOf ? { kind: 'user', subject: policy.owner, username, memberOf } : { kind: 'user', subject: policy.owner, username }, ctx, visiting);
      if (!upstream.mayAccess) continue;
    }
    result.mayAccess = true;
    for (const p of permissions) {
      for (const s of p.scopes) {
        if (!resource.scopes.includes(s)) continue;
        const limit = upstream ? upstream.scopes.get(s) : Infinity;
        if (limit === undefined) continue;
        const until = Math.min(limit, p.conditions?.expiresAt ?? Infinity);
        result.scopes.set(s, Math.max(result.scopes.get(s) ?? -Infinity, until));
      }
    }
  }
  visiting.delete(key);
  return result;
}

function referenceAccessTo(resource: Resource, policies: Policy | readonly Policy[] | undefined, party: RequestingParty, ctx: EvaluationContext = {}): Access {
  const list = policies === undefined ? [] : Array.isArray(policies) ? (policies as readonly Policy[]) : [policies as Policy];
  const h = held(resource, list, party, ctx, new Set());
  const allowed = intersect([...h.scopes.keys()], resource.scopes);
  const ends = allowed.map((s) => h.scopes.get(s)!).filter((t) => t !== Infinity);
  const access: Access = { allowed, mayAccess: h.mayAccess };
  if (ends.length > 0) access.exp = Math.min(...ends);
  return access;
}

// ---- Random sharing graphs. ----

const NOW = 1_000_000;
const OWNER = 'owner-id';
const RESOURCE: Resource = { realm: 'r', id: 'res', owner: OWNER, resourceServer: 'rs', name: 'res', type: null, iconUri: null, description: null, scopes: ['a', 'b', 'c'], extra: {}, createdAt: 0, updatedAt: 0 };
const GROUPS = ['group:g0', 'group:g1', 'group:g2'];
const SCOPES = ['a', 'b', 'c', 'd'];
const id = (i: number) => `u${i}`;
const username = (i: number) => `user${i}`;

function policy(owner: string, permissions: PolicyPermission[], over: Partial<Policy> = {}): Policy {
  const p: Policy = { realm: 'r', id: 'res', owner, rev: owner, permissions, createdAt: 0, updatedAt: 0, ...over };
  if (owner !== OWNER && !('resourceOwner' in over)) p.resourceOwner = OWNER;
  return p;
}

const conditions: fc.Arbitrary<PolicyConditions | undefined> = fc.option(
  fc.record(
    { expiresAt: fc.constantFrom(NOW - 10, NOW, NOW + 100, NOW + 200, NOW + 300), clientIds: fc.subarray(['app', 'other']) },
    { requiredKeys: [] },
  ),
  { nil: undefined, freq: 2 },
);

function permission(users: number): fc.Arbitrary<PolicyPermission> {
  // Mostly users, so that chains form; groups, clients, organizations and strangers too.
  const subject = fc.oneof({ arbitrary: fc.integer({ min: 0, max: users - 1 }).map(username), weight: 6 }, { arbitrary: fc.constantFrom(...GROUPS, 'client:app', 'org:o1', 'nobody'), weight: 2 });
  return fc.record({ subject, scopes: fc.subarray(SCOPES, { minLength: 1 }), conditions }).map(({ subject, scopes, conditions }) => (conditions ? { subject, scopes, conditions } : { subject, scopes }));
}

interface Case {
  policies: Policy[];
  party: RequestingParty;
  ctx: EvaluationContext;
}

/** Up to 7 users (some of them re-sharers, some in groups), up to 14 policies, loops welcome. */
const graphs: fc.Arbitrary<Case> = fc.integer({ min: 2, max: 7 }).chain((users) => {
  const owners = [OWNER, ...Array.from({ length: users }, (_, i) => id(i))];
  const aPolicy = fc.record({
    owner: fc.constantFrom(...owners),
    permissions: fc.array(permission(users), { minLength: 1, maxLength: 4 }),
    // Now and then a policy of another resource, or a re-share claiming another owner, or none.
    twist: fc.constantFrom('none', 'none', 'none', 'none', 'none', 'other-resource', 'foreign-owner', 'no-resource-owner'),
  }).map(({ owner, permissions, twist }) =>
    twist === 'other-resource' ? policy(owner, permissions, { id: 'other' }) : twist === 'foreign-owner' && owner !== OWNER ? policy(owner, permissions, { resourceOwner: 'someone' }) : twist === 'no-resource-owner' && owner !== OWNER ? policy(owner, permissions, { resourceOwner: undefined }) : policy(owner, permissions),
  );
  const party = fc.oneof(
    { weight: 6, arbitrary: fc.record({ i: fc.integer({ min: 0, max: users - 1 }), memberOf: fc.option(fc.subarray(GROUPS), { nil: undefined }) }).map(({ i, memberOf }): RequestingParty => (memberOf ? { kind: 'user', subject: id(i), username: username(i), memberOf } : { kind: 'user', subject: id(i), username: username(i) })) },
    fc.constant<RequestingParty>({ kind: 'user', subject: 'stranger', username: 'nobody' }),
    fc.option(fc.constant(['org:o1']), { nil: undefined }).map((memberOf): RequestingParty => (memberOf ? { kind: 'client', subject: 'app', memberOf } : { kind: 'client', subject: 'app' })),
    fc.constant<RequestingParty>({ kind: 'user', subject: OWNER, username: 'owner' }),
  );
  const ctx = fc.record({
    now: fc.constantFrom(NOW, NOW, NOW, undefined),
    clientId: fc.constantFrom('app', 'app', 'other', undefined),
    anyClient: fc.boolean(),
    resharing: fc.constantFrom(true, true, undefined, false),
    known: fc.array(fc.constantFrom(true, true, true, true, true, false), { minLength: users, maxLength: users }),
    groups: fc.array(fc.subarray(GROUPS), { minLength: users, maxLength: users }),
  }).map(({ now, clientId, anyClient, resharing, known, groups }) => {
    const c: EvaluationContext = { sharers: new Map(), sharerGroups: new Map() };
    if (now !== undefined) c.now = now;
    if (clientId !== undefined) c.clientId = clientId;
    if (anyClient) c.anyClient = true;
    if (resharing !== undefined) c.resharing = resharing;
    known.forEach((k, i) => k && (c.sharers as Map<string, string>).set(id(i), username(i)));
    groups.forEach((g, i) => g.length > 0 && (c.sharerGroups as Map<string, readonly string[]>).set(id(i), g));
    return c;
  });
  return fc.record({ policies: fc.array(aPolicy, { minLength: 1, maxLength: 14 }), party, ctx });
});

/**
 * A chain of `length` re-shares below the primary policy (u0 holds through it, u1 through u0, …),
 * with a few extra re-shares between its members (shortcuts, loops) and conditions on the way.
 */
const deepChains: fc.Arbitrary<Case & { length: number }> = fc.integer({ min: MAX_SHARING_DEPTH - 3, max: MAX_SHARING_DEPTH + 3 }).chain((length) =>
  fc.record({
    scopes: fc.array(fc.subarray(['a', 'b', 'c'], { minLength: 1 }), { minLength: length + 1, maxLength: length + 1 }),
    expiries: fc.array(fc.option(fc.constantFrom(NOW + 100, NOW + 200, NOW + 300), { nil: undefined, freq: 3 }), { minLength: length + 1, maxLength: length + 1 }),
    extra: fc.array(fc.record({ from: fc.nat(length), to: fc.nat(length), scopes: fc.subarray(['a', 'b', 'c'], { minLength: 1 }) }), { maxLength: 4 }),
    // The party near the end of the chain, where the depth limit bites.
    before: fc.nat(5),
  }).map(({ scopes, expiries, extra, before }) => {
    const at = Math.max(0, length - before);
    // User i is named by the primary (i = 0) or by user i − 1; the party is user `at`.
    const permissionsOf = new Map<string, PolicyPermission[]>();
    const add = (owner: string, p: PolicyPermission) => permissionsOf.set(owner, [...(permissionsOf.get(owner) ?? []), p]);
    for (let i = 0; i <= length; i++) {
      const expiresAt = expiries[i];
      add(i === 0 ? OWNER : id(i - 1), expiresAt === undefined ? { subject: username(i), scopes: scopes[i]! } : { subject: username(i), scopes: scopes[i]!, conditions: { expiresAt } });
    }
    for (const e of extra) if (e.from !== e.to) add(id(e.from), { subject: username(e.to), scopes: e.scopes });
    const policies = [...permissionsOf].map(([owner, permissions]) => policy(owner, permissions));
    const sharers = new Map(Array.from({ length: length + 1 }, (_, i) => [id(i), username(i)] as [string, string]));
    return { length, policies, party: { kind: 'user', subject: id(at), username: username(at) }, ctx: { now: NOW, clientId: 'app', sharers } };
  }),
);

/** Shuffles policies deterministically, so that their order is no hint. */
function rotate<T>(list: T[], by: number): T[] {
  return list.length === 0 ? list : [...list.slice(by % list.length), ...list.slice(0, by % list.length)];
}

describe('re-shares: agreement with the depth-first reference', () => {
  it('random graphs: owners, users, groups, conditions, loops, other resources and owners (property)', () => {
    fc.assert(
      fc.property(graphs, ({ policies, party, ctx }) => {
        assert.deepEqual(accessTo(RESOURCE, policies, party, ctx), referenceAccessTo(RESOURCE, policies, party, ctx));
      }),
      { numRuns: 4000 },
    );
  });

  it(`chains around the depth limit (${MAX_SHARING_DEPTH} re-shares) with shortcuts and loops (property)`, () => {
    fc.assert(
      fc.property(deepChains, fc.nat(), ({ policies, party, ctx }, by) => {
        const shuffled = rotate(policies, by);
        assert.deepEqual(accessTo(RESOURCE, shuffled, party, ctx), referenceAccessTo(RESOURCE, shuffled, party, ctx));
      }),
      { numRuns: 400 },
    );
  });

  it(`a plain chain grants down to ${MAX_SHARING_DEPTH} re-shares below the primary, and nothing deeper`, () => {
    const length = MAX_SHARING_DEPTH + 2;
    const policies = Array.from({ length: length + 1 }, (_, i) => policy(i === 0 ? OWNER : id(i - 1), [{ subject: username(i), scopes: ['a'] }]));
    const sharers = new Map(Array.from({ length: length + 1 }, (_, i) => [id(i), username(i)] as [string, string]));
    const at = (i: number) => accessTo(RESOURCE, policies, { kind: 'user', subject: id(i), username: username(i) }, { sharers });
    assert.deepEqual(at(MAX_SHARING_DEPTH).allowed, ['a']);
    assert.deepEqual(at(MAX_SHARING_DEPTH + 1), { allowed: [], mayAccess: false });
    assert.deepEqual(at(MAX_SHARING_DEPTH + 1), referenceAccessTo(RESOURCE, policies, { kind: 'user', subject: id(MAX_SHARING_DEPTH + 1), username: username(MAX_SHARING_DEPTH + 1) }, { sharers }));
  });
});

/**
 * Two accounts per layer, `depth` layers: the primary policy names both of layer 0, each account of
 * layer i re-shares with both of layer i + 1, both of the last layer with Bob. 2^depth chains reach Bob.
 */
function twoWide(depth: number): { policies: Policy[]; sharers: Map<string, string>; edges: number } {
  const layer = (i: number) => [`l${i}a`, `l${i}b`];
  const view = (subject: string): PolicyPermission => ({ subject, scopes: ['a'] });
  const policies = [policy(OWNER, layer(0).map(view))];
  for (let i = 0; i < depth; i++) {
    for (const sharer of layer(i)) policies.push(policy(sharer, i + 1 < depth ? layer(i + 1).map(view) : [view('bob')]));
  }
  const sharers = new Map(Array.from({ length: depth }, (_, i) => layer(i)).flat().map((u) => [u, u] as [string, string]));
  return { policies, sharers, edges: policies.reduce((n, p) => n + p.permissions.length, 0) };
}

const BOB: RequestingParty = { kind: 'user', subject: 'bob-id', username: 'bob' };

describe('re-shares: cost', () => {
  for (const depth of [18, 30]) {
    it(`a two-wide chain ${depth} layers deep (${2 * depth} accounts) takes steps polynomial in its edges`, () => {
      const { policies, sharers, edges } = twoWide(depth);
      const counter = { steps: 0 };
      const access = accessTo(RESOURCE, policies, BOB, { sharers, counter });
      assert.deepEqual(access, { allowed: ['a'], mayAccess: true });
      assert.ok(counter.steps > 0, 'steps are counted');
      // One pass over the edges per layer at most: well within edges², where the walk took 2^depth.
      assert.ok(counter.steps <= edges * (depth + 2), `${counter.steps} steps for ${edges} edges`);
      assert.ok(counter.steps <= edges * edges, `${counter.steps} steps for ${edges} edges`);
    });
  }

  it('the UMA grant\'s decision over a two-wide chain 18 layers deep permits, in steps polynomial in the edges', () => {
    const { policies, sharers, edges } = twoWide(18);
    const counter = { steps: 0 };
    const decision = decide({
      owner: OWNER,
      permissions: [{ resourceId: 'res', scopes: ['a'] }],
      resources: [RESOURCE],
      policies,
      party: BOB,
      clientRegistered: [],
      clientRequested: [],
      accessRequests: false,
      context: { now: NOW, clientId: 'app', resharing: true, sharers, counter },
    });
    assert.deepEqual(decision, { kind: 'permit', permissions: [{ resourceId: 'res', owner: OWNER, resourceServer: 'rs', scopes: ['a'] }] });
    assert.ok(counter.steps > 0 && counter.steps <= edges * (18 + 2), `${counter.steps} steps for ${edges} edges`);
  });

  it('the common case (one primary policy, no re-shares) takes one step per permission', () => {
    const primary = policy(OWNER, [{ subject: 'bob', scopes: ['a'] }, { subject: 'carol', scopes: ['b'] }, { subject: 'group:g0', scopes: ['c'] }]);
    const counter = { steps: 0 };
    assert.deepEqual(accessTo(RESOURCE, primary, BOB, { counter }), { allowed: ['a'], mayAccess: true });
    assert.equal(counter.steps, 3);
  });
});
