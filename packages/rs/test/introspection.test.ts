/**
 * RPT verification by introspection against a fake AS, through both adapters: the request (token form,
 * PAT bearer), active answers cached until min(ttl, exp) in a bounded LRU, inactive or insufficient
 * answers challenged, AS failures answered 403 + Warning, and the per-rule override of the mode.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createUmaEnforcer, type UmaEnforcerErrorCode } from '../src/index.ts';
import { expressApp, fastifyApp } from './apps.ts';
import { FakeAs } from './fake-as.ts';
import { ADAPTERS, assertChallenge, assertMisconfigured, assertPass, assertTicketUnavailable, assertUnreachable, once, protect, resetFake, RESOURCE } from './fake-world.ts';

const VIEW = [{ resource_id: RESOURCE, resource_scopes: ['view'] }];
const now = () => Math.floor(Date.now() / 1000);
const active = (extra: Record<string, unknown> = {}) => ({ active: true, sub: 'bob-id', client_id: 'bob-client', exp: now() + 300, permissions: VIEW, ...extra });
const INTROSPECT = { verify: 'introspection' } as const;

for (const adapter of ADAPTERS) {
  describe(`introspection verification (${adapter})`, () => {
    let as: FakeAs;
    before(async () => {
      as = await FakeAs.start();
    });
    beforeEach(() => resetFake(as));
    after(async () => as?.close());

    it('passes an active RPT, introspected with the PAT, and gives the handler the answer', async () => {
      as.introspection.set('rpt-1', active());
      const { res, app } = await once(adapter, as, 'rpt-1', INTROSPECT);
      assertPass(res, app);
      assert.deepEqual(app.seen[0], { rpt: 'rpt-1', subject: 'bob-id', clientId: 'bob-client', permissions: VIEW, granted: { resourceId: RESOURCE, scopes: ['view'] } });
      const [call] = as.callsTo('introspect');
      assert.match(call!.authorization!, /^Bearer pat-\d+$/);
      assert.deepEqual(Object.fromEntries(new URLSearchParams(call!.body)), { token: 'rpt-1', token_type_hint: 'access_token' });
    });

    it('challenges an inactive RPT', async () => {
      const { res, app } = await once(adapter, as, 'rpt-unknown', INTROSPECT);
      assertChallenge(as, res, app, 'token_inactive');
    });

    it('challenges active answers that do not grant: other resource or scope, expired permission or token, other issuer or audience', async () => {
      const answers: Array<[Record<string, unknown>, UmaEnforcerErrorCode]> = [
        [active({ permissions: [{ resource_id: 'album-2', resource_scopes: ['view'] }] }), 'insufficient_scope'],
        [active({ permissions: [{ resource_id: RESOURCE, resource_scopes: ['pay'] }] }), 'insufficient_scope'],
        [active({ permissions: [{ resource_id: RESOURCE, resource_scopes: ['view'], exp: now() - 120 }] }), 'insufficient_scope'],
        [active({ exp: now() - 120 }), 'token_expired'],
        [active({ iss: 'https://evil.example' }), 'token_issuer_mismatch'],
        [active({ permissions: undefined, scope: 'view' }), 'insufficient_scope'],
        [active({ nbf: now() + 600 }), 'token_not_yet_valid'],
        [active({ token_type: 'refresh_token' }), 'token_type_invalid'],
      ];
      for (const [answer, code] of answers) {
        resetFake(as);
        as.introspection.set('rpt-x', answer);
        const { res, app } = await once(adapter, as, 'rpt-x', INTROSPECT);
        assertChallenge(as, res, app, code);
      }
      resetFake(as);
      as.introspection.set('rpt-aud', active({ aud: 'another-rs' }));
      const { res, app } = await once(adapter, as, 'rpt-aud', { ...INTROSPECT, audience: 'photoz-rs' });
      assertChallenge(as, res, app, 'token_audience_mismatch');
    });

    it('caches an active answer: a revoked RPT still passes until the cache entry ends', async () => {
      as.introspection.set('rpt-2', active());
      const app = await protect(adapter, as, INTROSPECT);
      try {
        assert.equal((await app.call('GET', `/albums/${RESOURCE}`, { rpt: 'rpt-2' })).status, 200);
        as.introspection.delete('rpt-2');
        assert.equal((await app.call('GET', `/albums/${RESOURCE}`, { rpt: 'rpt-2' })).status, 200);
        assert.equal(as.callsTo('introspect').length, 1);
        assert.equal(app.seen.length, 2);
      } finally {
        await app.close();
      }
    });

    it('does not cache inactive answers, nor with ttl 0, and evicts the least recently used entry', async () => {
      const noTtl = await protect(adapter, as, { ...INTROSPECT, introspectionCache: { ttlSeconds: 0 } });
      try {
        as.introspection.set('rpt-3', active());
        for (let i = 0; i < 2; i++) assert.equal((await noTtl.call('GET', `/albums/${RESOURCE}`, { rpt: 'rpt-3' })).status, 200);
        for (let i = 0; i < 2; i++) assert.equal((await noTtl.call('GET', `/albums/${RESOURCE}`, { rpt: 'rpt-4' })).status, 401);
        assert.equal(as.callsTo('introspect').length, 4);
      } finally {
        await noTtl.close();
      }
      resetFake(as);
      const small = await protect(adapter, as, { ...INTROSPECT, introspectionCache: { maxEntries: 1, ttlSeconds: 60 } });
      try {
        as.introspection.set('rpt-a', active());
        as.introspection.set('rpt-b', active());
        for (const rpt of ['rpt-a', 'rpt-a', 'rpt-b', 'rpt-a']) assert.equal((await small.call('GET', `/albums/${RESOURCE}`, { rpt })).status, 200);
        assert.deepEqual(as.callsTo('introspect').map((c) => new URLSearchParams(c.body).get('token')), ['rpt-a', 'rpt-b', 'rpt-a']);
      } finally {
        await small.close();
      }
    });

    it('introspection failing (500, timeout) → 403 + Warning', async () => {
      as.introspection.set('rpt-5', active());
      as.status.introspect = 500;
      const failing = await once(adapter, as, 'rpt-5', INTROSPECT);
      assertUnreachable(failing.res, failing.app, 'as_server_error');
      resetFake(as);
      as.introspection.set('rpt-5', active());
      as.hang.introspect = true;
      const slow = await once(adapter, as, 'rpt-5', { ...INTROSPECT, timeoutMs: 150 });
      assertUnreachable(slow.res, slow.app, 'as_timeout');
    });

    it('introspection refusing the PAT twice → 403 pat_rejected; refusing to introspect (403) → 500 introspection_refused', async () => {
      as.introspection.set('rpt-7', active());
      as.status.introspect = 401;
      const rejected = await once(adapter, as, 'rpt-7', INTROSPECT);
      assertTicketUnavailable(rejected.res, rejected.app, 'pat_rejected');
      assert.equal(as.callsTo('introspect').length, 2);
      resetFake(as);
      as.introspection.set('rpt-7', active());
      as.status.introspect = 403;
      const forbidden = await once(adapter, as, 'rpt-7', INTROSPECT);
      assertMisconfigured(forbidden.res, forbidden.app, 'introspection_refused');
    });

    it('the PAT refused by the introspection endpoint is replaced once', async () => {
      as.introspection.set('rpt-6', active());
      const app = await protect(adapter, as, INTROSPECT);
      try {
        assert.equal((await app.call('GET', `/albums/${RESOURCE}`)).status, 401);
        as.validPats.clear();
        assert.equal((await app.call('GET', `/albums/${RESOURCE}`, { rpt: 'rpt-6' })).status, 200);
        assert.equal(as.callsTo('token').length, 2);
        assert.equal(as.callsTo('introspect').length, 2);
      } finally {
        await app.close();
      }
    });

    it('a rule may choose the mode: introspection by rule while the enforcer defaults to JWKS', async () => {
      as.introspection.set('opaque-rpt', active());
      const jwksOnly = await once(adapter, as, 'opaque-rpt');
      assertChallenge(as, jwksOnly.res, jwksOnly.app, 'token_malformed');
      const enforcer = createUmaEnforcer({ issuer: as.issuer, realm: 'photos', clientId: 'rs', clientSecret: 'rs-secret', timeoutMs: 300 });
      const app = adapter === 'fastify' ? await fastifyApp(enforcer, 'introspection') : await expressApp(enforcer, 'introspection');
      try {
        assertPass(await app.call('GET', `/albums/${RESOURCE}`, { rpt: 'opaque-rpt' }), app);
        assert.equal(as.callsTo('introspect').length, 1);
      } finally {
        await app.close();
      }
    });
  });
}
