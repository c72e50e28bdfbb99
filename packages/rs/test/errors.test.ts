/**
 * The kit's error reporting against a fake AS, through both adapters: `onError` is told every refusal
 * reason with the status the request got (a tokenless challenge is not a refusal reason), a throwing
 * or rejecting `onError` changes nothing, each way discovery, the token endpoint or the permission
 * endpoint can fail has its code, `check()` hands the reason back, and `selfCheck()` rejects with the
 * first problem or resolves with what it found.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createUmaEnforcer, UmaEnforcerError, type UmaEnforcerOptions, type UmaEnforcerErrorCode, type UmaRefusalContext } from '../src/index.ts';
import { FakeAs } from './fake-as.ts';
import { ADAPTERS, assertChallenge, assertMisconfigured, assertTicketUnavailable, assertUnreachable, once, resetFake, RESOURCE } from './fake-world.ts';

const VIEW = [{ resource_id: RESOURCE, resource_scopes: ['view'] }];
const now = () => Math.floor(Date.now() / 1000);

function recorder(): { onError: NonNullable<UmaEnforcerOptions['onError']>; seen: Array<[UmaEnforcerErrorCode, number]>; errors: UmaEnforcerError[]; contexts: UmaRefusalContext[] } {
  const seen: Array<[UmaEnforcerErrorCode, number]> = [];
  const errors: UmaEnforcerError[] = [];
  const contexts: UmaRefusalContext[] = [];
  return {
    seen,
    errors,
    contexts,
    onError: (error, context) => {
      seen.push([error.code, context.status]);
      errors.push(error);
      contexts.push(context);
    },
  };
}

for (const adapter of ADAPTERS) {
  describe(`error reporting (${adapter})`, () => {
    let as: FakeAs;
    before(async () => {
      as = await FakeAs.start();
    });
    beforeEach(() => resetFake(as));
    after(async () => as?.close());

    it('a tokenless challenge is not reported; invalid and insufficient RPTs are, with status 401', async () => {
      const r = recorder();
      const tokenless = await once(adapter, as, undefined, { onError: r.onError });
      assertChallenge(as, tokenless.res, tokenless.app);
      assert.deepEqual(r.seen, []);
      const expired = await once(adapter, as, await as.rpt({ permissions: VIEW, exp: now() - 120 }), { onError: r.onError });
      assertChallenge(as, expired.res, expired.app, 'token_expired');
      const insufficient = await once(adapter, as, await as.rpt({ permissions: [{ resource_id: RESOURCE, resource_scopes: ['pay'] }] }), { onError: r.onError });
      assertChallenge(as, insufficient.res, insufficient.app, 'insufficient_scope');
      assert.deepEqual(r.seen, [['token_expired', 401], ['insufficient_scope', 401]]);
      assert.equal(r.errors[0]!.kind, 'invalid_token');
      assert.ok(r.errors[0]!.cause, 'the jose error');
      assert.equal(r.errors[1]!.kind, 'insufficient_scope');
      assert.match(r.errors[1]!.message, /scopes pay\) lack view/);
      assert.deepEqual({ ...r.contexts[1]!, request: typeof r.contexts[1]!.request }, { resourceId: RESOURCE, scopes: ['view'], request: 'object', status: 401 });
    });

    it('a rejected RPT whose ticket cannot be had reports both reasons with the final status', async () => {
      const r = recorder();
      as.status.permission = 503;
      const { res, app } = await once(adapter, as, await as.rpt({ permissions: VIEW, aud: 'other' }), { onError: r.onError, audience: 'photoz-rs' });
      assertUnreachable(res, app, 'as_server_error');
      assert.deepEqual(r.seen, [['token_audience_mismatch', 403], ['as_server_error', 403]]);
    });

    it('an onError that throws or rejects does not change the answer', async () => {
      for (const onError of [() => { throw new Error('logger down'); }, () => Promise.reject(new Error('logger down'))]) {
        resetFake(as);
        as.status.permission = 500;
        const { res, app } = await once(adapter, as, undefined, { onError });
        assertUnreachable(res, app, 'as_server_error');
      }
    });

    it('discovery: 404 → discovery_not_found; 403, a redirect or not JSON → discovery_invalid; each reported with status 500', async () => {
      for (const [status, code] of [[404, 'discovery_not_found'], [410, 'discovery_not_found'], [403, 'discovery_invalid'], [302, 'discovery_invalid']] as const) {
        resetFake(as);
        as.status.discovery = status;
        const r = recorder();
        const { res, app } = await once(adapter, as, undefined, { onError: r.onError });
        assertMisconfigured(res, app, code);
        assert.deepEqual(r.seen, [[code, 500]]);
        assert.match(r.errors[0]!.message, new RegExp(`HTTP ${status}`));
      }
    });

    it('token endpoint: 401 or 400 invalid_client → invalid_client; another 4xx (e.g. invalid_scope) → pat_request_refused', async () => {
      for (const [status, code] of [[401, 'invalid_client'], [400, 'pat_request_refused'], [403, 'pat_request_refused']] as const) {
        resetFake(as);
        as.status.token = status;
        const { res, app } = await once(adapter, as, undefined);
        assertMisconfigured(res, app, code);
      }
      resetFake(as);
      const { res, app } = await once(adapter, as, undefined, { clientSecret: 'wrong' });
      assertMisconfigured(res, app, 'invalid_client');
    });

    it('permission endpoint: a 4xx other than 401 → 403 ticket_unavailable permission_refused', async () => {
      for (const status of [400, 403, 404]) {
        resetFake(as);
        as.status.permission = status;
        const r = recorder();
        const { res, app } = await once(adapter, as, undefined, { onError: r.onError });
        assertTicketUnavailable(res, app, 'permission_refused');
        assert.deepEqual(r.seen, [['permission_refused', 403]]);
      }
    });
  });
}

describe('check() and selfCheck() against a fake AS', () => {
  let as: FakeAs;
  before(async () => {
    as = await FakeAs.start();
  });
  beforeEach(() => resetFake(as));
  after(async () => as?.close());

  const enforcer = (options: Partial<UmaEnforcerOptions> = {}) => createUmaEnforcer({ issuer: as.issuer, clientId: 'rs', clientSecret: 'rs-secret', timeoutMs: 300, onError: () => {}, ...options });

  it('check() hands back the reason as a UmaEnforcerError', async () => {
    as.status.token = 401;
    const result = await enforcer().check({ resourceId: RESOURCE, scopes: ['view'] });
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.reason instanceof UmaEnforcerError);
    assert.equal(!result.ok && result.reason?.code, 'invalid_client');
    assert.equal(!result.ok && result.status, 500);
    resetFake(as);
    const tokenless = await enforcer().check({ resourceId: RESOURCE, scopes: ['view'] });
    assert.equal(!tokenless.ok && tokenless.status, 401);
    assert.equal(!tokenless.ok && tokenless.reason, undefined);
  });

  it('onError must be a function', () => {
    assert.throws(() => enforcer({ onError: 'log' as never }), /onError must be a function/);
  });

  it('selfCheck resolves with what it found, in both modes', async () => {
    const jwks = await enforcer().selfCheck();
    assert.deepEqual(jwks, {
      issuer: as.issuer,
      verify: 'jwks',
      endpoints: { permission_endpoint: `${as.issuer}/permission`, token_endpoint: `${as.issuer}/token`, introspection_endpoint: `${as.issuer}/introspect`, jwks_uri: `${as.issuer}/jwks` },
      jwksKeys: 1,
      pat: 'client_credentials',
    });
    const introspection = await enforcer().selfCheck({ verify: 'introspection' });
    assert.equal(introspection.introspection, 'accepted');
    assert.equal(as.callsTo('introspect').length, 1);
    assert.equal(introspection.jwksKeys, undefined);
  });

  it('selfCheck rejects with the first problem', async () => {
    const cases: Array<[() => void, UmaEnforcerErrorCode, Partial<UmaEnforcerOptions>]> = [
      [() => { as.status.discovery = 404; }, 'discovery_not_found', {}],
      [() => { as.status.discovery = 500; }, 'as_server_error', {}],
      [() => { as.hang.discovery = true; }, 'as_timeout', {}],
      [() => { as.claimedIssuer = `${as.issuer}/`; }, 'issuer_mismatch', {}],
      [() => { as.status.jwks = 404; }, 'as_bad_response', {}],
      [() => { as.keys = []; }, 'as_bad_response', {}],
      [() => { as.status.token = 401; }, 'invalid_client', {}],
      [() => { as.status.token = 400; }, 'pat_request_refused', {}],
      [() => { as.status.introspect = 403; }, 'introspection_refused', { verify: 'introspection' }],
      [() => { as.introspection.set('steward-rs-self-check-not-a-token', { active: true }); }, 'as_bad_response', { verify: 'introspection' }],
      [() => {}, 'pat_supplier_failed', { pat: () => { throw new Error('no owner'); } }],
    ];
    const keys = as.keys;
    for (const [arrange, code, options] of cases) {
      resetFake(as);
      as.keys = keys;
      arrange();
      await assert.rejects(enforcer(options).selfCheck({ resourceId: RESOURCE }), (e: unknown) => e instanceof UmaEnforcerError && e.code === code, code);
    }
    as.keys = keys;
  });
});
