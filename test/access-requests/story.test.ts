/**
 * The access-request story, on each store, over HTTP — one Steward per dialect, one step per test,
 * in order (later steps use what earlier ones left in `story`):
 *   1. Bob's client asks for `view` and `print` on Alice's album: request_submitted, with a ticket.
 *   2. It polls with its latest ticket: still request_submitted, a new ticket, still one request.
 *   3. Alice lists her pending requests: Bob's, for view and print.
 *   4. She approves `view` only.
 *   5. Bob's client polls with its latest ticket: an RPT for `view` only, active at introspection.
 *   6. Alice deletes her policy: the RPT introspects inactive at once.
 *   7. Her audit history tells the whole story in order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { request } from '../helpers/http.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { assertError, Owner, payload, policyUrl, rptPermissions, UmaWorld } from './fixture.ts';

for (const dialect of dialects) {
  describe(`access requests: the story (${dialect})`, () => {
    const clock = new TestClock();
    let s: TestSteward;
    let w: UmaWorld;
    let alice: Owner;
    /** What the steps hand on. */
    const story = { album: '', ticket: '', requestId: '', rpt: '', bobId: '', startedAt: 0 };

    before(async () => {
      s = await startTestSteward(dialect, { clock });
      w = new UmaWorld(s);
      alice = await Owner.signIn(s, 'alice');
      story.bobId = await w.userId('bob');
      story.startedAt = clock.now();
      story.album = await w.resource('alice', ['view', 'print'], 'Alice’s album');
    });
    after(async () => s?.close());

    it('1. Bob asks: request_submitted with a new ticket and a polling interval', async () => {
      const ticket = await w.ticket('alice', [[story.album, ['view', 'print']]]);
      clock.advance(1);
      const res = await w.grantAs('bob', { ticket });
      assertError(res, 403, 'request_submitted');
      assert.equal(typeof res.json.interval, 'number');
      assert.ok(res.json.ticket && res.json.ticket !== ticket);
      story.ticket = res.json.ticket;
    });

    it('2. his client polls with its latest ticket: the same answer, a fresh ticket, still one request', async () => {
      clock.advance(1);
      const res = await w.grant({ ticket: story.ticket });
      assertError(res, 403, 'request_submitted');
      assert.notEqual(res.json.ticket, story.ticket);
      story.ticket = res.json.ticket;
      assert.equal((await alice.pendingOn(story.album)).length, 1);
    });

    it('3. Alice lists her pending requests and sees Bob’s', async () => {
      const res = await alice.list({ _queryFilter: 'true' });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.resultCount, 1);
      const [item] = res.json.result;
      assert.equal(item.user, 'bob');
      assert.equal(item.resource, 'Alice’s album');
      assert.deepEqual(item.permissions, ['view', 'print']);
      assert.equal(item.resourceId, story.album);
      assert.equal(item.requester, story.bobId);
      assert.equal(item.status, 'pending');
      assert.equal(item.when, (story.startedAt + 1) * 1000);
      story.requestId = item._id;
    });

    it('4. she approves view only', async () => {
      clock.advance(1);
      const res = await alice.act(story.requestId, 'approve', { scopes: ['view'] });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.status, 'approved');
      assert.deepEqual(res.json.approvedPermissions, ['view']);
      assert.deepEqual(await alice.pendingOn(story.album), []);
      const policy = await request(s.app, 'GET', policyUrl('alice', story.album), { headers: alice.headers });
      assert.equal(policy.status, 200, policy.body);
      assert.deepEqual(policy.json.permissions, [{ subject: 'bob', scopes: ['view'] }]);
    });

    it('5. Bob’s client polls with its latest ticket and gets an RPT for view only', async () => {
      clock.advance(1);
      const res = await w.grant({ ticket: story.ticket });
      assert.equal(res.status, 200, res.body);
      assert.equal(payload(res.json.access_token).sub, story.bobId);
      assert.deepEqual(rptPermissions(res.json.access_token), [[story.album, ['view']]]);
      story.rpt = res.json.access_token;
      const introspection = await w.introspect(story.rpt);
      assert.equal(introspection.json.active, true, introspection.body);
    });

    it('6. Alice deletes her policy: the RPT introspects inactive at once', async () => {
      clock.advance(1);
      const res = await request(s.app, 'DELETE', policyUrl('alice', story.album), { headers: alice.headers });
      assert.equal(res.status, 200, res.body);
      const introspection = await w.introspect(story.rpt);
      assert.equal(introspection.status, 200);
      assert.deepEqual(introspection.json, { active: false });
    });

    it('7. her audit history shows the whole story, in order', async () => {
      const res = await alice.history({ _queryFilter: `resourceSetId eq "${story.album}"`, _sortKeys: 'eventTime', _totalPagedResultsPolicy: 'EXACT' });
      assert.equal(res.status, 200, res.body);
      const steps = res.json.result.map((e: any) => [e.type, e.eventTime / 1000 - story.startedAt, e.requestingPartyId ?? null, e.scopes ?? null]);
      assert.deepEqual(steps, [
        ['permission.requested', 0, null, ['view', 'print']],
        ['access_request.created', 1, 'bob', ['view', 'print']],
        ['access_request.approved', 3, 'bob', ['view']],
        ['policy.created', 3, 'bob', ['view']],
        ['share.granted', 3, 'bob', ['view']],
        ['rpt.issued', 4, 'bob', ['view']],
        ['policy.deleted', 5, null, null],
        ['share.revoked', 5, 'bob', ['view']],
      ]);
      for (const e of res.json.result) {
        assert.equal(e.resourceSetName, 'Alice’s album');
        assert.equal(e.resourceOwnerId, 'alice');
      }
      const approved = res.json.result.find((e: any) => e.type === 'access_request.approved');
      assert.equal(approved.requestId, story.requestId);
      assert.equal(approved.clientId, 'photoz-client');
      assert.equal(res.json.result.find((e: any) => e.type === 'rpt.issued').detail.rpt, payload(story.rpt).jti);
      assert.equal(res.json.totalPagedResults, 8);
    });
  });
}
