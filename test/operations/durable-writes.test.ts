/**
 * Durability by class, end to end on a SQLite file: an RPT issued at the token endpoint is not synced;
 * revoking it at the revocation endpoint and deleting a policy through the owner API each sync the
 * write-ahead log once before answering. `/metrics` counts the syncs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { policyUrl, session, signIn } from '../owner-policies/fixture.ts';
import { ID_TOKEN, UmaWorld } from '../uma-grant/fixture.ts';

if (dialects.includes('sqlite')) {
  describe('durable writes over HTTP (sqlite)', () => {
    let s: TestSteward;
    let w: UmaWorld;
    const syncs = () => s.deps.operations.durableSyncs();

    before(async () => {
      s = await startTestSteward('sqlite');
      w = new UmaWorld(s);
    });
    after(async () => s?.close());

    it('issuing an RPT does not sync; revoking it and deleting the policy each sync once', async () => {
      const album = await w.resource('alice', ['view']);
      await w.share('alice', album, [{ subject: 'bob', scopes: ['view'] }]);
      const ticket = await w.ticket('alice', [[album, ['view']]]);
      const claimToken = await w.idToken('bob');
      const alice = await signIn(s, 'alice');

      const start = syncs();
      const granted = await w.grant({ ticket, claim_token: claimToken, claim_token_format: ID_TOKEN });
      assert.equal(granted.status, 200, granted.body);
      assert.equal(syncs(), start, 'issuance stays at synchronous=NORMAL');

      const revoked = await postForm(s.app, DEMO.revoke, { token: granted.json.access_token }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
      assert.equal(revoked.status, 200, revoked.body);
      assert.equal((await w.record(granted.json.access_token))?.revoked, true);
      assert.equal(syncs(), start + 1, 'the revocation was synced before the answer');

      const deleted = await request(s.app, 'DELETE', policyUrl('alice', album), { headers: session(alice) });
      assert.equal(deleted.status, 200, deleted.body);
      assert.equal(syncs(), start + 2, 'the policy deletion (with the grants it revoked) was synced once');

      const metrics = await request(s.app, 'GET', '/metrics');
      assert.match(metrics.body, new RegExp(`^steward_store_durable_syncs_total ${syncs()}$`, 'm'));
    });
  });
}
