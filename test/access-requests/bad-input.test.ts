/**
 * Bad input on the pending requests API, on both stores: answering twice (409), another owner's
 * request (404, nothing leaked), scopes not asked (400 naming them), unknown or missing `_action`,
 * malformed filters and bodies, wrong media type, no credentials, unsupported methods.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertCrest, assertError, Owner, pendingUrl, UmaWorld } from './fixture.ts';

for (const dialect of dialects) {
  describe(`access requests: bad input (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    let alice: Owner;
    let bob: Owner;
    let r = '';
    let id = '';

    before(async () => {
      s = await startTestSteward(dialect);
      w = new UmaWorld(s);
      alice = await Owner.signIn(s, 'alice');
      bob = await Owner.signIn(s, 'bob');
      r = await w.resource('alice', ['view', 'print', 'edit']);
      assertError(await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view', 'print']]]) }), 403, 'request_submitted');
      id = (await alice.pendingOn(r))[0]._id;
    });
    after(async () => s?.close());

    it('approving scopes that were not requested is 400 naming them, and changes nothing', async () => {
      const res = await alice.act(id, 'approve', { scopes: ['view', 'edit', 'delete'] });
      assertCrest(res, 400, 'Bad Request', 'Scopes not requested: edit, delete.');
      assertCrest(await alice.act(id, 'approve', { scopes: [] }), 400, 'Bad Request', /at least one/);
      assertCrest(await alice.act(id, 'approve', { scopes: 'view' }), 400, 'Bad Request', /scopes must be an array/);
      assertCrest(await alice.act(id, 'approve', [1, 2]), 400, 'Bad Request', /JSON object/);
      assertCrest(await alice.act(id, 'approve', '{"scopes":'), 400, 'Bad Request');
      const wrongType = await request(s.app, 'POST', pendingUrl('alice', id, '?_action=approve'), { headers: { ...alice.headers, 'content-type': 'text/plain' }, body: 'view' });
      assertCrest(wrongType, 415, 'Unsupported Media Type');
      assert.equal((await alice.pendingOn(r)).length, 1, 'still pending');
    });

    it('an unknown or missing _action is 400; a repeated one too', async () => {
      assertCrest(await alice.act(id, 'accept'), 400, 'Bad Request', 'Unknown _action accept: approve, deny or reopen');
      assertCrest(await request(s.app, 'POST', pendingUrl('alice', id), { headers: alice.headers }), 400, 'Bad Request', /_action is required/);
      assertCrest(await request(s.app, 'POST', pendingUrl('alice', id, '?_action=deny&_action=approve'), { headers: alice.headers }), 400, 'Bad Request', /repeated/);
      assertCrest(await request(s.app, 'POST', pendingUrl('alice', undefined, '?_action=approve'), { headers: alice.headers }), 400, 'Bad Request', /approveAll or denyAll/);
      assertCrest(await alice.act(id, 'reopen'), 409, 'Conflict', /only a denied request can be reopened/);
    });

    it('malformed query filters and parameters are 400', async () => {
      assertCrest(await alice.list({ _queryFilter: 'status eq' }), 400, 'Bad Request', /_queryFilter/);
      assertCrest(await alice.list({ _queryFilter: 'secret eq "x"' }), 400, 'Bad Request', "'/secret' not queryable");
      assertCrest(await alice.list({ _queryFilter: 'status co "pend"' }), 400, 'Bad Request', /not supported/);
      assertCrest(await alice.list({ _queryFilter: '(status eq "pending"' }), 400, 'Bad Request');
      assertCrest(await alice.list({ _pageSize: '-1' }), 400, 'Bad Request', /_pageSize/);
      assertCrest(await alice.list({ _sortKeys: 'when' }), 400, 'Bad Request', /Unsupported query parameter _sortKeys/);
    });

    it('another owner’s request is 404 under your own name, and someone else’s name is 403: nothing leaks', async () => {
      const mine = await bob.act(id, 'approve');
      assertCrest(mine, 404, 'Not Found', `Pending request not found, ${id}`);
      const unknown = await bob.act('00000000-0000-7000-8000-000000000000', 'approve');
      assert.equal(unknown.json.message, 'Pending request not found, 00000000-0000-7000-8000-000000000000');
      assertCrest(await request(s.app, 'GET', pendingUrl('bob', id), { headers: bob.headers }), 404, 'Not Found');
      assertCrest(await bob.act(id, 'approve', undefined, 'alice'), 403, 'Forbidden');
      assertCrest(await bob.list({}, 'alice'), 403, 'Forbidden');
      assert.equal((await bob.list()).json.resultCount, 0);
      assert.equal((await alice.pendingOn(r)).length, 1, 'untouched');
    });

    it('no credentials is 401; other methods are 405', async () => {
      assertCrest(await request(s.app, 'GET', pendingUrl('alice'), {}), 401, 'Unauthorized');
      assertCrest(await request(s.app, 'POST', pendingUrl('alice', id, '?_action=approve'), {}), 401, 'Unauthorized');
      assertCrest(await request(s.app, 'PUT', pendingUrl('alice', id), { headers: alice.headers, body: {} }), 405, 'Method Not Allowed');
      assertCrest(await request(s.app, 'DELETE', pendingUrl('alice'), { headers: alice.headers }), 405, 'Method Not Allowed');
    });

    it('answering an answered request is 409, and the first answer stands', async () => {
      const first = await alice.act(id, 'approve', { scopes: ['view'] });
      assert.equal(first.status, 200, first.body);
      assertCrest(await alice.act(id, 'approve'), 409, 'Conflict', `Request ${id} is already approved.`);
      assertCrest(await alice.act(id, 'deny'), 409, 'Conflict', `Request ${id} is already approved.`);
      const read = await request(s.app, 'GET', pendingUrl('alice', id), { headers: alice.headers });
      assert.equal(read.json.status, 'approved');
      assert.deepEqual(read.json.approvedPermissions, ['view']);
    });

    it('concurrent approvals: exactly one wins, the others are 409, the policy is written once', async () => {
      const other = await w.resource('alice', ['view']);
      assertError(await w.grantAs('bob', { ticket: await w.ticket('alice', [[other, ['view']]]) }), 403, 'request_submitted');
      const [pending] = await alice.pendingOn(other);
      const answers = await Promise.all([1, 2, 3, 4].map(() => alice.act(pending._id, 'approve')));
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409, 409, 409]);
      const history = await alice.history({ _queryFilter: `resourceSetId eq "${other}" and type eq "share.granted"` });
      assert.equal(history.json.resultCount, 1);
    });
  });
}
