/**
 * Security: which bearer tokens speak for a resource owner on the owner policy API. A PAT held by a
 * resource server, or a token a third-party client obtained with a narrow scope (`profile`), must not
 * let that client rewrite the owner's sharing policies (for instance share her resource with itself
 * as `client:{id}` and then take an RPT as its own requesting party).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { policyUrl, registerResource } from '../owner-policies/fixture.ts';

async function passwordToken(s: TestSteward, client: { id: string; secret: string }, username: string, scope: string): Promise<string> {
  const res = await postForm(s.app, DEMO.token, { grant_type: 'password', username, password: DEMO.password, scope }, { authorization: basic(client.id, client.secret) });
  assert.equal(res.status, 200, res.body);
  return res.json.access_token;
}

function shareWith(s: TestSteward, token: string, resourceId: string, subject: string) {
  return request(s.app, 'PUT', policyUrl('alice', resourceId), {
    headers: { authorization: bearer(token) },
    body: { policyId: resourceId, permissions: [{ subject, scopes: ['download'] }] },
  });
}

for (const dialect of dialects) {
  describe(`security: tokens accepted by the owner policy API (${dialect})`, () => {
    let s: TestSteward;
    before(async () => {
      s = await startTestSteward(dialect);
    });
    after(async () => s?.close());

    it("refuses the owner's PAT held by a resource server (scope uma_protection) as a credential to write her policies", async () => {
      const resourceId = await registerResource(s, 'alice');
      const pat = await passwordToken(s, DEMO.rs, 'alice', 'uma_protection');
      const res = await shareWith(s, pat, resourceId, 'client:photoz-client');
      assert.equal(res.status, 401, `a PAT rewrote alice's sharing policy: ${res.status} ${res.body}`);
    });

    it("refuses a token a client obtained with scope profile only as a credential to write the owner's policies", async () => {
      const resourceId = await registerResource(s, 'alice');
      const profileOnly = await passwordToken(s, DEMO.client, 'alice', 'profile');
      const res = await shareWith(s, profileOnly, resourceId, 'client:photoz-client');
      assert.equal(res.status, 401, `a profile-scoped token of photoz-client rewrote alice's sharing policy: ${res.status} ${res.body}`);
      // What the client gains when the write goes through: an RPT for alice's resource as its own party.
      const stored = await s.deps.store.policies.get(DEMO.realm, (await s.deps.store.users.findByUsername(DEMO.realm, 'alice'))!.id, resourceId);
      assert.equal(stored, null, 'the policy must not exist');
    });
  });
}
