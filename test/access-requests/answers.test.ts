/**
 * Answering access requests over HTTP, on both stores: approving all scopes into an existing policy,
 * denying (the same ask is then request_denied, visible with a status filter, lifted by a policy
 * change or by reopening), approveAll/denyAll, and paging.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { request } from '../helpers/http.ts';
import { MAX_BULK_ANSWERS } from '@steward/core';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { assertError, Owner, policyUrl, rptPermissions, UmaWorld } from './fixture.ts';

for (const dialect of dialects) {
  describe(`access requests: answers (${dialect})`, () => {
    const clock = new TestClock();
    let s: TestSteward;
    let w: UmaWorld;
    let alice: Owner;

    before(async () => {
      s = await startTestSteward(dialect, { clock });
      w = new UmaWorld(s);
      alice = await Owner.signIn(s, 'alice');
    });
    after(async () => s?.close());

    /** A resource of alice, and bob's ask for `scopes` on it: returns the resource, the request id and the latest ticket. */
    async function bobAsks(scopes: string[], offered = ['view', 'print', 'edit']): Promise<{ r: string; id: string; ticket: string }> {
      const r = await w.resource('alice', offered);
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, scopes]]) });
      assertError(res, 403, 'request_submitted');
      const [pending] = await alice.pendingOn(r);
      return { r, id: pending._id, ticket: res.json.ticket };
    }

    it('approving without a body approves every scope asked, keeping the policy’s other permissions', async () => {
      const { r, id, ticket } = await bobAsks(['view', 'print']);
      await w.share('alice', r, [{ subject: 'chris', scopes: ['edit'] }, { subject: 'bob', scopes: ['edit'] }]);
      const res = await alice.act(id, 'approve');
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json.approvedPermissions, ['view', 'print']);
      const policy = await request(s.app, 'GET', policyUrl('alice', r), { headers: alice.headers });
      assert.deepEqual(policy.json.permissions, [{ subject: 'chris', scopes: ['edit'] }, { subject: 'bob', scopes: ['edit', 'view', 'print'] }]);
      const granted = await w.grant({ ticket });
      assert.equal(granted.status, 200, granted.body);
      assert.deepEqual(rptPermissions(granted.json.access_token), [[r, ['view', 'print']]]);
    });

    it('a denied ask is request_denied afterwards, without a new request; the owner sees the denial', async () => {
      const { r, id, ticket } = await bobAsks(['view']);
      clock.advance(1);
      const denied = await alice.act(id, 'deny');
      assert.equal(denied.status, 200, denied.body);
      assert.equal(denied.json.status, 'denied');
      assertError(await w.grant({ ticket }), 403, 'request_denied');
      clock.advance(1);
      assertError(await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view']]]) }), 403, 'request_denied');
      assert.deepEqual(await alice.pendingOn(r), [], 'no new pending request');
      const answered = await alice.list({ _queryFilter: `status eq "denied" and resourceId eq "${r}"` });
      assert.equal(answered.status, 200, answered.body);
      assert.deepEqual(answered.json.result.map((x: any) => [x._id, x.status, x.permissions]), [[id, 'denied', ['view']]]);
      // Scopes she did not deny are still asked for.
      const wider = await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view', 'print']]]) });
      assertError(wider, 403, 'request_submitted');
      assert.deepEqual((await alice.pendingOn(r)).map((x: any) => x.permissions), [['print']]);
      const history = await alice.history({ _queryFilter: `resourceSetId eq "${r}" and type eq "grant.denied"` });
      assert.equal(history.json.resultCount, 2);
      assert.equal(history.json.result[0].detail.reason, 'denied_by_owner');
    });

    it('a change of the owner’s policy on the resource lifts the denial', async () => {
      const { r, id } = await bobAsks(['view']);
      clock.advance(1);
      assert.equal((await alice.act(id, 'deny')).status, 200);
      assertError(await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view']]]) }), 403, 'request_denied');
      clock.advance(1);
      const write = await request(s.app, 'PUT', policyUrl('alice', r), { headers: alice.headers, body: { policyId: r, permissions: [{ subject: 'chris', scopes: ['view'] }] } });
      assert.equal(write.status, 201, write.body);
      assertError(await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view']]]) }), 403, 'request_submitted');
      assert.equal((await alice.pendingOn(r)).length, 1);
    });

    it('reopening a denial makes the request pending again; approving it then grants', async () => {
      const { r, id } = await bobAsks(['view']);
      clock.advance(1);
      assert.equal((await alice.act(id, 'deny')).status, 200);
      const reopened = await alice.act(id, 'reopen');
      assert.equal(reopened.status, 200, reopened.body);
      assert.equal(reopened.json._id, id);
      assert.equal(reopened.json.status, 'pending');
      assert.deepEqual((await alice.pendingOn(r)).map((x: any) => x._id), [id]);
      assert.equal((await alice.act(id, 'approve')).status, 200);
      const granted = await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view']]]) });
      assert.equal(granted.status, 200, granted.body);
      const history = await alice.history({ _queryFilter: `requestId eq "${id}"`, _sortKeys: 'eventTime' });
      assert.deepEqual(history.json.result.map((e: any) => e.type), ['access_request.created', 'access_request.denied', 'access_request.reopened', 'access_request.approved', 'policy.created', 'share.granted']);
    });

    it('approveAll and denyAll answer every pending request of the owner', async () => {
      const a = await bobAsks(['view']);
      const b = await bobAsks(['print']);
      const all = await request(s.app, 'POST', `/json/realms/root/realms/demo/users/alice/uma/pendingrequests?_action=approveAll`, { headers: alice.headers });
      assert.equal(all.status, 200, all.body);
      const ids = all.json.result.map((x: any) => x._id);
      assert.ok(ids.includes(a.id) && ids.includes(b.id));
      assert.ok(all.json.result.every((x: any) => x.status === 'approved'));
      assert.deepEqual(all.json.failed, []);
      assert.equal((await alice.list()).json.resultCount, 0);
      const c = await bobAsks(['edit']);
      const none = await request(s.app, 'POST', `/json/realms/root/realms/demo/users/alice/uma/pendingrequests?_action=denyAll`, { headers: alice.headers });
      assert.equal(none.status, 200, none.body);
      assert.deepEqual(none.json.result.map((x: any) => [x._id, x.status]), [[c.id, 'denied']]);
    });

    it('pages with _pageSize and _pagedResultsOffset, newest first', async () => {
      const first = await bobAsks(['view']);
      clock.advance(1);
      const second = await bobAsks(['view']);
      clock.advance(1);
      const third = await bobAsks(['view']);
      const page = await alice.list({ _queryFilter: 'true', _pageSize: '2', _pagedResultsOffset: '0' });
      assert.equal(page.status, 200, page.body);
      assert.deepEqual(page.json.result.map((x: any) => x._id), [third.id, second.id]);
      assert.equal(page.json.remainingPagedResults, -1, 'not counted');
      const counted = await alice.list({ _queryFilter: 'true', _pageSize: '2', _pagedResultsOffset: '0', _totalPagedResultsPolicy: 'EXACT' });
      assert.equal(counted.json.remainingPagedResults, 1);
      assert.equal(counted.json.totalPagedResults, 3);
      const byCookie = await alice.list({ _queryFilter: 'true', _pageSize: '2', _pagedResultsCookie: page.json.pagedResultsCookie });
      assert.deepEqual(byCookie.json.result.map((x: any) => x._id), [first.id]);
      assert.equal(byCookie.json.pagedResultsCookie, null);
      const next = await alice.list({ _queryFilter: 'true', _pageSize: '2', _pagedResultsOffset: '2' });
      assert.deepEqual(next.json.result.map((x: any) => x._id), [first.id]);
      assert.equal(next.json.remainingPagedResults, 0);
      const one = await request(s.app, 'GET', `/json/realms/root/realms/demo/users/alice/uma/pendingrequests/${first.id}`, { headers: alice.headers });
      assert.equal(one.status, 200, one.body);
      assert.equal(one.json.resourceId, first.r);
    });

    it(`denyAll answers at most ${MAX_BULK_ANSWERS} per call, newest first, and says more wait`, async () => {
      // Clear what earlier tests left pending, then 1,001 requests from distinct parties on one resource.
      await request(s.app, 'POST', `/json/realms/root/realms/demo/users/alice/uma/pendingrequests?_action=denyAll`, { headers: alice.headers });
      const r = await w.resource('alice', ['view']);
      const owner = await w.userId('alice');
      const base = clock.now();
      for (let i = 0; i <= MAX_BULK_ANSWERS; i++) {
        await s.deps.store.accessRequests.upsertPending({ realm: 'demo', id: `bulk-${i}`, owner, resourceId: r, requester: `party-${i}`, clientId: 'c', scopes: ['view'], status: 'pending', createdAt: base + i, updatedAt: base + i });
      }
      const url = `/json/realms/root/realms/demo/users/alice/uma/pendingrequests?_action=denyAll`;
      const first = await request(s.app, 'POST', url, { headers: alice.headers });
      assert.equal(first.status, 200, first.body);
      assert.equal(first.json.result.length, MAX_BULK_ANSWERS);
      assert.equal(first.json.more, true);
      assert.equal(first.json.result[0]._id, `bulk-${MAX_BULK_ANSWERS}`);
      const rest = await request(s.app, 'POST', url, { headers: alice.headers });
      assert.deepEqual(rest.json.result.map((x: any) => [x._id, x.status]), [['bulk-0', 'denied']]);
      assert.equal(rest.json.more, false);
      assert.equal((await alice.list()).json.resultCount, 0);
    });
  });
}
