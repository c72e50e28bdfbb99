/**
 * Resource servers reporting actual accesses (`POST /realms/{r}/authz/protection/access`), on both
 * stores: recorded as `resource.accessed` in the owner's history; a resource of another resource
 * server or owner is 404; an RPT that does not cover the resource, unknown scopes and bad bodies 400.
 * A batch (an array body) is recorded whole, or with one bad report not at all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { bearer, request, type Reply } from '../helpers/http.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { assertError, Owner, payload, REPORT_URL, UmaWorld } from '../access-requests/fixture.ts';

const OTHER_RS = { id: 'other-rs', secret: 'other-rs-secret' };

for (const dialect of dialects) {
  describe(`access reports (${dialect})`, () => {
    const clock = new TestClock();
    let s: TestSteward;
    let w: UmaWorld;
    let otherRs: UmaWorld;
    let alice: Owner;
    let r = '';
    let rpt = '';

    before(async () => {
      s = await startTestSteward(dialect, { clock });
      await addClient(s.deps, 'demo', { clientId: OTHER_RS.id, secret: OTHER_RS.secret, grantTypes: ['client_credentials'] });
      w = new UmaWorld(s);
      otherRs = new UmaWorld(s, 'demo', OTHER_RS);
      alice = await Owner.signIn(s, 'alice');
      r = await w.resource('alice', ['view', 'print'], 'Diary');
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view']]]) });
      assert.equal(res.status, 200, res.body);
      rpt = res.json.access_token;
    });
    after(async () => s?.close());

    /** How many accesses Alice's history holds (the exact total, not one page). */
    async function count(): Promise<number> {
      const res = await alice.history({ _queryFilter: 'type eq "resource.accessed"', _pageSize: '1', _totalPagedResultsPolicy: 'EXACT' });
      assert.equal(res.status, 200, res.body);
      return res.json.totalPagedResults;
    }

    async function report(body: unknown, world: UmaWorld = w, owner = 'alice'): Promise<Reply> {
      return request(s.app, 'POST', REPORT_URL, { headers: { authorization: bearer(await world.pat(owner)) }, body });
    }

    it('records an access named by the RPT’s jti in the owner’s history', async () => {
      clock.advance(5);
      const res = await report({ resource_id: r, rpt: payload(rpt).jti, scopes: ['view'] });
      assert.equal(res.status, 201, res.body);
      assert.equal(res.json.eventTime, clock.now() * 1000);
      const history = await alice.history({ _queryFilter: 'type eq "resource.accessed"' });
      assert.equal(history.json.resultCount, 1);
      const [e] = history.json.result;
      assert.equal(e._id, res.json._id);
      assert.equal(e.resourceSetId, r);
      assert.equal(e.resourceSetName, 'Diary');
      assert.equal(e.requestingPartyId, 'bob');
      assert.equal(e.clientId, 'photoz-client');
      assert.deepEqual(e.scopes, ['view']);
      assert.equal(e.detail.resourceServer, 'photoz-rs');
    });

    it('records an access named by subject, at the time reported', async () => {
      const at = clock.now() - 3600;
      const res = await report({ resource_id: r, subject: await w.userId('bob'), time: at });
      assert.equal(res.status, 201, res.body);
      const history = await alice.history({ _queryFilter: `type eq "resource.accessed" and eventTime eq ${at * 1000}` });
      assert.equal(history.json.resultCount, 1);
      assert.equal(history.json.result[0].requestingPartyId, 'bob');
    });

    it('a resource of another resource server or another owner is 404', async () => {
      assertError(await report({ resource_id: r, rpt: payload(rpt).jti }, otherRs), 404, 'not_found');
      assertError(await report({ resource_id: r, subject: 'x' }, w, 'bob'), 404, 'not_found');
      assertError(await report({ resource_id: 'no-such-resource', subject: 'x' }), 404, 'not_found');
    });

    it('an RPT that does not cover the resource, unknown scopes and bad bodies are 400', async () => {
      const mine = await w.resource('alice', ['view']);
      assertError(await report({ resource_id: mine, rpt: payload(rpt).jti }), 400, 'invalid_request');
      assertError(await report({ resource_id: r, rpt: 'unknown-jti' }), 400, 'invalid_request');
      assertError(await report({ resource_id: r, rpt: payload(rpt).jti, subject: 'someone-else' }), 400, 'invalid_request');
      assertError(await report({ resource_id: r, subject: 'x', scopes: ['delete'] }), 400, 'invalid_scope');
      assertError(await report({ resource_id: r }), 400, 'invalid_request');
      assertError(await report({ subject: 'x' }), 400, 'invalid_request');
      assertError(await report({ resource_id: r, subject: 'x', time: 'now' }), 400, 'invalid_request');
      assertError(await report({ resource_id: r, subject: 'x', time: clock.now() + 3600 }), 400, 'invalid_request');
      assertError(await report([r]), 400, 'invalid_request');
      assertError(await report([{ resource_id: r }]), 400, 'invalid_request');
      const form = await request(s.app, 'POST', REPORT_URL, { headers: { authorization: bearer(await w.pat('alice')), 'content-type': 'text/plain' }, body: 'hello' });
      assertError(form, 400, 'invalid_request');
      const history = await alice.history({ _queryFilter: 'type eq "resource.accessed"' });
      assert.equal(history.json.resultCount, 2, 'nothing recorded by refused reports');
    });

    it('records a batch in one call, answering one entry per report in order', async () => {
      const before = await count();
      const at = clock.now() - 60;
      const res = await report([
        { resource_id: r, rpt: payload(rpt).jti, scopes: ['view'] },
        { resource_id: r, subject: await w.userId('bob'), scopes: ['print'], time: at },
      ]);
      assert.equal(res.status, 201, res.body);
      assert.equal(res.json.length, 2);
      assert.deepEqual(res.json.map((e: { eventTime: number }) => e.eventTime), [clock.now() * 1000, at * 1000]);
      const history = await alice.history({ _queryFilter: 'type eq "resource.accessed"', _sortKeys: '-eventTime' });
      assert.equal(await count(), before + 2);
      const byId = new Map<string, any>(history.json.result.map((e: { _id: string }) => [e._id, e]));
      const [first, second] = res.json.map((e: { _id: string }) => byId.get(e._id));
      assert.deepEqual([first.requestingPartyId, first.clientId, first.scopes], ['bob', 'photoz-client', ['view']]);
      assert.deepEqual([second.requestingPartyId, second.scopes, second.eventTime], ['bob', ['print'], at * 1000]);
    });

    it('refuses a batch that is empty, too long, or holds one bad report, and writes nothing', async () => {
      const before = await count();
      const good = { resource_id: r, subject: 'x', scopes: ['view'] };
      const empty = await report([]);
      assertError(empty, 400, 'invalid_request');
      const long = await report(Array.from({ length: 101 }, () => good));
      assertError(long, 400, 'invalid_request');
      assert.match(long.json.error_description, /1 to 100/);
      assert.equal((await report(Array.from({ length: 100 }, () => good))).status, 201, 'a hundred is the limit, not over it');
      const afterHundred = await count();
      assert.equal(afterHundred, before + 100);

      const badMember = await report([good, good, { resource_id: r, subject: 'x', time: 'now' }]);
      assertError(badMember, 400, 'invalid_request');
      assert.match(badMember.json.error_description, /^reports\[2\]: time/);
      const badScope = await report([good, { resource_id: r, subject: 'x', scopes: ['delete'] }]);
      assertError(badScope, 400, 'invalid_scope');
      assert.match(badScope.json.error_description, /^reports\[1\]: Scope delete/);
      const badRpt = await report([good, { resource_id: r, rpt: 'unknown-jti' }]);
      assertError(badRpt, 400, 'invalid_request');
      assertError(await report([good, 'not an object']), 400, 'invalid_request');
      assert.equal(await count(), afterHundred, 'nothing recorded by refused batches');
    });

    it('a batch naming another owner\'s resource with a user\'s PAT, or another server\'s, is 404 and writes nothing', async () => {
      const before = await count();
      const bobs = await w.resource('bob', ['view'], 'Bob\'s notes');
      const mixed = await report([{ resource_id: r, subject: 'x' }, { resource_id: bobs, subject: 'x' }]);
      assertError(mixed, 404, 'not_found');
      assert.match(mixed.json.error_description, /^reports\[1\]: /);
      assertError(await report([{ resource_id: r, subject: 'x' }], otherRs), 404, 'not_found');
      assert.equal(await count(), before);
      const bob = await Owner.signIn(s, 'bob');
      assert.equal((await bob.history({ _queryFilter: 'type eq "resource.accessed"' })).json.resultCount, 0);
    });

    it('needs a PAT: none is 401, an RPT or a token without uma_protection is refused', async () => {
      const none = await request(s.app, 'POST', REPORT_URL, { body: { resource_id: r, subject: 'x' } });
      assert.equal(none.status, 401);
      assertError(await request(s.app, 'POST', REPORT_URL, { headers: { authorization: bearer(rpt) }, body: { resource_id: r, subject: 'x' } }), 401, 'invalid_token');
      const get = await request(s.app, 'GET', REPORT_URL);
      assertError(get, 405, 'unsupported_method_type');
    });
  });
}
