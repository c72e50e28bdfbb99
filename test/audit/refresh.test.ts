/** A refreshed RPT is recorded as `rpt.issued` like the first one, on both stores. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { Owner, payload, UmaWorld } from '../access-requests/fixture.ts';

for (const dialect of dialects) {
  describe(`audit: refreshed RPTs (${dialect})`, () => {
    let s: TestSteward;

    before(async () => {
      s = await startTestSteward(dialect);
    });
    after(async () => s?.close());

    it('records rpt.issued for the RPT a refresh token yields', async () => {
      const w = new UmaWorld(s);
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const first = await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view']]]) });
      assert.equal(first.status, 200, first.body);
      const refreshed = await postForm(s.app, DEMO.token, { grant_type: 'refresh_token', refresh_token: first.json.refresh_token }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
      assert.equal(refreshed.status, 200, refreshed.body);
      const alice = await Owner.signIn(s, 'alice');
      const history = await alice.history({ _queryFilter: `type eq "rpt.issued" and resourceSetId eq "${r}"`, _sortKeys: 'eventTime' });
      assert.deepEqual(
        history.json.result.map((e: any) => [e.detail.rpt, e.requestingPartyId, e.scopes]),
        [
          [payload(first.json.access_token).jti, 'bob', ['view']],
          [payload(refreshed.json.access_token).jti, 'bob', ['view']],
        ],
      );
    });
  });
}
