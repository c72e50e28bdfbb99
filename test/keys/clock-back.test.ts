/**
 * A clock that goes back (a correction, or keys made by a node whose clock runs ahead) leaves no key
 * in force: the first key to come into force signs, so the token endpoint keeps answering (it used to
 * answer 500 on every grant until the clock caught up), and what it signs verifies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm } from '../helpers/http.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { UmaWorld } from '../uma-grant/fixture.ts';

for (const dialect of dialects) {
  describe(`signing keys: the clock goes back (${dialect})`, () => {
    const clock = new TestClock();
    let s: TestSteward;
    before(async () => {
      s = await startTestSteward(dialect, { clock });
      // The realm's keys came into force at start; now it is two days earlier.
      clock.advance(-2 * 86_400);
    });
    after(async () => s?.close());

    it('client_credentials still answers a token (RS256 key), and it introspects active', async () => {
      const res = await postForm(s.app, DEMO.token, { grant_type: 'client_credentials' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.equal(res.status, 200, res.body);
      const w = new UmaWorld(s);
      assert.equal((await w.introspect(res.json.access_token)).json.active, true);
    });

    it('the UMA grant still issues an RPT (ES256 key) that introspects active', async () => {
      const w = new UmaWorld(s);
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const granted = await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view']]]) });
      assert.equal(granted.status, 200, granted.body);
      assert.equal((await w.introspect(granted.json.access_token)).json.active, true);
    });
  });
}
