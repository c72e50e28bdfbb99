/**
 * The UMA grant at the token endpoint (UMA Grant §3.3.1–§3.3.6), on both stores: request syntax,
 * single-use and expiring tickets, scope rules and the set math, partial grants, the owner, a client
 * acting for itself, a public client, and one ticket raced twenty times.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UMA_GRANT_TYPE } from '@steward/core';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO } from '../helpers/http.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { assertError, ID_TOKEN, OIDC_ID_TOKEN, payload, rptPermissions, UmaWorld } from './fixture.ts';

const GRAVITEE = { id: 'gravitee-app', secret: 'gravitee-app-secret' };
const PUBLIC = { id: 'public-app' };

for (const dialect of dialects) {
  describe(`UMA grant (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    const clock = new TestClock();

    before(async () => {
      s = await startTestSteward(dialect, { clock });
      w = new UmaWorld(s);
      await addClient(s.deps, 'demo', { clientId: GRAVITEE.id, secret: GRAVITEE.secret, grantTypes: [UMA_GRANT_TYPE], umaScopes: ['phone', 'address'] });
      await addClient(s.deps, 'demo', { clientId: PUBLIC.id, grantTypes: [UMA_GRANT_TYPE], rptRefreshTokens: false });
    });
    after(async () => s?.close());

    it('rejects a request without ticket, or with claim_token and claim_token_format unpaired, without spending the ticket', async () => {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const t = await w.ticket('alice', [[r, ['view']]]);
      assertError(await w.grant({}), 400, 'invalid_request');
      assertError(await w.grant({ ticket: t, claim_token: await w.idToken('bob') }), 400, 'invalid_request');
      assertError(await w.grant({ ticket: t, claim_token_format: ID_TOKEN }), 400, 'invalid_request');
      assertError(await w.grant({ ticket: [t, t] }), 400, 'invalid_request');
      const ok = await w.grantAs('bob', { ticket: t });
      assert.equal(ok.status, 200, ok.body);
    });

    it('rejects an unknown ticket with invalid_grant and bad client credentials with invalid_client', async () => {
      assertError(await w.grant({ ticket: 'no-such-ticket' }), 400, 'invalid_grant');
      const r = await w.resource('alice', ['view']);
      const t = await w.ticket('alice', [[r, ['view']]]);
      assertError(await w.grant({ ticket: t }, { id: DEMO.client.id, secret: 'wrong' }), 401, 'invalid_client');
    });

    it('issues an RPT with permissions, a refresh token and a PCT, and never a scope (grant-all policy)', async () => {
      const r = await w.resource('alice', ['view', 'print']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view', 'print'] }]);
      const res = await w.grant({ ticket: await w.ticket('alice', [[r, ['view', 'print']]]), claim_token: await w.idToken('bob'), claim_token_format: OIDC_ID_TOKEN });
      assert.equal(res.status, 200, res.body);
      assert.match(String(res.headers['cache-control']), /no-store/);
      assert.equal(res.headers.pragma, 'no-cache');
      assert.equal(res.json.token_type, 'Bearer');
      assert.equal(res.json.expires_in, 300);
      assert.equal(res.json.scope, undefined);
      assert.equal(res.json.upgraded, undefined);
      assert.ok(res.json.refresh_token && res.json.pct);
      const claims = payload(res.json.access_token);
      assert.equal(claims.sub, await w.userId('bob'));
      // RFC 9068 §3: addressed to the resource server holding the resource; the client is the authorized party.
      assert.equal(claims.aud, DEMO.rs.id);
      assert.equal(claims.azp, DEMO.client.id);
      assert.equal(claims.iss, w.issuer);
      assert.equal(claims.scope, undefined);
      assert.deepEqual(rptPermissions(res.json.access_token), [[r, ['view', 'print']]]);
      const refresh = await w.record(res.json.refresh_token);
      assert.equal(refresh?.kind, 'refresh');
      assert.equal(refresh?.grantId, (await w.record(res.json.access_token))?.grantId);
      assert.deepEqual(refresh?.data.permissions?.map((p) => [p.resourceId, p.scopes]), [[r, ['view', 'print']]]);
      const pct = await w.record(res.json.pct);
      assert.equal(pct?.kind, 'pct');
      assert.equal(pct?.clientId, DEMO.client.id);
      const seen = await w.introspect(res.json.access_token);
      assert.equal(seen.json.active, true);
      assert.equal(seen.json.scope, undefined);
      assert.deepEqual(seen.json.permissions.map((p: any) => [p.resource_id, p.resource_scopes]), [[r, ['view', 'print']]]);
      assert.equal(seen.json.aud, DEMO.rs.id);
      assert.equal(seen.json.azp, DEMO.client.id);
      assert.equal(seen.json.client_id, DEMO.client.id);
    });

    it('redeems a ticket once: a second use is invalid_grant', async () => {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const t = await w.ticket('alice', [[r, ['view']]]);
      assert.equal((await w.grantAs('bob', { ticket: t })).status, 200);
      assertError(await w.grantAs('bob', { ticket: t }), 400, 'invalid_grant');
    });

    it('refuses a ticket with its id and a forged secret, or another form of it, and leaves the real one unspent', async () => {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const t = await w.ticket('alice', [[r, ['view']]]);
      const [id, secret] = t.split('.') as [string, string];
      const flipped = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
      for (const forged of [`${id}.${flipped}`, `${id}.`, id, `${id}.${secret}.${secret}`, `${id.toUpperCase()}.${secret}`, `${id}.${secret}x`, `${id}.${secret.repeat(12)}`]) {
        assertError(await w.grantAs('bob', { ticket: forged }), 400, 'invalid_grant');
      }
      assert.equal((await w.grantAs('bob', { ticket: t })).status, 200, 'the real ticket still works once');
    });

    it('refuses an expired ticket with invalid_grant', async () => {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const t = await w.ticket('alice', [[r, ['view']]]);
      clock.advance(301);
      assertError(await w.grantAs('bob', { ticket: t }), 400, 'invalid_grant');
    });

    it('answers invalid_scope for a scope no ticket resource offers, or one the client did not pre-register, and spends the ticket', async () => {
      const r = await w.resource('alice', ['view', 'download', 'print']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view', 'download', 'print'] }]);
      const t = await w.ticket('alice', [[r, ['view']]]);
      assertError(await w.grantAs('bob', { ticket: t, scope: 'delete' }), 400, 'invalid_scope');
      assertError(await w.grantAs('bob', { ticket: t }), 400, 'invalid_grant');
      assertError(await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view']]]), scope: 'print' }), 400, 'invalid_scope');
      const ok = await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view']]]), scope: 'download' });
      assert.equal(ok.status, 200, ok.body);
      assert.deepEqual(rptPermissions(ok.json.access_token), [[r, ['view', 'download']]]);
    });

    it('adds pre-registered requested scopes only to resources offering them (R1{profile}, R2{phone,email,address})', async () => {
      const r1 = await w.resource('alice', ['profile']);
      const r2 = await w.resource('alice', ['phone', 'email', 'address']);
      await w.share('alice', r1, [{ subject: 'bob', scopes: ['profile'] }]);
      await w.share('alice', r2, [{ subject: 'bob', scopes: ['phone', 'email', 'address'] }]);
      const t = await w.ticket('alice', [[r1, ['profile']], [r2, ['email']]]);
      const res = await w.grantAs('bob', { ticket: t, scope: 'phone address' }, GRAVITEE);
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(rptPermissions(res.json.access_token), [[r1, ['profile']], [r2, ['email', 'phone', 'address']]]);
      assert.equal(res.json.upgraded, undefined);
    });

    it('merges a resource named twice in the ticket, without duplicate scopes', async () => {
      const r = await w.resource('alice', ['a', 'b']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['a', 'b'] }]);
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['a']], [r, ['b', 'a']]]) });
      assert.deepEqual(rptPermissions(res.json.access_token), [[r, ['a', 'b']]]);
    });

    it('grants part of the request (READ allowed, WRITE denied) and drops resources granted nothing', async () => {
      const doc = await w.resource('alice', ['read', 'write']);
      const other = await w.resource('alice', ['read']);
      await w.share('alice', doc, [{ subject: 'bob', scopes: ['read'] }, { subject: 'chris', scopes: ['write'] }]);
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[doc, ['read', 'write']], [other, ['read']]]) });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(rptPermissions(res.json.access_token), [[doc, ['read']]]);
    });

    it('gives the owner her own resource without any policy', async () => {
      const r = await w.resource('alice', ['view', 'edit']);
      const res = await w.grantAs('alice', { ticket: await w.ticket('alice', [[r, ['view', 'edit']]]) });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(rptPermissions(res.json.access_token), [[r, ['view', 'edit']]]);
      assert.equal(payload(res.json.access_token).sub, await w.userId('alice'));
    });

    it('lets a client act for itself (sub = client id, no refresh token, no PCT) when a policy names client:{id}', async () => {
      const r = await w.resource('alice', ['view', 'edit']);
      await w.share('alice', r, [{ subject: `client:${DEMO.client.id}`, scopes: ['view'] }]);
      const res = await w.grant({ ticket: await w.ticket('alice', [[r, ['view', 'edit']]]) });
      assert.equal(res.status, 200, res.body);
      assert.equal(payload(res.json.access_token).sub, DEMO.client.id);
      assert.deepEqual(rptPermissions(res.json.access_token), [[r, ['view']]]);
      assert.equal(res.json.refresh_token, undefined);
      assert.equal(res.json.pct, undefined);
      const seen = await w.introspect(res.json.access_token);
      assert.equal(seen.json.sub, DEMO.client.id);
    });

    it('allows a public client the grant, without a refresh token when the client is configured so', async () => {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view']]]) }, PUBLIC);
      assert.equal(res.status, 200, res.body);
      assert.equal(payload(res.json.access_token).aud, DEMO.rs.id);
      assert.equal(payload(res.json.access_token).azp, PUBLIC.id);
      assert.equal(res.json.refresh_token, undefined);
      assert.ok(res.json.pct);
    });

    it('answers invalid_grant when every resource of the ticket was deleted', async () => {
      const r = await w.resource('alice', ['view']);
      const t = await w.ticket('alice', [[r, ['view']]]);
      assert.ok(await s.deps.store.resources.delete('demo', await w.userId('alice'), r));
      assertError(await w.grantAs('alice', { ticket: t }), 400, 'invalid_grant');
    });

    it('redeems one ticket raced twenty times exactly once', async () => {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const t = await w.ticket('alice', [[r, ['view']]]);
      const idToken = await w.idToken('bob');
      const replies = await Promise.all(Array.from({ length: 20 }, () => w.grant({ ticket: t, claim_token: idToken, claim_token_format: ID_TOKEN })));
      assert.equal(replies.filter((x) => x.status === 200).length, 1);
      for (const x of replies.filter((y) => y.status !== 200)) assertError(x, 400, 'invalid_grant');
      // The losers signed nothing that was recorded: one issuance in the owner's history, one live RPT.
      const issued = await s.deps.store.audit.query('demo', await w.userId('alice'), { filter: { types: ['rpt.issued'], resourceId: r }, limit: 100, countLimit: 100 });
      assert.equal(issued.total, 1);
      const winner = replies.find((x) => x.status === 200)!;
      assert.equal((await s.deps.store.tokens.get('demo', payload(winner.json.access_token).jti))?.kind, 'rpt');
    });
  });
}
