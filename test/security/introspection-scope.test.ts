/**
 * Security: what introspection tells a caller about access tokens it has nothing to do with. A resource
 * server holding any owner's PAT must not learn, for a user's access token issued to another client,
 * that it is active, whose it is and what it may do (RFC 7662 §4: the server decides whether the token
 * may be used at the calling resource server).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';

async function passwordToken(s: TestSteward, client: { id: string; secret: string }, username: string, scope: string): Promise<string> {
  const res = await postForm(s.app, DEMO.token, { grant_type: 'password', username, password: DEMO.password, scope }, { authorization: basic(client.id, client.secret) });
  assert.equal(res.status, 200, res.body);
  return res.json.access_token;
}

for (const dialect of dialects) {
  describe(`security: introspecting other clients' access tokens (${dialect})`, () => {
    let s: TestSteward;
    before(async () => {
      s = await startTestSteward(dialect);
    });
    after(async () => s?.close());

    it("answers active:false to a resource server (bob's PAT) introspecting alice's access token issued to another client", async () => {
      const alicesToken = await passwordToken(s, DEMO.client, 'alice', 'openid email');
      const bobsPat = await passwordToken(s, DEMO.rs, 'bob', 'uma_protection');
      const res = await postForm(s.app, DEMO.introspect, { token: alicesToken }, { authorization: bearer(bobsPat) });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json, { active: false }, `photoz-rs learned about alice's photoz-client token: ${res.body}`);
    });
  });
}
