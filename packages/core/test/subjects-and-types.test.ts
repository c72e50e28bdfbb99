/**
 * The pure core: group and organization subjects in the decision (unit and fast-check),
 * the scope model's examples computed through `decide` (the ForgeRock UMA scope model's category table; the Implementer's Guide
 * calendar), resource types' template and private scopes, and the categories as a partition.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decide, namesParty, type DecisionInput, type RequestingParty } from '../src/decision/decide.ts';
import { candidateGrantedScopes, difference, intersect, requestedScopes, union } from '../src/decision/scopes.ts';
import { isStewardError } from '../src/errors.ts';
import type { Policy, PolicyPermission } from '../src/model/policy.ts';
import type { Resource } from '../src/model/resource.ts';
import type { ResourceServerConfig } from '../src/model/resource-server-config.ts';
import { publishedScopes, scopesForType, templateScopesOf } from '../src/services/resource-types.ts';
import { categorize } from '../src/services/scope-categories.ts';

const OWNER = 'alice-id';

function resource(id: string, scopes: string[], owner = OWNER, type: string | null = null): Resource {
  return { realm: 'r', id, owner, resourceServer: 'rs', name: id, type, iconUri: null, description: null, scopes, extra: {}, createdAt: 0, updatedAt: 0 };
}

function policy(id: string, permissions: PolicyPermission[], owner = OWNER): Policy {
  return { realm: 'r', id, owner, rev: '1', permissions, createdAt: 0, updatedAt: 0 };
}

function input(over: Partial<DecisionInput>): DecisionInput {
  return { owner: OWNER, permissions: [], resources: [], policies: [], party: { kind: 'user', subject: 'bob-id', username: 'bob' }, clientRegistered: [], clientRequested: [], accessRequests: false, ...over };
}

const grants = (d: ReturnType<typeof decide>) => (d.kind === 'permit' ? d.permissions.map((p) => [p.resourceId, p.scopes]) : d.kind);

function rejects400(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => isStewardError(e) && e.code === 'invalid_request' && message.test(e.description ?? ''));
}

describe('subjects: users, clients, groups, organizations', () => {
  const bob: RequestingParty = { kind: 'user', subject: 'bob-id', username: 'bob', memberOf: ['group:staff'] };
  const app: RequestingParty = { kind: 'client', subject: 'partner-app', memberOf: ['org:partner'] };

  it('a group names its members only, an organization its clients only', () => {
    assert.equal(namesParty('group:staff', bob), true);
    assert.equal(namesParty('group:other', bob), false);
    assert.equal(namesParty('org:partner', app), true);
    assert.equal(namesParty('org:partner', { kind: 'user', subject: 'u', username: 'org:partner', memberOf: ['org:partner'] }), false);
    assert.equal(namesParty('group:staff', { kind: 'client', subject: 'c', memberOf: ['group:staff'] }), false);
    assert.equal(namesParty('client:partner-app', app), true);
    assert.equal(namesParty('partner-app', app), false);
  });

  it('a prefixed subject never names a user through her username', () => {
    for (const username of ['group:staff', 'org:partner', 'client:partner-app']) {
      assert.equal(namesParty(username, { kind: 'user', subject: 'x', username }), false, username);
    }
  });

  it('property: a user is named exactly by her username or by a group she belongs to', () => {
    const name = fc.stringMatching(/^[a-z]{1,6}$/);
    fc.assert(
      fc.property(name, fc.array(name, { maxLength: 4 }), fc.constantFrom('', 'group:', 'org:', 'client:'), name, (username, groups, prefix, other) => {
        const party: RequestingParty = { kind: 'user', subject: 'id', username, memberOf: groups.map((g) => `group:${g}`) };
        const subject = `${prefix}${other}`;
        const expected = prefix === '' ? other === username : prefix === 'group:' ? groups.includes(other) : false;
        assert.equal(namesParty(subject, party), expected);
      }),
    );
  });

  it('decide grants a group share to members and not to others; an organization share to its clients', () => {
    const r = resource('r1', ['view', 'edit']);
    const policies = [policy('r1', [{ subject: 'group:staff', scopes: ['view'] }, { subject: 'org:partner', scopes: ['edit'] }])];
    const base = { resources: [r], policies, permissions: [{ resourceId: 'r1', scopes: ['view', 'edit'] }] };
    assert.deepEqual(grants(decide(input({ ...base, party: bob }))), [['r1', ['view']]]);
    assert.deepEqual(grants(decide(input({ ...base, party: { kind: 'user', subject: 'carol-id', username: 'carol' } }))), 'deny');
    assert.deepEqual(grants(decide(input({ ...base, party: app }))), [['r1', ['edit']]]);
    assert.deepEqual(grants(decide(input({ ...base, party: { kind: 'client', subject: 'partner-app' } }))), 'need_info');
  });

  it('an organization owns resources like a user: its id is the owner, a partner client is granted by policy', () => {
    const r = resource('ledger', ['read', 'write'], 'org:acme');
    const d = decide(input({ owner: 'org:acme', resources: [r], policies: [policy('ledger', [{ subject: 'org:partner', scopes: ['read'] }], 'org:acme')], permissions: [{ resourceId: 'ledger', scopes: ['read'] }], party: app }));
    assert.deepEqual(grants(d), [['ledger', ['read']]]);
  });
});

describe('the scope model and Implementer\'s Guide examples through decide', () => {
  it('ForgeRock\'s UMA scope model\'s table: template a–d, private e, policy a c d e, request c (+ d from the client) → token c d', () => {
    const r = resource('x', ['a', 'b', 'c', 'd', 'e']);
    const d = decide(input({ resources: [r], policies: [policy('x', [{ subject: 'bob', scopes: ['a', 'c', 'd', 'e'] }])], permissions: [{ resourceId: 'x', scopes: ['c'] }], clientRegistered: ['d'], clientRequested: ['d'] }));
    assert.deepEqual(requestedScopes(['c'], ['d'], ['d'], r.scopes), ['c', 'd']);
    assert.deepEqual(grants(d), [['x', ['c', 'd']]]);
  });

  it('the RPC calendar: ticket freebusy, client asks calendar-read (pre-registered) and calendar-edit (not) → E = freebusy, calendar-read', () => {
    const cal = resource('cal', ['freebusy', 'calendar-read', 'calendar-edit']);
    const E = requestedScopes(['freebusy'], ['calendar-read'], ['calendar-read', 'calendar-edit'], cal.scopes);
    assert.deepEqual(E, ['freebusy', 'calendar-read']);
    assert.deepEqual(candidateGrantedScopes(E, ['freebusy']), ['freebusy']);
    const d = decide(input({ resources: [cal], policies: [policy('cal', [{ subject: 'bob', scopes: ['freebusy'] }])], permissions: [{ resourceId: 'cal', scopes: ['freebusy'] }], clientRegistered: ['calendar-read'], clientRequested: ['calendar-read'] }));
    assert.deepEqual(grants(d), [['cal', ['freebusy']]]);
  });

  it('property: the decision grants exactly E ∩ F per resource for another party (E = C ∪ (A ∩ B ∩ D))', () => {
    const scope = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    const set = fc.uniqueArray(scope, { maxLength: 5 });
    fc.assert(
      fc.property(set.filter((s) => s.length > 0), set, set, set, set, (D, C0, A, B, F0) => {
        const C = intersect(C0, D);
        const F = intersect(F0, D);
        const r = resource('x', D);
        const d = decide(input({ resources: [r], policies: F.length ? [policy('x', [{ subject: 'bob', scopes: F }])] : [], permissions: [{ resourceId: 'x', scopes: C }], clientRegistered: A, clientRequested: B }));
        const E = union(C, intersect(intersect(B, A), D));
        const G = intersect(E, F);
        if (G.length > 0) assert.deepEqual(d.kind === 'permit' ? [...d.permissions[0]!.scopes].sort() : null, [...G].sort());
        else assert.ok(d.kind !== 'permit' || (C.length === 0 && d.permissions[0]!.scopes.length === 0));
      }),
    );
  });
});

describe('resource types: template and private scopes', () => {
  const config: ResourceServerConfig = {
    realm: 'r',
    resourceServer: 'rs',
    scopes: { meta: { description: 'm' }, content: { description: 'c' }, print: { description: 'p' }, download: { description: 'd' } },
    types: { healthcare: { scopes: ['meta', 'content', 'print'] }, finance: { scopes: [] } },
    updatedAt: 0,
  };

  it('no scopes → the template; listed scopes stand; unknown type, published private scope and empty template refused', () => {
    assert.deepEqual(scopesForType(config, 'healthcare', []), ['meta', 'content', 'print']);
    assert.deepEqual(scopesForType(config, 'healthcare', ['meta', 'e', 'e']), ['meta', 'e']);
    assert.deepEqual(scopesForType(null, 'anything', ['x']), ['x']);
    assert.deepEqual(scopesForType(config, null, ['download']), ['download']);
    rejects400(() => scopesForType(config, 'sports', []), /Unknown resource type 'sports' for resource server rs \(its types: finance, healthcare\)/);
    rejects400(() => scopesForType(config, 'healthcare', ['meta', 'download']), /Scope 'download' is published/);
    rejects400(() => scopesForType(config, 'finance', []), /Resource type 'finance' has no template scopes/);
    rejects400(() => scopesForType(null, null, []), /at least one scope/);
    assert.deepEqual(templateScopesOf(config, 'finance'), []);
    assert.deepEqual(templateScopesOf(config, 'nonesuch'), []);
    assert.deepEqual(publishedScopes(config), ['meta', 'content', 'print', 'download']);
  });

  it('property: a typed registration keeps private scopes unpublished, and the categories partition the registered scopes', () => {
    const name = fc.constantFrom('meta', 'content', 'print', 'download', 'e', 'f', 'g');
    fc.assert(
      fc.property(fc.uniqueArray(name, { maxLength: 6 }), fc.constantFrom('healthcare', 'finance'), (listed, type) => {
        let scopes: string[];
        try {
          scopes = scopesForType(config, type, listed);
        } catch (e) {
          assert.ok(isStewardError(e) && e.code === 'invalid_request');
          return;
        }
        const template = templateScopesOf(config, type);
        if (listed.length === 0) assert.deepEqual(scopes, template);
        const c = categorize(resource('x', scopes, OWNER, type), config);
        assert.deepEqual(intersect(c.private, publishedScopes(config)), []);
        assert.deepEqual([...union(intersect(c.registered, c.template), c.private)].sort(), [...c.registered].sort());
        assert.deepEqual(intersect(c.private, c.template), []);
        assert.deepEqual(difference(c.private, c.registered), []);
      }),
    );
  });
});
