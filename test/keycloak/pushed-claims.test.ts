/**
 * Pushed claims in Keycloak's ticketless grant (`claim_token`, `urn:ietf:params:oauth:token-type:jwt`)
 * are accepted and checked for form, but Steward verifies nothing in them and no policy reads them, so
 * they are never copied into the answer: not in a `permissions` list, not in the RPT Steward signs,
 * where a resource server could take them for something Steward asserts (docs/decisions.md).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { issueAccessToken, UMA_GRANT_TYPE } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { payload, UmaWorld } from '../uma-grant/fixture.ts';

const CLAIMS = { role: ['admin'], 'http.uri': ['/album'], organization: ['acme'] };

for (const dialect of dialects) {
  describe(`ticketless grant: pushed claims are never echoed (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    let album: string;
    let bob: string;

    before(async () => {
      s = await startTestSteward(dialect);
      w = new UmaWorld(s);
      album = await w.resource('alice', ['view'], 'Album');
      await w.share('alice', album, [{ subject: 'bob', scopes: ['view'] }]);
      const realm = (await s.deps.store.realms.get('demo'))!;
      const client = (await s.deps.store.clients.get('demo', DEMO.client.id))!;
      bob = (await issueAccessToken(s.deps, { realm, client, subject: await w.userId('bob'), scope: 'openid', grantId: s.deps.random.uuid(), username: 'bob' })).token;
    });
    after(async () => s?.close());

    function ask(mode: 'permissions' | 'decision' | undefined, claimToken: string): Promise<Reply> {
      const form = { grant_type: UMA_GRANT_TYPE, audience: DEMO.rs.id, permission: `${album}#view`, subject_token: bob, response_mode: mode, claim_token: claimToken, claim_token_format: 'urn:ietf:params:oauth:token-type:jwt' };
      return postForm(s.app, DEMO.token, form, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
    }

    it('permissions mode: the list carries rsid, rsname and scopes only', async () => {
      const res = await ask('permissions', Buffer.from(JSON.stringify(CLAIMS)).toString('base64'));
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json, [{ rsid: album, rsname: 'Album', scopes: ['view'] }]);
    });

    it('token mode: nothing pushed reaches the signed RPT', async () => {
      const res = await ask(undefined, Buffer.from(JSON.stringify(CLAIMS)).toString('base64url'));
      assert.equal(res.status, 200, res.body);
      const rpt = payload(res.json.access_token);
      assert.deepEqual(rpt.authorization.permissions, [{ rsid: album, rsname: 'Album', scopes: ['view'] }]);
      const signed = JSON.stringify(rpt);
      for (const value of ['admin', 'acme', 'http.uri']) assert.ok(!signed.includes(value), signed);
    });

    it('decision mode answers as without claims; malformed claims are still 400', async () => {
      assert.deepEqual((await ask('decision', Buffer.from(JSON.stringify(CLAIMS)).toString('base64'))).json, { result: true });
      const bad = await ask('permissions', Buffer.from('[1]').toString('base64'));
      assert.equal(bad.status, 400, bad.body);
      assert.equal(bad.json.error, 'invalid_request');
    });
  });
}
