/** @module test/owner-policies/policies — ForgeRock AM's UMA policies API's create, read, update and delete of a UMA policy, and their errors. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertCrest, bobViewComment, policyUrl, registerResource, session, signIn, userId } from './fixture.ts';

for (const dialect of dialects) {
  describe(`owner policies: ForgeRock AM's UMA policies REST API (${dialect})`, () => {
    let steward: TestSteward;
    let alice: string;
    before(async () => {
      steward = await startTestSteward(dialect);
      alice = await signIn(steward, 'alice');
    });
    after(async () => steward?.close());

    const put = (id: string, body: unknown, headers: Record<string, string> = {}, user = 'alice') =>
      request(steward.app, 'PUT', policyUrl(user, id), { body, headers: session(alice, { 'cache-control': 'no-cache', ...headers }) });
    const get = (id: string) => request(steward.app, 'GET', policyUrl('alice', id), { headers: session(alice) });
    const del = (id: string) => request(steward.app, 'DELETE', policyUrl('alice', id), { headers: session(alice) });

    it('creates, reads, updates and deletes as AM documents', async () => {
      const id = await registerResource(steward, 'alice');
      const created = await put(id, bobViewComment(id), { 'if-none-match': '*' });
      assert.equal(created.status, 201, created.body);
      assert.deepEqual(Object.keys(created.json).sort(), ['_id', '_rev']);
      assert.equal(created.json._id, id);
      assert.equal(typeof created.json._rev, 'string');

      const read = await get(id);
      assert.equal(read.status, 200, read.body);
      assert.deepEqual(read.json, { _id: id, _rev: created.json._rev, policyId: id, name: 'Photo Album', permissions: [{ subject: 'bob', scopes: ['view', 'comment'] }] });
      assert.equal(read.headers.etag, `"${created.json._rev}"`);

      const update = {
        policyId: id,
        permissions: [
          { subject: 'bob', scopes: ['view', 'comment'] },
          { subject: 'chris', scopes: ['comment'] },
        ],
      };
      const updated = await put(id, update, { 'if-match': '*' });
      assert.equal(updated.status, 200, updated.body);
      assert.notEqual(updated.json._rev, created.json._rev);
      // Steward answers what it stored (AM's documented echo of `view` for chris is a documentation slip).
      assert.deepEqual(updated.json, { _id: id, _rev: updated.json._rev, policyId: id, name: 'Photo Album', permissions: update.permissions });
      assert.deepEqual((await get(id)).json, updated.json);
      const stored = await steward.deps.store.policies.get(DEMO.realm, await userId(steward, 'alice'), id);
      assert.deepEqual(stored?.permissions, update.permissions);

      const deleted = await del(id);
      assert.equal(deleted.status, 200, deleted.body);
      assert.deepEqual(deleted.json, {});
      assertCrest(await get(id), 404, 'Not Found', `UMA Policy not found, ${id}`);
      assertCrest(await del(id), 404, 'Not Found', `UMA Policy not found, ${id}`);
      assert.equal(await steward.deps.store.policies.get(DEMO.realm, await userId(steward, 'alice'), id), null);
      // The resource itself stays registered.
      assert.ok(await steward.deps.store.resources.get(DEMO.realm, await userId(steward, 'alice'), id));
    });

    it('answers 404 with AM\'s message for an unknown id and for a resource without a policy', async () => {
      const unknown = '43225628-4c5b-4206-b7cc-5164da81decd0';
      assertCrest(await get(unknown), 404, 'Not Found', `UMA Policy not found, ${unknown}`);
      assertCrest(await put(unknown, bobViewComment(unknown), { 'if-match': '*' }), 404, 'Not Found', `UMA Policy not found, ${unknown}`);
      assertCrest(await put(unknown, bobViewComment(unknown), { 'if-none-match': '*' }), 404, 'Not Found', `UMA Policy not found, ${unknown}`);
      const bare = await registerResource(steward, 'alice');
      assertCrest(await get(bare), 404, 'Not Found', `UMA Policy not found, ${bare}`);
      assertCrest(await put(bare, bobViewComment(bare), { 'if-match': '*' }), 404, 'Not Found', `UMA Policy not found, ${bare}`);
      assertCrest(await del(bare), 404, 'Not Found', `UMA Policy not found, ${bare}`);
    });

    it('refuses a second create with 412 and keeps the first policy', async () => {
      const id = await registerResource(steward, 'alice');
      const first = await put(id, bobViewComment(id), { 'if-none-match': '*' });
      assert.equal(first.status, 201);
      const again = await put(id, { policyId: id, permissions: [{ subject: 'dave', scopes: ['download'] }] }, { 'if-none-match': '*' });
      assertCrest(again, 412, 'Precondition Failed');
      assert.deepEqual((await get(id)).json.permissions, [{ subject: 'bob', scopes: ['view', 'comment'] }]);
    });

    it('answers AM\'s documented 400s: missing subject, missing scopes, policy id mismatch', async () => {
      const id = await registerResource(steward, 'alice');
      assertCrest(await put(id, { policyId: id, permissions: [{ scopes: ['view'] }] }, { 'if-none-match': '*' }), 400, 'Bad Request', "Invalid UMA policy permission. Missing required attribute, 'subject'.");
      assertCrest(await put(id, { policyId: id, permissions: [{ subject: 'bob' }] }, { 'if-none-match': '*' }), 400, 'Bad Request', "Invalid UMA policy permission. Missing required attribute, 'scopes'.");
      const other = await registerResource(steward, 'alice');
      assertCrest(await put(id, bobViewComment(other), { 'if-none-match': '*' }), 400, 'Bad Request', 'Policy ID does not match policy ID in the body.');
      assert.equal((await put(id, bobViewComment(id), { 'if-none-match': '*' })).status, 201);
      assertCrest(await put(id, { policyId: id, permissions: [{ scopes: ['view'] }] }, { 'if-match': '*' }), 400, 'Bad Request', "Invalid UMA policy permission. Missing required attribute, 'subject'.");
      assertCrest(await put(id, bobViewComment(other), { 'if-match': '*' }), 400, 'Bad Request', 'Policy ID does not match policy ID in the body.');
      // Nothing was written by the refused updates.
      assert.deepEqual((await get(id)).json.permissions, [{ subject: 'bob', scopes: ['view', 'comment'] }]);
      assert.equal(await steward.deps.store.policies.get(DEMO.realm, await userId(steward, 'alice'), other), null);
    });

    it('names an unknown scope and an unknown subject; refuses sharing with oneself', async () => {
      const id = await registerResource(steward, 'alice', { name: 'Scans', scopes: ['view'] });
      const scope = await put(id, { policyId: id, permissions: [{ subject: 'bob', scopes: ['view', 'print'] }] }, { 'if-none-match': '*' });
      assertCrest(scope, 400, 'Bad Request', /'print'/);
      const subject = await put(id, { policyId: id, permissions: [{ subject: 'mallory', scopes: ['view'] }] }, { 'if-none-match': '*' });
      assertCrest(subject, 400, 'Bad Request', /'mallory'/);
      assertCrest(await put(id, { policyId: id, permissions: [{ subject: 'client:no-such-client', scopes: ['view'] }] }), 400, 'Bad Request', /'client:no-such-client'/);
      assertCrest(await put(id, { policyId: id, permissions: [{ subject: 'client:', scopes: ['view'] }] }), 400, 'Bad Request', /'client:'/);
      assertCrest(await put(id, { policyId: id, permissions: [{ subject: 'alice', scopes: ['view'] }] }), 400, 'Bad Request', /owner/);
      // Usernames are exact: `Bob` is not bob.
      assertCrest(await put(id, { policyId: id, permissions: [{ subject: 'Bob', scopes: ['view'] }] }), 400, 'Bad Request', /'Bob'/);
      assertCrest(await get(id), 404, 'Not Found');
    });

    it('shares with a client as `client:{id}` and merges repeated subjects', async () => {
      const id = await registerResource(steward, 'alice');
      const body = {
        policyId: id,
        permissions: [
          { subject: 'bob', scopes: ['view'] },
          { subject: 'client:photoz-client', scopes: ['download'] },
          { subject: 'bob', scopes: ['comment', 'view'] },
        ],
      };
      assert.equal((await put(id, body, { 'if-none-match': '*' })).status, 201);
      assert.deepEqual((await get(id)).json.permissions, [
        { subject: 'bob', scopes: ['view', 'comment'] },
        { subject: 'client:photoz-client', scopes: ['download'] },
      ]);
    });

    it('updates only at the current revision: a stale _rev gets 412', async () => {
      const id = await registerResource(steward, 'alice');
      const rev1 = (await put(id, bobViewComment(id), { 'if-none-match': '*' })).json._rev;
      const chris = { policyId: id, permissions: [{ subject: 'chris', scopes: ['view'] }] };
      const second = await put(id, chris, { 'if-match': `"${rev1}"` });
      assert.equal(second.status, 200, second.body);
      const rev2 = second.json._rev;
      assert.notEqual(rev2, rev1);
      assertCrest(await put(id, bobViewComment(id), { 'if-match': rev1 }), 412, 'Precondition Failed');
      assert.deepEqual((await get(id)).json.permissions, chris.permissions);
      const third = await put(id, bobViewComment(id), { 'if-match': rev2 });
      assert.equal(third.status, 200, third.body);
      assert.equal(third.headers.etag, `"${third.json._rev}"`);
    });

    it('without a precondition creates (201) then updates (200)', async () => {
      const id = await registerResource(steward, 'alice');
      const created = await put(id, bobViewComment(id));
      assert.equal(created.status, 201, created.body);
      assert.deepEqual(Object.keys(created.json).sort(), ['_id', '_rev']);
      const updated = await put(id, { policyId: id, permissions: [{ subject: 'dave', scopes: ['download'] }] });
      assert.equal(updated.status, 200, updated.body);
      assert.deepEqual(updated.json.permissions, [{ subject: 'dave', scopes: ['download'] }]);
    });

    it('names the policy after its resource, or its id when the resource has no name', async () => {
      const id = await registerResource(steward, 'alice', { scopes: ['view'] });
      assert.equal((await put(id, { policyId: id, permissions: [{ subject: 'bob', scopes: ['view'] }] })).status, 201);
      assert.equal((await get(id)).json.name, id);
    });

    it('refuses bad preconditions and other methods', async () => {
      const id = await registerResource(steward, 'alice');
      assertCrest(await put(id, bobViewComment(id), { 'if-none-match': '"abc"' }), 400, 'Bad Request');
      assertCrest(await put(id, bobViewComment(id), { 'if-none-match': '*', 'if-match': '*' }), 400, 'Bad Request');
      for (const method of ['POST', 'PATCH'] as const) {
        assertCrest(await request(steward.app, method, policyUrl('alice', id), { body: bobViewComment(id), headers: session(alice) }), 405, 'Method Not Allowed');
      }
      assertCrest(await get(id), 404, 'Not Found');
    });
  });
}
