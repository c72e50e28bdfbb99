/**
 * The audience of an RPT (RFC 9068 §3), on both stores: `aud` names the resource servers that
 * registered the resources it holds permissions on, `azp` the requesting client, for the UMA ticket
 * grant, an upgrade that merges two resource servers' permissions, and Keycloak's ticketless grant;
 * introspection (RFC 7662 §2.2) reports the same. `@steward/rs` configured with `audience` set to its
 * resource server's client id accepts these RPTs, by JWKS and by introspection.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UMA_GRANT_TYPE } from '@steward/core';
import { createUmaEnforcer, type UmaEnforcer } from '../../packages/rs/src/index.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { addOtherResourceServer, OTHER_RS, register, tokenFor } from '../protection-api/fixture.ts';
import { payload, UmaWorld } from './fixture.ts';

for (const dialect of dialects) {
  describe(`RPT audience (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    /** Alice's PATs at photoz-rs and at the other resource server. */
    let pat: string;
    let otherPat: string;
    /** Alice's resource at photoz-rs, and hers at the other resource server, both shared with Bob. */
    let album: string;
    let ledger: string;

    before(async () => {
      s = await startTestSteward(dialect, { listen: true });
      w = new UmaWorld(s);
      await addOtherResourceServer(s);
      pat = await tokenFor(s, 'alice');
      otherPat = await tokenFor(s, 'alice', 'uma_protection', OTHER_RS);
      album = (await register(s, pat, { name: 'Album', resource_scopes: ['view'] })).json._id;
      ledger = (await register(s, otherPat, { name: 'Ledger', resource_scopes: ['read'] })).json._id;
      await w.share('alice', album, [{ subject: 'bob', scopes: ['view'] }]);
      await w.share('alice', ledger, [{ subject: 'bob', scopes: ['read'] }]);
    });
    after(async () => s?.close());

    /** A ticket from the resource server of `resourcePat` (tickets are per resource server). */
    async function ticket(resourcePat: string, resourceId: string, scopes: string[]): Promise<string> {
      const res = await request(s.app, 'POST', DEMO.permission, { headers: { authorization: bearer(resourcePat) }, body: [{ resource_id: resourceId, resource_scopes: scopes }] });
      assert.equal(res.status, 201, res.body);
      return res.json.ticket;
    }

    /** Bob's RPT from photoz-client for a ticket (and an RPT to upgrade). */
    async function bobRpt(t: string, rpt?: string): Promise<string> {
      const res = await w.grantAs('bob', { ticket: t, rpt });
      assert.equal(res.status, 200, res.body);
      return res.json.access_token;
    }

    async function introspect(token: string, callerPat: string): Promise<any> {
      const res = await postForm(s.app, DEMO.introspect, { token }, { authorization: bearer(callerPat) });
      assert.equal(res.status, 200, res.body);
      return res.json;
    }

    /** The kit at a resource server, with `audience` and Alice's PAT there. */
    function enforcer(audience: string, ownerPat: string): UmaEnforcer {
      return createUmaEnforcer({ issuer: s.issuer, audience, pat: () => ownerPat, timeoutMs: 2000, introspectionCache: { maxEntries: 0 } });
    }

    it('addresses an RPT for a resource of photoz-rs to photoz-rs, with the client in azp; introspection says the same', async () => {
      const rpt = await bobRpt(await ticket(pat, album, ['view']));
      const claims = payload(rpt);
      assert.equal(claims.aud, DEMO.rs.id);
      assert.equal(claims.azp, DEMO.client.id);
      const seen = await introspect(rpt, pat);
      assert.equal(seen.active, true);
      assert.equal(seen.aud, DEMO.rs.id);
      assert.equal(seen.azp, DEMO.client.id);
      assert.equal(seen.client_id, DEMO.client.id);
    });

    it('names both resource servers once an upgrade merges their permissions; each one\'s introspection says the same', async () => {
      const old = await bobRpt(await ticket(pat, album, ['view']));
      const res = await w.grantAs('bob', { ticket: await ticket(otherPat, ledger, ['read']), rpt: old });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.upgraded, true);
      const claims = payload(res.json.access_token);
      assert.deepEqual(claims.aud, [DEMO.rs.id, OTHER_RS.id]);
      assert.equal(claims.azp, DEMO.client.id);
      for (const caller of [pat, otherPat]) assert.deepEqual((await introspect(res.json.access_token, caller)).aud, [DEMO.rs.id, OTHER_RS.id]);
    });

    it('addresses the ticketless grant\'s RPT to the `audience` resource server, not to the client that asked', async () => {
      const bobAtClient = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'bob', password: DEMO.password, scope: 'openid' }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
      assert.equal(bobAtClient.status, 200, bobAtClient.body);
      const res = await postForm(s.app, DEMO.token, { grant_type: UMA_GRANT_TYPE, audience: DEMO.rs.id, permission: `${album}#view`, subject_token: bobAtClient.json.access_token }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
      assert.equal(res.status, 200, res.body);
      const claims = payload(res.json.access_token);
      assert.equal(claims.aud, DEMO.rs.id);
      assert.equal(claims.azp, DEMO.client.id);
      assert.equal((await introspect(res.json.access_token, pat)).aud, DEMO.rs.id);
      for (const verify of ['jwks', 'introspection'] as const) {
        const checked = await enforcer(DEMO.rs.id, pat).check({ authorization: `Bearer ${res.json.access_token}`, resourceId: album, scopes: ['view'], verify });
        assert.equal(checked.ok, true, `${verify}: ${JSON.stringify(checked)}`);
      }
    });

    it('@steward/rs with audience = its client id accepts the RPT by JWKS and by introspection; one for the requesting client refuses it', async () => {
      const rpt = await bobRpt(await ticket(pat, album, ['view']));
      for (const verify of ['jwks', 'introspection'] as const) {
        const checked = await enforcer(DEMO.rs.id, pat).check({ authorization: `Bearer ${rpt}`, resourceId: album, scopes: ['view'], verify });
        assert.ok(checked.ok, `${verify}: ${JSON.stringify(checked)}`);
        assert.equal(checked.grant.clientId, DEMO.client.id);
        assert.deepEqual(checked.grant.granted, { resourceId: album, scopes: ['view'] });
        // The RPT is not for the client that asked for it.
        const wrong = await enforcer(DEMO.client.id, pat).check({ authorization: `Bearer ${rpt}`, resourceId: album, scopes: ['view'], verify });
        assert.equal(wrong.ok, false, verify);
        assert.equal(wrong.ok === false && wrong.status, 401, verify);
      }
    });

    it('@steward/rs at each of two resource servers accepts the RPT naming both (an array aud)', async () => {
      const old = await bobRpt(await ticket(pat, album, ['view']));
      const rpt = await bobRpt(await ticket(otherPat, ledger, ['read']), old);
      for (const verify of ['jwks', 'introspection'] as const) {
        const here = await enforcer(DEMO.rs.id, pat).check({ authorization: `Bearer ${rpt}`, resourceId: album, scopes: ['view'], verify });
        assert.equal(here.ok, true, `${verify}: ${JSON.stringify(here)}`);
        const there = await enforcer(OTHER_RS.id, otherPat).check({ authorization: `Bearer ${rpt}`, resourceId: ledger, scopes: ['read'], verify });
        assert.equal(there.ok, true, `${verify}: ${JSON.stringify(there)}`);
      }
    });
  });
}
