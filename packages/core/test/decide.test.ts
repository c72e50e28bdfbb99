/** The pure UMA decision (UMA Grant §3.3.4): worked examples and fast-check properties. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkRequestedScopes, decide, mergeGrantedPermissions, recheckPermissions, type DecisionInput, type RequestingParty } from '../src/decision/decide.ts';
import { requestedScopes } from '../src/decision/scopes.ts';
import { isStewardError } from '../src/errors.ts';
import type { Permission } from '../src/model/permission.ts';
import type { Policy, PolicyPermission } from '../src/model/policy.ts';
import type { Resource } from '../src/model/resource.ts';

const OWNER = 'alice-id';
const bob: RequestingParty = { kind: 'user', subject: 'bob-id', username: 'bob' };
const alice: RequestingParty = { kind: 'user', subject: OWNER, username: 'alice' };
const app: RequestingParty = { kind: 'client', subject: 'app' };

function resource(id: string, scopes: string[], owner = OWNER): Resource {
  return { realm: 'r', id, owner, resourceServer: 'rs', name: id, type: null, iconUri: null, description: null, scopes, extra: {}, createdAt: 0, updatedAt: 0 };
}

function policy(id: string, permissions: PolicyPermission[], owner = OWNER): Policy {
  return { realm: 'r', id, owner, rev: '1', permissions, createdAt: 0, updatedAt: 0 };
}

function input(over: Partial<DecisionInput>): DecisionInput {
  return { owner: OWNER, permissions: [], resources: [], policies: [], party: bob, clientRegistered: [], clientRequested: [], accessRequests: false, ...over };
}

const grants = (d: ReturnType<typeof decide>) => (d.kind === 'permit' ? d.permissions.map((p) => [p.resourceId, p.scopes]) : d.kind);

describe('decide: the spec example (album, photo1, photo2)', () => {
  const photo = ['view', 'resize', 'print', 'download'];
  const resources = [resource('album', ['view', 'edit', 'download']), resource('photo1', photo), resource('photo2', photo)];
  const permissions = [
    { resourceId: 'album', scopes: ['edit'] },
    { resourceId: 'photo1', scopes: ['view'] },
    { resourceId: 'photo2', scopes: ['view'] },
  ];
  const base = { resources, permissions, clientRegistered: ['download'], clientRequested: ['download'] };

  it('grants photo1{view} when the policy lets this party view photo1 only (partial grant)', () => {
    const d = decide(input({ ...base, policies: [policy('photo1', [{ subject: 'bob', scopes: ['view'] }])] }));
    assert.deepEqual(grants(d), [['photo1', ['view']]]);
    assert.equal(d.kind === 'permit' && d.permissions[0]!.owner, OWNER);
    assert.equal(d.kind === 'permit' && d.permissions[0]!.resourceServer, 'rs');
  });

  it('records the requested scopes as missing when nothing is allowed and access requests are on', () => {
    const d = decide(input({ ...base, accessRequests: true }));
    assert.equal(d.kind, 'request_submitted');
    assert.deepEqual(
      d.kind === 'request_submitted' && d.requests.map((r) => [r.resourceId, r.scopes]),
      [['album', ['edit', 'download']], ['photo1', ['view', 'download']], ['photo2', ['view', 'download']]],
    );
  });

  it('denies when nothing is allowed and access requests are off (default deny)', () => {
    assert.equal(decide(input(base)).kind, 'deny');
  });

  it('gives the owner everything requested of her own resources, without any policy', () => {
    const d = decide(input({ ...base, party: alice }));
    assert.deepEqual(grants(d), [['album', ['edit', 'download']], ['photo1', ['view', 'download']], ['photo2', ['view', 'download']]]);
  });
});

describe('decide: the Gravitee example (R1{profile}, R2{phone,email,address})', () => {
  const resources = [resource('R1', ['profile']), resource('R2', ['phone', 'email', 'address'])];
  const all = [policy('R1', [{ subject: 'bob', scopes: ['profile'] }]), policy('R2', [{ subject: 'bob', scopes: ['phone', 'email', 'address'] }])];

  it('adds the pre-registered requested scopes only where offered, without duplicates', () => {
    const d = decide(input({
      resources,
      policies: all,
      permissions: [{ resourceId: 'R1', scopes: ['profile'] }, { resourceId: 'R2', scopes: ['email'] }],
      clientRegistered: ['phone', 'address'],
      clientRequested: ['phone', 'address'],
    }));
    assert.deepEqual(grants(d), [['R1', ['profile']], ['R2', ['email', 'phone', 'address']]]);
  });

  it('upgrades an RPT holding R1{profile} with a ticket R2{email} and scope=phone', () => {
    const d = decide(input({ resources, policies: all, permissions: [{ resourceId: 'R2', scopes: ['email'] }], clientRegistered: ['phone', 'address'], clientRequested: ['phone'] }));
    assert.equal(d.kind, 'permit');
    const old = [{ resourceId: 'R1', scopes: ['profile'], owner: OWNER, resourceServer: 'rs' }];
    const recheck = recheckPermissions(old, resources, all, bob);
    assert.equal(recheck.complete, true);
    const merged = mergeGrantedPermissions(recheck.kept, d.kind === 'permit' ? d.permissions : []);
    assert.deepEqual(merged.map((p) => [p.resourceId, p.scopes]), [['R1', ['profile']], ['R2', ['email', 'phone']]]);
  });
});

describe('decide: requesting parties and policies', () => {
  const resources = [resource('doc', ['read', 'write'])];
  const permissions = [{ resourceId: 'doc', scopes: ['read', 'write'] }];

  it('grants a partial RPT (read allowed, write denied)', () => {
    const d = decide(input({ resources, permissions, policies: [policy('doc', [{ subject: 'bob', scopes: ['read'] }])] }));
    assert.deepEqual(grants(d), [['doc', ['read']]]);
  });

  it('matches a client acting for itself by client:{id}, never by its bare id', () => {
    assert.deepEqual(grants(decide(input({ resources, permissions, party: app, policies: [policy('doc', [{ subject: 'client:app', scopes: ['read'] }])] }))), [['doc', ['read']]]);
    assert.equal(decide(input({ resources, permissions, party: app, policies: [policy('doc', [{ subject: 'app', scopes: ['read'] }])] })).kind, 'need_info');
  });

  it('never matches a user by a client subject', () => {
    const odd: RequestingParty = { kind: 'user', subject: 'u', username: 'client:app' };
    assert.equal(decide(input({ resources, permissions, party: odd, policies: [policy('doc', [{ subject: 'client:app', scopes: ['read'] }])] })).kind, 'deny');
  });

  it('answers need_info to a client when the owner shares these resources with users', () => {
    const d = decide(input({ resources, permissions, party: app, accessRequests: true, policies: [policy('doc', [{ subject: 'bob', scopes: ['read'] }])] }));
    assert.equal(d.kind, 'need_info');
  });

  it('records a request for a client when no policy names any user and access requests are on', () => {
    const d = decide(input({ resources, permissions, party: app, accessRequests: true }));
    assert.equal(d.kind, 'request_submitted');
  });

  it('ignores a policy of another owner and policy scopes the resource does not offer', () => {
    assert.equal(decide(input({ resources, permissions, policies: [policy('doc', [{ subject: 'bob', scopes: ['read'] }], 'mallory')] })).kind, 'deny');
    const d = decide(input({ resources, permissions: [{ resourceId: 'doc', scopes: [] }], clientRegistered: ['admin'], clientRequested: ['admin'], policies: [policy('doc', [{ subject: 'bob', scopes: ['admin'] }])] }));
    assert.deepEqual(grants(d), [['doc', []]]);
  });

  it('grants a zero-scope permission when the party may access the resource at all', () => {
    const zero = [{ resourceId: 'doc', scopes: [] }];
    assert.deepEqual(grants(decide(input({ resources, permissions: zero, policies: [policy('doc', [{ subject: 'bob', scopes: ['read'] }])] }))), [['doc', []]]);
    assert.equal(decide(input({ resources, permissions: zero })).kind, 'deny');
    const asked = decide(input({ resources, permissions: zero, accessRequests: true }));
    assert.deepEqual(asked.kind === 'request_submitted' && asked.requests.map((r) => r.scopes), [[]]);
  });

  it('merges a resource named twice in the ticket and skips resources that no longer exist', () => {
    const d = decide(input({
      resources,
      permissions: [{ resourceId: 'doc', scopes: ['read'] }, { resourceId: 'gone', scopes: ['read'] }, { resourceId: 'doc', scopes: ['write', 'read'] }],
      policies: [policy('doc', [{ subject: 'bob', scopes: ['read', 'write'] }])],
    }));
    assert.deepEqual(grants(d), [['doc', ['read', 'write']]]);
  });

  it('checks requested scopes: offered by a ticket resource and pre-registered, else invalid_scope', () => {
    checkRequestedScopes(['read'], resources, ['read']);
    for (const [requested, registered] of [[['print'], ['print']], [['read'], []]] as const) {
      assert.throws(() => checkRequestedScopes(requested, resources, registered), (e) => isStewardError(e) && e.code === 'invalid_scope');
    }
  });
});

describe('recheck of an upgraded RPT', () => {
  const resources = [resource('a', ['x', 'y']), resource('b', ['x'])];
  const old = [
    { resourceId: 'a', scopes: ['x', 'y'], owner: OWNER, resourceServer: 'rs' },
    { resourceId: 'b', scopes: ['x'], owner: OWNER, resourceServer: 'rs' },
  ];

  it('drops a permission whose policy was removed, and narrows one whose policy shrank', () => {
    const r = recheckPermissions(old, resources, [policy('a', [{ subject: 'bob', scopes: ['x'] }])], bob);
    assert.deepEqual(r.kept.map((p) => [p.resourceId, p.scopes]), [['a', ['x']]]);
    assert.equal(r.complete, false);
  });

  it('drops a permission whose resource is gone or changed owner', () => {
    const r = recheckPermissions(old, [resource('a', ['x', 'y'], 'mallory')], [], { kind: 'user', subject: 'mallory', username: 'm' });
    assert.deepEqual(r.kept, []);
    assert.equal(r.complete, false);
  });

  it('keeps everything for the owner', () => {
    const r = recheckPermissions(old, resources, [], alice);
    assert.equal(r.complete, true);
    assert.equal(r.kept.length, 2);
  });
});

// ---- properties ----

const SCOPES = ['a', 'b', 'c', 'd', 'e'];
const scopeSet = fc.subarray(SCOPES);
const SUBJECTS = ['bob', 'carol', 'client:app', 'client:other'];
const parties: RequestingParty[] = [bob, app, alice, { kind: 'user', subject: 'carol-id', username: 'carol' }];

const world = fc
  .array(fc.record({ scopes: scopeSet, policy: fc.option(fc.array(fc.record({ subject: fc.constantFrom(...SUBJECTS), scopes: fc.subarray([...SCOPES, 'z']) }), { maxLength: 3 })) }), { minLength: 1, maxLength: 4 })
  .chain((rs) => {
    const resources = rs.map((r, i) => resource(`r${i}`, r.scopes));
    const policies = rs.flatMap((r, i) => (r.policy ? [policy(`r${i}`, r.policy)] : []));
    const permission = fc.integer({ min: 0, max: rs.length - 1 }).chain((i) => fc.subarray(rs[i]!.scopes).map((scopes): Permission => ({ resourceId: `r${i}`, scopes })));
    return fc.record({
      resources: fc.constant(resources),
      policies: fc.constant(policies),
      permissions: fc.array(permission, { minLength: 1, maxLength: 5 }),
      clientRegistered: scopeSet,
      clientRequested: scopeSet,
      accessRequests: fc.boolean(),
      party: fc.constantFrom(...parties),
    });
  });

function requestedFor(w: DecisionInput, id: string): { ticket: string[]; requested: string[] } {
  const ticket = [...new Set(w.permissions.filter((p) => p.resourceId === id).flatMap((p) => p.scopes))];
  const r = w.resources.find((x) => x.id === id)!;
  return { ticket, requested: requestedScopes(ticket, w.clientRegistered, w.clientRequested, r.scopes) };
}

describe('decide: properties', () => {
  it('granted ⊆ requested ⊆ resource scopes', () => {
    fc.assert(
      fc.property(world, (w0) => {
        const w = input({ ...w0 });
        const d = decide(w);
        if (d.kind !== 'permit') return;
        for (const p of d.permissions) {
          const { requested } = requestedFor(w, p.resourceId);
          const offered = w.resources.find((r) => r.id === p.resourceId)!.scopes;
          assert.ok(p.scopes.every((s) => requested.includes(s)));
          assert.ok(requested.every((s) => offered.includes(s)));
        }
      }),
    );
  });

  it('a scope not in the ticket and not pre-registered by the client never appears', () => {
    fc.assert(
      fc.property(world, (w0) => {
        const w = input({ ...w0 });
        const d = decide(w);
        if (d.kind !== 'permit') return;
        for (const p of d.permissions) {
          const { ticket } = requestedFor(w, p.resourceId);
          for (const s of p.scopes) assert.ok(ticket.includes(s) || (w.clientRegistered.includes(s) && w.clientRequested.includes(s)), s);
        }
      }),
    );
  });

  it('the owner gets everything requested', () => {
    fc.assert(
      fc.property(world, (w0) => {
        const w = input({ ...w0, party: alice });
        const d = decide(w);
        assert.equal(d.kind, 'permit');
        const got = new Map(d.kind === 'permit' ? d.permissions.map((p) => [p.resourceId, p.scopes]) : []);
        for (const id of new Set(w.permissions.map((p) => p.resourceId))) assert.deepEqual(got.get(id), requestedFor(w, id).requested);
      }),
    );
  });

  it('default deny: without policies only the owner is granted anything', () => {
    fc.assert(
      fc.property(world, (w0) => {
        const w = input({ ...w0, policies: [] });
        assert.equal(decide(w).kind === 'permit', w.party.subject === OWNER);
      }),
    );
  });

  it('every granted scope of another party is named for it by the owner’s policy', () => {
    fc.assert(
      fc.property(world, (w0) => {
        const w = input({ ...w0 });
        const d = decide(w);
        if (d.kind !== 'permit' || w.party.subject === OWNER) return;
        const name = w.party.kind === 'user' ? w.party.username : `client:${w.party.subject}`;
        for (const p of d.permissions) {
          const entries = w.policies.find((x) => x.id === p.resourceId)?.permissions.filter((e) => e.subject === name) ?? [];
          assert.ok(entries.length > 0);
          for (const s of p.scopes) assert.ok(entries.some((e) => e.scopes.includes(s)), s);
        }
      }),
    );
  });

  it('a recheck keeps a subset of the old permissions, complete exactly when it keeps them all', () => {
    fc.assert(
      fc.property(world, (w0) => {
        const d = decide(input({ ...w0, party: alice }));
        const old = d.kind === 'permit' ? d.permissions : [];
        const r = recheckPermissions(old, w0.resources, w0.policies, w0.party);
        for (const k of r.kept) {
          const o = old.find((p) => p.resourceId === k.resourceId)!;
          assert.ok(k.scopes.every((s) => o.scopes.includes(s)));
        }
        const whole = r.kept.length === old.length && r.kept.every((k, i) => k.scopes.length === old[i]!.scopes.length);
        assert.equal(r.complete, whole);
      }),
    );
  });
});
