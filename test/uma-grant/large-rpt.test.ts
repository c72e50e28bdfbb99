/**
 * An RPT for many resources is long (it carries its permissions); every RPT Steward issues must still
 * be accepted back: introspected, upgraded and revoked.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { ID_TOKEN, UMA } from './fixture.ts';

for (const dialect of dialects) {
  describe(`UMA grant: a large RPT (${dialect})`, () => {
    let s: TestSteward;
    before(async () => {
      s = await startTestSteward(dialect);
    });
    after(async () => s?.close());

    it('introspects, upgrades and revokes an RPT of 100 resources with 40 scopes each', async () => {
      const rs = { authorization: basic(DEMO.rs.id, DEMO.rs.secret) };
      const client = { authorization: basic(DEMO.client.id, DEMO.client.secret) };
      const pat = (await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }, rs)).json.access_token;
      const scopes = Array.from({ length: 40 }, (_, i) => `s${i}`);
      const ids: string[] = [];
      for (let i = 0; i < 100; i++) {
        const created = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer(pat) }, body: { name: `r${i}`, resource_scopes: scopes } });
        ids.push(created.json._id);
      }
      const ticket = async (list: string[]) =>
        (await request(s.app, 'POST', DEMO.permission, { headers: { authorization: bearer(pat) }, body: list.map((id) => ({ resource_id: id, resource_scopes: scopes })) })).json.ticket as string;
      const idToken = (await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'openid' }, client)).json.id_token;
      const grant = (t: string, rpt?: string) => postForm(s.app, DEMO.token, { grant_type: UMA, ticket: t, claim_token: idToken, claim_token_format: ID_TOKEN, rpt }, client);

      const first = await grant(await ticket(ids.slice(0, 99)));
      assert.equal(first.status, 200, first.body);
      assert.ok(first.json.access_token.length > 16_384, `the RPT is ${first.json.access_token.length} characters`);
      const info = await postForm(s.app, DEMO.introspect, { token: first.json.access_token }, { authorization: bearer(pat) });
      assert.equal(info.json.active, true);
      assert.equal(info.json.permissions.length, 99);

      const upgraded = await grant(await ticket(ids.slice(99)), first.json.access_token);
      assert.equal(upgraded.status, 200, upgraded.body);
      assert.equal(upgraded.json.upgraded, true);
      const after = await postForm(s.app, DEMO.introspect, { token: upgraded.json.access_token }, { authorization: bearer(pat) });
      assert.equal(after.json.permissions.length, 100);

      assert.equal((await postForm(s.app, DEMO.revoke, { token: upgraded.json.access_token }, client)).status, 200);
      assert.deepEqual((await postForm(s.app, DEMO.introspect, { token: upgraded.json.access_token }, { authorization: bearer(pat) })).json, { active: false });
    });
  });
}
