/**
 * Who an RPT is for, by name, on both stores: an RPT issued to a user carries her `preferred_username`
 * (the UMA grant, a refreshed RPT, Keycloak's ticketless grant), introspection reports it as `username`
 * (RFC 7662 §2.2), and `@steward/rs` hands it to the app as `grant.username`, by JWKS and by
 * introspection. An RPT a client obtained for itself names no user.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UMA_GRANT_TYPE } from '@steward/core';
import { addClient } from '../helpers/seed.ts';
import { createUmaEnforcer } from '../../packages/rs/src/index.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { payload, UmaWorld } from './fixture.ts';

const SELF = { id: 'batch-job', secret: 'batch-job-secret' };

for (const dialect of dialects) {
  describe(`RPT username (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    let album: string;
    let pat: string;

    before(async () => {
      s = await startTestSteward(dialect, { listen: true });
      w = new UmaWorld(s);
      await addClient(s.deps, 'demo', { clientId: SELF.id, secret: SELF.secret, grantTypes: ['client_credentials', UMA_GRANT_TYPE] });
      pat = await w.pat('alice');
      album = await w.resource('alice', ['view']);
      await w.share('alice', album, [{ subject: 'bob', scopes: ['view'] }, { subject: `client:${SELF.id}`, scopes: ['view'] }]);
    });
    after(async () => s?.close());

    async function bobGrant(): Promise<{ access_token: string; refresh_token?: string }> {
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[album, ['view']]]) });
      assert.equal(res.status, 200, res.body);
      return res.json;
    }

    it('names the requesting user in the RPT and in its introspection', async () => {
      const rpt = (await bobGrant()).access_token;
      assert.equal(payload(rpt).preferred_username, 'bob');
      const seen = await w.introspect(rpt);
      assert.equal(seen.status, 200, seen.body);
      assert.equal(seen.json.active, true);
      assert.equal(seen.json.username, 'bob');
      assert.equal(seen.json.sub, await w.userId('bob'));
    });

    it('keeps the name in a refreshed RPT', async () => {
      const first = await bobGrant();
      assert.ok(first.refresh_token, 'photoz-client gets refresh tokens with RPTs');
      const res = await postForm(s.app, DEMO.token, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
      assert.equal(res.status, 200, res.body);
      assert.notEqual(res.json.access_token, first.access_token);
      assert.equal(payload(res.json.access_token).preferred_username, 'bob');
    });

    it("names the user in Keycloak's ticketless grant", async () => {
      const bob = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'bob', password: DEMO.password, scope: 'openid' }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
      assert.equal(bob.status, 200, bob.body);
      const res = await postForm(s.app, DEMO.token, { grant_type: UMA_GRANT_TYPE, audience: DEMO.rs.id, permission: `${album}#view`, subject_token: bob.json.access_token }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
      assert.equal(res.status, 200, res.body);
      assert.equal(payload(res.json.access_token).preferred_username, 'bob');
    });

    it('names no user in an RPT a client obtained for itself', async () => {
      const res = await w.grant({ ticket: await w.ticket('alice', [[album, ['view']]]) }, SELF);
      assert.equal(res.status, 200, res.body);
      const claims = payload(res.json.access_token);
      assert.equal(claims.sub, SELF.id);
      assert.equal('preferred_username' in claims, false);
      const seen = await w.introspect(res.json.access_token);
      assert.equal(seen.json.active, true);
      assert.equal('username' in seen.json, false);
    });

    it('@steward/rs gives the username to the app, by JWKS and by introspection', async () => {
      const rpt = (await bobGrant()).access_token;
      const bobId = await w.userId('bob');
      for (const verify of ['jwks', 'introspection'] as const) {
        const enforcer = createUmaEnforcer({ issuer: s.issuer, pat: () => pat, verify, timeoutMs: 2000, introspectionCache: { maxEntries: 0 } });
        const checked = await enforcer.check({ authorization: `Bearer ${rpt}`, resourceId: album, scopes: ['view'] });
        assert.ok(checked.ok, `${verify}: ${JSON.stringify(checked)}`);
        assert.equal(checked.grant.username, 'bob', verify);
        assert.equal(checked.grant.subject, bobId, verify);
      }
    });
  });
}
