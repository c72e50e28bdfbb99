/** @module test/owner-policies/hostile — malformed, oversized and tricky input to the policies API: a clear 4xx, never a 500. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertCrest, bobViewComment, policyUrl, registerResource, session, signIn, userId } from './fixture.ts';

for (const dialect of dialects) {
  describe(`owner policies: hostile input (${dialect})`, () => {
    let steward: TestSteward;
    let alice: string;
    let id: string;
    before(async () => {
      steward = await startTestSteward(dialect);
      alice = await signIn(steward, 'alice');
      id = await registerResource(steward, 'alice');
    });
    after(async () => steward?.close());

    const put = (body: unknown, headers: Record<string, string> = {}) => request(steward.app, 'PUT', policyUrl('alice', id), { body, headers: session(alice, headers) });
    const assertNoPolicy = async () => assert.equal(await steward.deps.store.policies.get(DEMO.realm, await userId(steward, 'alice'), id), null);

    it('answers policy ids with path tricks, NUL or huge length as not found', async () => {
      for (const raw of ['..%2F..%2Fadmin', `${id}%00`, `${id}%2F..`, `%27%20OR%201%3D1--`, 'x'.repeat(400)]) {
        for (const method of ['GET', 'DELETE'] as const) {
          const res = await request(steward.app, method, policyUrl('alice', raw), { headers: session(alice) });
          assertCrest(res, 404, 'Not Found', /^UMA Policy not found, /);
        }
        const decoded = decodeURIComponent(raw);
        const res = await request(steward.app, 'PUT', policyUrl('alice', raw), { body: bobViewComment(decoded), headers: session(alice) });
        assertCrest(res, 404, 'Not Found');
      }
      assertCrest(await request(steward.app, 'GET', policyUrl('alice%00', id), { headers: session(alice) }), 403, 'Forbidden');
      const admin = await signIn(steward, 'amAdmin');
      assertCrest(await request(steward.app, 'GET', policyUrl('alice%00', id), { headers: session(admin) }), 404, 'Not Found');
    });

    it('refuses malformed JSON, wrong media types and missing bodies', async () => {
      assertCrest(await put('{"policyId": ', { 'content-type': 'application/json' }), 400, 'Bad Request');
      assertCrest(await put('', { 'content-type': 'application/json' }), 400, 'Bad Request');
      assertCrest(await put('{"__proto__": {"admin": true}, "policyId": "x"}', { 'content-type': 'application/json' }), 400, 'Bad Request');
      assertCrest(await put(JSON.stringify(bobViewComment(id)), { 'content-type': 'text/plain' }), 415, 'Unsupported Media Type');
      assertCrest(await put(`policyId=${id}`, { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'Unsupported Media Type');
      assertCrest(await put('<policy/>', { 'content-type': 'application/xml' }), 415, 'Unsupported Media Type');
      assertCrest(await request(steward.app, 'PUT', policyUrl('alice', id), { headers: session(alice) }), 400, 'Bad Request');
      await assertNoPolicy();
    });

    it('refuses bodies of the wrong shape with AM-style messages', async () => {
      const perm = (p: unknown) => ({ policyId: id, permissions: [p] });
      const cases: Array<[unknown, RegExp | string]> = [
        [null, /must be a JSON object/],
        [[bobViewComment(id)], /must be a JSON object/],
        ['"a string"', /must be a JSON object/],
        [{ permissions: [{ subject: 'bob', scopes: ['view'] }] }, "Invalid UMA policy. Missing required attribute, 'policyId'."],
        [{ policyId: 42, permissions: [] }, "Invalid UMA policy. Required attribute, 'policyId', must be a String."],
        [{ policyId: id }, "Invalid UMA policy. Missing required attribute, 'permissions'."],
        [{ policyId: id, permissions: { subject: 'bob' } }, "Invalid UMA policy. Required attribute, 'permissions', must be an array."],
        [{ policyId: id, permissions: [] }, /must not be empty/],
        [perm('bob'), /Each permission must be a JSON object/],
        [perm({ subject: 7, scopes: ['view'] }), "Invalid UMA policy permission. Required attribute, 'subject', must be a String."],
        [perm({ subject: ['bob'], scopes: ['view'] }), "Invalid UMA policy permission. Required attribute, 'subject', must be a String."],
        [perm({ subject: { $ne: null }, scopes: ['view'] }), "Invalid UMA policy permission. Required attribute, 'subject', must be a String."],
        [perm({ subject: null, scopes: ['view'] }), "Invalid UMA policy permission. Missing required attribute, 'subject'."],
        [perm({ subject: '', scopes: ['view'] }), /'subject', must be 1 to 256 characters/],
        [perm({ subject: 'b'.repeat(257), scopes: ['view'] }), /'subject', must be 1 to 256 characters/],
        [perm({ subject: 'bob', scopes: 'view' }), "Invalid UMA policy permission. Required attribute, 'scopes', must be an array of Strings."],
        [perm({ subject: 'bob', scopes: ['view', 3] }), "Invalid UMA policy permission. Required attribute, 'scopes', must be an array of Strings."],
        [perm({ subject: 'bob', scopes: [] }), /'scopes', must not be empty/],
        [perm({ subject: 'bob', scopes: [''] }), /Each scope must be 1 to 256 characters/],
        [perm({ subject: 'bob\u0000', scopes: ['view'] }), /Unknown subject/],
        [perm({ subject: 'bob', scopes: ['view\u0000'] }), /Unknown scope/],
      ];
      for (const [body, message] of cases) {
        const res = await put(typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json' });
        assertCrest(res, 400, 'Bad Request', message);
      }
      await assertNoPolicy();
    });

    it('bounds the work of one request: huge arrays get 400, huge bodies 413', async () => {
      const many = { policyId: id, permissions: Array.from({ length: 101 }, () => ({ subject: 'bob', scopes: ['view'] })) };
      assertCrest(await put(many), 400, 'Bad Request', /At most 100 permissions/);
      const scopes = { policyId: id, permissions: [{ subject: 'bob', scopes: Array.from({ length: 101 }, () => 'view') }] };
      assertCrest(await put(scopes), 400, 'Bad Request', /At most 100 scopes/);
      const huge = { policyId: id, permissions: [{ subject: 'bob', scopes: Array.from({ length: 20_000 }, () => 'view') }] };
      assertCrest(await put(huge), 413, 'Payload Too Large');
      await assertNoPolicy();
      // At the limit it works, and the repeats are merged.
      const full = { policyId: id, permissions: Array.from({ length: 100 }, (_, i) => ({ subject: 'bob', scopes: i === 0 ? Array.from({ length: 100 }, () => 'view') : ['view'] })) };
      const res = await put(full);
      assert.equal(res.status, 201, res.body);
      const read = await request(steward.app, 'GET', policyUrl('alice', id), { headers: session(alice) });
      assert.deepEqual(read.json.permissions, [{ subject: 'bob', scopes: ['view'] }]);
      assert.equal((await request(steward.app, 'DELETE', policyUrl('alice', id), { headers: session(alice) })).status, 200);
    });

    it('ignores members it does not know, such as an echoed _rev or name', async () => {
      const body = { ...bobViewComment(id), _id: 'other', _rev: 'bogus', name: 'Renamed', extra: { deep: [1, 2] }, permissions: [{ subject: 'bob', scopes: ['view'], note: 'x' }] };
      const res = await put(body, { 'if-none-match': '*' });
      assert.equal(res.status, 201, res.body);
      const read = await request(steward.app, 'GET', policyUrl('alice', id), { headers: session(alice) });
      assert.deepEqual(read.json, { _id: id, _rev: res.json._rev, policyId: id, name: 'Photo Album', permissions: [{ subject: 'bob', scopes: ['view'] }] });
      assert.equal((await request(steward.app, 'DELETE', policyUrl('alice', id), { headers: session(alice) })).status, 200);
    });

    it('refuses an absurd If-Match', async () => {
      assertCrest(await put(bobViewComment(id), { 'if-match': `"${'r'.repeat(200)}"` }), 400, 'Bad Request');
      assertCrest(await put(bobViewComment(id), { 'if-match': '""' }), 400, 'Bad Request');
      await assertNoPolicy();
    });
  });
}
