/**
 * The owner's audit history over HTTP, on both stores: filters (type, resource, requesting party,
 * time ranges), sorting and paging; who may read it; that no route changes it; and bad queries.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { request } from '../helpers/http.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { assertCrest, auditUrl, Owner, signIn, session, UmaWorld } from '../access-requests/fixture.ts';

for (const dialect of dialects) {
  describe(`audit history (${dialect})`, () => {
    const clock = new TestClock();
    let s: TestSteward;
    let w: UmaWorld;
    let alice: Owner;
    let r1 = '';
    let r2 = '';
    let t0 = 0;

    before(async () => {
      s = await startTestSteward(dialect, { clock });
      w = new UmaWorld(s);
      alice = await Owner.signIn(s, 'alice');
      t0 = clock.now();
      // t0: a ticket for r1; t0+10: bob gets an RPT for r1; t0+20: chris is refused on r2 (pending request); t0+30: policy on r2.
      r1 = await w.resource('alice', ['view'], 'One');
      r2 = await w.resource('alice', ['view'], 'Two');
      await w.share('alice', r1, [{ subject: 'bob', scopes: ['view'] }]);
      const ticket = await w.ticket('alice', [[r1, ['view']]]);
      clock.advance(10);
      assert.equal((await w.grantAs('bob', { ticket })).status, 200);
      clock.advance(10);
      assert.equal((await w.grantAs('chris', { ticket: await w.ticket('alice', [[r2, ['view']]]) })).status, 403);
      clock.advance(10);
      const put = await request(s.app, 'PUT', `/json/realms/root/realms/demo/users/alice/uma/policies/${r2}`, { headers: alice.headers, body: { policyId: r2, permissions: [{ subject: 'dave', scopes: ['view'] }] } });
      assert.equal(put.status, 201, put.body);
    });
    after(async () => s?.close());

    const types = (res: { json: any }) => res.json.result.map((e: any) => e.type);

    it('lists newest first by default, oldest first with _sortKeys=eventTime', async () => {
      const newest = await alice.history();
      assert.equal(newest.status, 200, newest.body);
      assert.deepEqual(types(newest), ['share.granted', 'policy.created', 'access_request.created', 'permission.requested', 'rpt.issued', 'permission.requested']);
      const oldest = await alice.history({ _sortKeys: 'eventTime', _totalPagedResultsPolicy: 'EXACT' });
      assert.deepEqual(types(oldest), [...types(newest)].reverse());
      assert.equal(oldest.json.totalPagedResults, 6);
      assert.equal(oldest.json.result[0].eventTime, t0 * 1000);
    });

    it('filters on type, resource, requesting party and client', async () => {
      assert.deepEqual(types(await alice.history({ _queryFilter: 'type eq "rpt.issued"' })), ['rpt.issued']);
      assert.deepEqual(types(await alice.history({ _queryFilter: 'eventType eq "permission.requested" and resourceSetId eq "' + r2 + '"' })), ['permission.requested']);
      const bob = await alice.history({ _queryFilter: 'requestingPartyId eq "bob"' });
      assert.deepEqual(types(bob), ['rpt.issued']);
      assert.equal(bob.json.result[0].resourceSetName, 'One');
      assert.equal(bob.json.result[0].clientId, 'photoz-client');
      assert.deepEqual(types(await alice.history({ _queryFilter: 'requestingPartyId eq "dave"' })), ['share.granted']);
      assert.deepEqual(types(await alice.history({ _queryFilter: 'clientId eq "photoz-client" and requestingPartyId eq "chris"' })), ['access_request.created']);
      assert.deepEqual(types(await alice.history({ _queryFilter: 'type eq "rpt.issued" and type eq "grant.denied"' })), []);
      assert.deepEqual(types(await alice.history({ _queryFilter: 'type eq "no.such"' })), []);
      assert.deepEqual(types(await alice.history({ _queryFilter: 'false' })), []);
    });

    it('filters on time ranges (milliseconds or ISO 8601), bounds exact to the second', async () => {
      const ms = (dt: number) => String((t0 + dt) * 1000);
      assert.deepEqual(types(await alice.history({ _queryFilter: `eventTime gt ${ms(10)}` })), ['share.granted', 'policy.created', 'access_request.created', 'permission.requested']);
      assert.deepEqual(types(await alice.history({ _queryFilter: `eventTime ge ${ms(10)} and eventTime lt ${ms(20)}` })), ['rpt.issued']);
      assert.deepEqual(types(await alice.history({ _queryFilter: `eventTime le ${ms(0)}` })), ['permission.requested']);
      assert.deepEqual(types(await alice.history({ _queryFilter: `eventTime eq ${ms(10)}` })), ['rpt.issued']);
      assert.deepEqual(types(await alice.history({ _queryFilter: `eventTime gt ${Number(ms(10)) - 1} and eventTime lt ${Number(ms(10)) + 1}` })), ['rpt.issued']);
      const iso = new Date((t0 + 25) * 1000).toISOString();
      assert.deepEqual(types(await alice.history({ _queryFilter: `eventTime gt "${iso}"` })), ['share.granted', 'policy.created']);
    });

    it('pages with _pageSize and _pagedResultsOffset (counted when asked), and with the cookie', async () => {
      const page = await alice.history({ _sortKeys: 'eventTime', _pageSize: '4', _pagedResultsOffset: '1', _totalPagedResultsPolicy: 'EXACT' });
      assert.equal(page.json.resultCount, 4);
      assert.equal(page.json.remainingPagedResults, 1);
      assert.equal(page.json.totalPagedResults, 6);
      assert.equal(page.json.totalPagedResultsPolicy, 'EXACT');
      assert.deepEqual(types(page), ['rpt.issued', 'permission.requested', 'access_request.created', 'policy.created']);
      const uncounted = await alice.history({ _sortKeys: 'eventTime', _pageSize: '4' });
      assert.equal(uncounted.json.totalPagedResults, -1);
      assert.equal(uncounted.json.remainingPagedResults, -1);
      const next = await alice.history({ _sortKeys: 'eventTime', _pageSize: '4', _pagedResultsCookie: uncounted.json.pagedResultsCookie });
      assert.deepEqual([...types(uncounted), ...types(next)], types(await alice.history({ _sortKeys: 'eventTime' })));
      assert.equal(next.json.pagedResultsCookie, null);
      assert.equal(next.json.remainingPagedResults, 0);
      assertCrest(await alice.history({ _pageSize: '4', _pagedResultsCookie: uncounted.json.pagedResultsCookie }), 400, 'Bad Request', /_pagedResultsCookie/);
      assertCrest(await alice.history({ _pagedResultsCookie: 'not a cookie' }), 400, 'Bad Request', /_pagedResultsCookie/);
      assertCrest(await alice.history({ _pagedResultsOffset: '10001' }), 400, 'Bad Request', /at most 10000/);
      assertCrest(await alice.history({ _totalPagedResultsPolicy: 'SOME' }), 400, 'Bad Request', /_totalPagedResultsPolicy/);
    });

    it('only the owner (and a realm administrator) may read it; others learn nothing', async () => {
      const bob = await signIn(s, 'bob');
      assertCrest(await request(s.app, 'GET', auditUrl('alice'), { headers: session(bob) }), 403, 'Forbidden');
      assert.equal((await request(s.app, 'GET', `${auditUrl('bob')}?_totalPagedResultsPolicy=EXACT`, { headers: session(bob) })).json.totalPagedResults, 0);
      const admin = await signIn(s, 'amAdmin');
      assert.equal((await request(s.app, 'GET', `${auditUrl('alice')}?_totalPagedResultsPolicy=ESTIMATE`, { headers: session(admin) })).json.totalPagedResults, 6);
      assertCrest(await request(s.app, 'GET', auditUrl('alice'), {}), 401, 'Unauthorized');
    });

    it('is append-only: no method changes it', async () => {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
        assertCrest(await request(s.app, method, auditUrl('alice'), { headers: alice.headers, body: {} }), 405, 'Method Not Allowed');
      }
      assertCrest(await request(s.app, 'DELETE', `${auditUrl('alice')}/some-id`, { headers: alice.headers }), 404, 'Not Found');
      assert.equal((await alice.history({ _totalPagedResultsPolicy: 'EXACT' })).json.totalPagedResults, 6);
    });

    it('bad queries are 400 naming the problem', async () => {
      assertCrest(await alice.history({ _queryFilter: 'resourceOwnerId eq "alice"' }), 400, 'Bad Request', "'/resourceOwnerId' not queryable");
      assertCrest(await alice.history({ _queryFilter: 'type gt "a"' }), 400, 'Bad Request', /not supported on '\/type'; only eq is/);
      assertCrest(await alice.history({ _queryFilter: 'eventTime gt "yesterday"' }), 400, 'Bad Request', /eventTime compares with milliseconds/);
      assertCrest(await alice.history({ _queryFilter: 'eventTime co 5' }), 400, 'Bad Request', /only eq, gt, ge, lt and le are/);
      assertCrest(await alice.history({ _queryFilter: 'type eq 5' }), 400, 'Bad Request', /quoted string/);
      assertCrest(await alice.history({ _queryFilter: 'type eq "x" or type eq "y"' }), 400, 'Bad Request', /'or' is not supported/);
      assertCrest(await alice.history({ _sortKeys: 'type' }), 400, 'Bad Request', /not sortable/);
      assertCrest(await alice.history({ _pageSize: 'ten' }), 400, 'Bad Request', /_pageSize/);
      assertCrest(await alice.history({ _fields: 'type' }), 400, 'Bad Request', /Unsupported query parameter _fields/);
    });
  });
}
