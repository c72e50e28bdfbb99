/**
 * @module test/uma-grant/policy-chain
 * The pure assessment of conditions and re-share chains (decision/decide.ts): what the API cannot
 * produce (a loop, a chain deeper than the limit, a sharer whose account is gone) is still guarded at
 * evaluation, and expiries and client restrictions follow the chain.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accessTo, decide, MAX_SHARING_DEPTH, type EvaluationContext, type Policy, type PolicyPermission, type RequestingParty, type Resource } from '@steward/core';

const NOW = 1_000_000;
const resource: Resource = {
  realm: 'r', id: 'doc', owner: 'alice', resourceServer: 'rs', name: null, type: null, iconUri: null, description: null, scopes: ['view', 'comment'], extra: {}, createdAt: 0, updatedAt: 0,
};
const user = (name: string): RequestingParty => ({ kind: 'user', subject: name, username: name });

function policy(owner: string, permissions: PolicyPermission[]): Policy {
  const p: Policy = { realm: 'r', id: 'doc', owner, rev: owner, permissions, createdAt: 0, updatedAt: 0 };
  if (owner !== 'alice') p.resourceOwner = 'alice';
  return p;
}

/** Sharers are their own usernames here (user id = username). */
function ctx(policies: Policy[], over: EvaluationContext = {}): EvaluationContext {
  return { now: NOW, clientId: 'app', resharing: true, sharers: new Map(policies.map((p) => [p.owner, p.owner])), ...over };
}

describe('policy conditions and re-share chains (pure)', () => {
  it('a re-share grants what its owner holds, scope by scope, and expires with the upstream', () => {
    const chain = [
      policy('alice', [{ subject: 'bob', scopes: ['view', 'comment'], conditions: { expiresAt: NOW + 50 } }]),
      policy('bob', [{ subject: 'carol', scopes: ['view'], conditions: { expiresAt: NOW + 500 } }, { subject: 'carol', scopes: ['comment'] }]),
    ];
    assert.deepEqual(accessTo(resource, chain, user('carol'), ctx(chain)), { allowed: ['view', 'comment'], mayAccess: true, exp: NOW + 50 });
    assert.deepEqual(accessTo(resource, chain, user('carol'), ctx(chain, { now: NOW + 50 })), { allowed: [], mayAccess: false });
    // Without the primary nothing below holds; with re-sharing off neither.
    assert.equal(accessTo(resource, chain.slice(1), user('carol'), ctx(chain)).mayAccess, false);
    assert.equal(accessTo(resource, chain, user('carol'), ctx(chain, { resharing: false })).mayAccess, false);
    assert.equal(accessTo(resource, chain, user('bob'), ctx(chain, { resharing: false })).mayAccess, true);
    // A sharer whose account is gone (no username loaded) passes nothing on.
    assert.equal(accessTo(resource, chain, user('carol'), ctx(chain, { sharers: new Map() })).mayAccess, false);
  });

  it('a re-share never widens: scopes its owner lacks are dropped', () => {
    const chain = [policy('alice', [{ subject: 'bob', scopes: ['view'] }]), policy('bob', [{ subject: 'carol', scopes: ['view', 'comment'] }])];
    assert.deepEqual(accessTo(resource, chain, user('carol'), ctx(chain)).allowed, ['view']);
  });

  it('a ClientId condition anywhere on the chain binds the client of the party below', () => {
    const chain = [policy('alice', [{ subject: 'bob', scopes: ['view'], conditions: { clientIds: ['app'] } }]), policy('bob', [{ subject: 'carol', scopes: ['view'] }])];
    assert.equal(accessTo(resource, chain, user('carol'), ctx(chain)).mayAccess, true);
    assert.equal(accessTo(resource, chain, user('carol'), ctx(chain, { clientId: 'other' })).mayAccess, false);
    assert.equal(accessTo(resource, chain, user('carol'), ctx(chain, { clientId: undefined })).mayAccess, false);
    assert.equal(accessTo(resource, chain, user('carol'), ctx(chain, { clientId: undefined, anyClient: true })).mayAccess, true);
  });

  it('an Expiration without a clock never holds (fails closed)', () => {
    const chain = [policy('alice', [{ subject: 'bob', scopes: ['view'], conditions: { expiresAt: NOW + 50 } }])];
    assert.equal(accessTo(resource, chain, user('bob'), ctx(chain, { now: undefined })).mayAccess, false);
  });

  it('a loop grants nothing to those outside the primary chain and terminates', () => {
    const loop = [policy('bob', [{ subject: 'carol', scopes: ['view'] }]), policy('carol', [{ subject: 'bob', scopes: ['view'] }])];
    assert.equal(accessTo(resource, loop, user('carol'), ctx(loop)).mayAccess, false);
    const rooted = [policy('alice', [{ subject: 'bob', scopes: ['view'] }]), ...loop];
    assert.deepEqual(accessTo(resource, rooted, user('carol'), ctx(rooted)).allowed, ['view']);
    assert.deepEqual(accessTo(resource, rooted, user('bob'), ctx(rooted)).allowed, ['view']);
  });

  it(`chains deeper than ${MAX_SHARING_DEPTH} re-shares grant nothing below the limit`, () => {
    const names = Array.from({ length: MAX_SHARING_DEPTH + 3 }, (_, i) => `u${i}`);
    const chain = [policy('alice', [{ subject: names[0]!, scopes: ['view'] }]), ...names.slice(0, -1).map((n, i) => policy(n, [{ subject: names[i + 1]!, scopes: ['view'] }]))];
    assert.equal(accessTo(resource, chain, user(names[5]!), ctx(chain)).mayAccess, true);
    assert.equal(accessTo(resource, chain, user(names.at(-1)!), ctx(chain)).mayAccess, false);
  });

  it('decide sets exp on the granted permission from the Expiration', () => {
    const chain = [policy('alice', [{ subject: 'bob', scopes: ['view'], conditions: { expiresAt: NOW + 9 } }])];
    const d = decide({ owner: 'alice', permissions: [{ resourceId: 'doc', scopes: ['view'] }], resources: [resource], policies: chain, party: user('bob'), clientRegistered: [], clientRequested: [], accessRequests: false, context: ctx(chain) });
    assert.equal(d.kind, 'permit');
    assert.deepEqual(d.kind === 'permit' ? d.permissions : null, [{ resourceId: 'doc', scopes: ['view'], owner: 'alice', resourceServer: 'rs', exp: NOW + 9 }]);
  });
});
