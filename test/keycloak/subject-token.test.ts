/**
 * `subject_token` in Keycloak's ticketless grant is accepted only from the client it was issued to or
 * one its `aud` names (RFC 9700 §2.3: an access token is not to be replayed at, or by, another party;
 * RFC 8693 leaves the policy to the authorization server). Alice's PAT at photoz-rs presented by
 * photoz-client yields nothing; photoz-rs presenting its own callers' tokens (keycloak-connect's
 * enforcer) and photoz-client presenting its own user's token work as before.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UMA_GRANT_TYPE } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { UmaWorld } from '../uma-grant/fixture.ts';

for (const dialect of dialects) {
  describe(`ticketless grant: subject_token issued to the presenting client only (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    let album: string;

    before(async () => {
      s = await startTestSteward(dialect);
      w = new UmaWorld(s);
      album = await w.resource('alice', ['view'], 'Album');
      await w.share('alice', album, [{ subject: 'bob', scopes: ['view'] }]);
    });
    after(async () => s?.close());

    /** A user's access token by the password grant at `client`. */
    async function passwordToken(client: { id: string; secret: string }, username: string, scope: string): Promise<string> {
      const res = await postForm(s.app, DEMO.token, { grant_type: 'password', username, password: DEMO.password, scope }, { authorization: basic(client.id, client.secret) });
      assert.equal(res.status, 200, res.body);
      return res.json.access_token;
    }

    function ask(client: { id: string; secret: string }, subjectToken: string, mode?: 'permissions' | 'decision'): Promise<Reply> {
      return postForm(s.app, DEMO.token, { grant_type: UMA_GRANT_TYPE, audience: DEMO.rs.id, permission: `${album}#view`, subject_token: subjectToken, response_mode: mode }, { authorization: basic(client.id, client.secret) });
    }

    it('Alice\'s PAT at photoz-rs, presented by photoz-client, is invalid_grant in every response mode: no RPT', async () => {
      const pat = await passwordToken(DEMO.rs, 'alice', 'uma_protection');
      for (const mode of [undefined, 'permissions', 'decision'] as const) {
        const res = await ask(DEMO.client, pat, mode);
        assert.equal(res.status, 400, res.body);
        assert.equal(res.json.error, 'invalid_grant');
        assert.equal(res.json.access_token, undefined);
      }
      // Bob's token at photoz-rs, presented by photoz-client, neither.
      assert.equal((await ask(DEMO.client, await passwordToken(DEMO.rs, 'bob', 'openid'))).json.error, 'invalid_grant');
    });

    it('photoz-rs presenting its caller\'s token (the enforcer) and photoz-client presenting its own user\'s token are answered', async () => {
      const byRs = await ask(DEMO.rs, await passwordToken(DEMO.rs, 'bob', 'openid'), 'permissions');
      assert.equal(byRs.status, 200, byRs.body);
      assert.deepEqual(byRs.json, [{ rsid: album, rsname: 'Album', scopes: ['view'] }]);
      const byClient = await ask(DEMO.client, await passwordToken(DEMO.client, 'bob', 'openid'));
      assert.equal(byClient.status, 200, byClient.body);
      assert.equal(typeof byClient.json.access_token, 'string');
      // Alice's own PAT at photoz-rs, presented by photoz-rs: she is the owner.
      assert.equal((await ask(DEMO.rs, await passwordToken(DEMO.rs, 'alice', 'uma_protection'), 'decision')).status, 200);
    });
  });
}
