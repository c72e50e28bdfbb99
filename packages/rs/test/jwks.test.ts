/**
 * RPT verification by JWKS against a fake AS, through both adapters: forged, expired, not yet valid,
 * wrong audience, wrongly signed, `alg: none`, wrong issuer or `typ`, and RPTs for another resource or
 * scope are all answered with a challenge (never a pass); an unknown kid refetches the JWKS at most once
 * per cooldown; a rotated key is accepted after one refetch.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { UmaEnforcerErrorCode } from '../src/index.ts';
import { FakeAs, newKey } from './fake-as.ts';
import { ADAPTERS, assertChallenge, assertPass, once, protect, resetFake, RESOURCE } from './fake-world.ts';

const VIEW = [{ resource_id: RESOURCE, resource_scopes: ['view'] }];
const now = () => Math.floor(Date.now() / 1000);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

for (const adapter of ADAPTERS) {
  describe(`JWKS verification (${adapter})`, () => {
    let as: FakeAs;
    before(async () => {
      as = await FakeAs.start();
    });
    beforeEach(() => resetFake(as));
    after(async () => as?.close());

    it('passes a valid RPT and gives the handler its claims', async () => {
      const rpt = await as.rpt({ permissions: VIEW });
      const { res, app } = await once(adapter, as, rpt);
      assertPass(res, app);
      assert.deepEqual(app.seen[0], { rpt, subject: 'bob-id', clientId: 'bob-client', permissions: VIEW, granted: { resourceId: RESOURCE, scopes: ['view'] } });
      assert.equal(as.callsTo('permission').length, 0);
    });

    it('challenges a forged RPT (payload changed after signing)', async () => {
      const [h, , sig] = (await as.rpt({ permissions: [] })).split('.');
      const { res, app } = await once(adapter, as, `${h}.${b64({ iss: as.issuer, exp: now() + 300, permissions: VIEW })}.${sig}`);
      assertChallenge(as, res, app, 'token_signature_invalid');
    });

    it('challenges an RPT expired beyond the tolerance, passes one within it', async () => {
      const expired = await once(adapter, as, await as.rpt({ permissions: VIEW, exp: now() - 120 }), { clockToleranceSeconds: 30 });
      assertChallenge(as, expired.res, expired.app, 'token_expired');
      const skewed = await once(adapter, as, await as.rpt({ permissions: VIEW, exp: now() - 5 }), { clockToleranceSeconds: 30 });
      assertPass(skewed.res, skewed.app);
    });

    it('challenges an RPT whose nbf is in the future', async () => {
      const { res, app } = await once(adapter, as, await as.rpt({ permissions: VIEW, nbf: now() + 600 }));
      assertChallenge(as, res, app, 'token_not_yet_valid');
    });

    it('checks the audience only when configured', async () => {
      const rpt = await as.rpt({ permissions: VIEW, aud: 'another-rs' });
      const wrong = await once(adapter, as, rpt, { audience: 'photoz-rs' });
      assertChallenge(as, wrong.res, wrong.app, 'token_audience_mismatch');
      const unchecked = await once(adapter, as, rpt);
      assertPass(unchecked.res, unchecked.app);
      const right = await once(adapter, as, await as.rpt({ permissions: VIEW, aud: ['x', 'photoz-rs'] }), { audience: 'photoz-rs' });
      assertPass(right.res, right.app);
    });

    it('challenges an RPT signed by another key under a published kid', async () => {
      const impostor = await newKey(as.keys[0]!.kid);
      const { res, app } = await once(adapter, as, await as.rpt({ permissions: VIEW }, { key: impostor }));
      assertChallenge(as, res, app, 'token_signature_invalid');
    });

    it('challenges an unsigned RPT (alg none)', async () => {
      const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: as.issuer, exp: now() + 300, permissions: VIEW })}.`;
      const { res, app } = await once(adapter, as, unsigned);
      assertChallenge(as, res, app, 'token_algorithm_not_allowed');
    });

    it('challenges an RPT of another issuer, of a typ other than Bearer, or without exp', async () => {
      const cases: Array<[Record<string, unknown>, UmaEnforcerErrorCode]> = [
        [{ iss: 'http://127.0.0.1:1/realms/other' }, 'token_issuer_mismatch'],
        [{ typ: 'Refresh' }, 'token_type_invalid'],
        [{ typ: 'ID' }, 'token_type_invalid'],
        [{ exp: undefined }, 'token_claims_invalid'],
      ];
      for (const [claims, code] of cases) {
        const { res, app } = await once(adapter, as, await as.rpt({ permissions: VIEW, ...claims }));
        assertChallenge(as, res, app, code);
      }
    });

    it('challenges an RPT for another resource, another scope, or an expired permission, asking for exactly what is needed', async () => {
      const cases = [
        [{ resource_id: 'album-2', resource_scopes: ['view'] }],
        [{ resource_id: RESOURCE, resource_scopes: ['pay'] }],
        [{ resource_id: RESOURCE, resource_scopes: ['view'], exp: now() - 120 }],
        [{ resource_id: RESOURCE, resource_scopes: 'view' }],
      ];
      for (const permissions of cases) {
        const { res, app } = await once(adapter, as, await as.rpt({ permissions }));
        assertChallenge(as, res, app, 'insufficient_scope');
      }
    });

    it('an unknown kid refetches the JWKS at most once per cooldown', async () => {
      const stranger = await newKey('stranger');
      const first = await once(adapter, as, await as.rpt({ permissions: VIEW }, { key: stranger }));
      assertChallenge(as, first.res, first.app, 'token_unknown_key');
      // The fresh enforcer fetched the set once, finding no such kid (it is within the cooldown).
      assert.equal(as.callsTo('jwks').length, 1);
      const app = await protect(adapter, as);
      try {
        for (let i = 0; i < 3; i++) {
          const res = await app.call('GET', `/albums/${RESOURCE}`, { rpt: await as.rpt({ permissions: VIEW }, { key: stranger }) });
          assert.equal(res.status, 401);
        }
        // Another enforcer: one fetch on first use, then no refetch for the unknown kid within the cooldown.
        assert.equal(as.callsTo('jwks').length, 2);
        assert.equal(app.seen.length, 0);
      } finally {
        await app.close();
      }
    });

    it('accepts a rotated key after one refetch', async () => {
      const app = await protect(adapter, as, { jwksCooldownSeconds: 0 });
      const original = as.keys;
      try {
        assert.equal((await app.call('GET', `/albums/${RESOURCE}`, { rpt: await as.rpt({ permissions: VIEW }) })).status, 200);
        assert.equal(as.callsTo('jwks').length, 1);
        const rotated = await newKey('key-2');
        as.keys = [rotated];
        const res = await app.call('GET', `/albums/${RESOURCE}`, { rpt: await as.rpt({ permissions: VIEW }) });
        assert.equal(res.status, 200, JSON.stringify(res.json));
        assert.equal(as.callsTo('jwks').length, 2);
        assert.equal(app.seen.length, 2);
        // The retired key is gone from the set: its tokens no longer pass.
        const old = await app.call('GET', `/albums/${RESOURCE}`, { rpt: await as.rpt({ permissions: VIEW }, { key: original[0]! }) });
        assert.equal(old.status, 401);
        assert.equal(app.seen.length, 2);
      } finally {
        as.keys = original;
        await app.close();
      }
    });
  });
}
