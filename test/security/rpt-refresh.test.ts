/**
 * Security: an RPT's refresh token after the owner stops sharing. The owner API promises that deleting
 * a policy ends sharing at once, yet the refresh_token grant reissues the RPT's permissions without
 * looking at the policy, and each rotation gives the new refresh token a full lifetime again, so a
 * client that keeps refreshing keeps the access for ever.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm, request } from '../helpers/http.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { policyUrl, session, signIn } from '../owner-policies/fixture.ts';
import { rptPermissions, UmaWorld } from '../uma-grant/fixture.ts';

function refresh(s: TestSteward, token: string) {
  return postForm(s.app, DEMO.token, { grant_type: 'refresh_token', refresh_token: token }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
}

for (const dialect of dialects) {
  describe(`security: refreshing an RPT (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    const clock = new TestClock();
    before(async () => {
      s = await startTestSteward(dialect, { clock });
      w = new UmaWorld(s);
    });
    after(async () => s?.close());

    /** Bob's RPT for a fresh resource of alice shared with him; returns the resource id and the refresh token. */
    async function bobsGrant(): Promise<{ resourceId: string; refreshToken: string }> {
      const resourceId = await w.resource('alice', ['view']);
      await w.share('alice', resourceId, [{ subject: 'bob', scopes: ['view'] }]);
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[resourceId, ['view']]]) });
      assert.equal(res.status, 200, res.body);
      assert.equal(typeof res.json.refresh_token, 'string', res.body);
      return { resourceId, refreshToken: res.json.refresh_token };
    }

    it('refuses to refresh an RPT once the owner deleted the policy that granted it', async () => {
      const { resourceId, refreshToken } = await bobsGrant();
      const deleted = await request(s.app, 'DELETE', policyUrl('alice', resourceId), { headers: session(await signIn(s, 'alice')) });
      assert.equal(deleted.status, 200, deleted.body);
      const res = await refresh(s, refreshToken);
      assert.equal(res.status, 400, `bob's client still refreshed access alice revoked: ${res.status} ${res.status === 200 ? JSON.stringify(rptPermissions(res.json.access_token)) : res.body}`);
      assert.equal(res.json.error, 'invalid_grant');
    });

    it('ends an RPT refresh chain when the refresh token lifetime of the original grant is over', async () => {
      const { refreshToken } = await bobsGrant();
      const lifetime = (await s.deps.store.realms.get(DEMO.realm))!.settings.refreshTokenLifetime;
      let token = refreshToken;
      let last = null as Awaited<ReturnType<typeof refresh>> | null;
      // Refresh well inside each token's lifetime until twice the grant's lifetime has passed.
      for (let elapsed = 0; elapsed <= 2 * lifetime; elapsed += Math.floor(lifetime / 2)) {
        clock.advance(Math.floor(lifetime / 2));
        last = await refresh(s, token);
        if (last.status !== 200) break;
        token = last.json.refresh_token;
      }
      assert.notEqual(last?.status, 200, `the RPT was still refreshed more than ${2 * lifetime}s after the grant`);
    });
  });
}
