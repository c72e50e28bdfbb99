/**
 * Security: bodies are UTF-8. JSON declared in another charset (RFC 8259 §8.1 requires UTF-8) and
 * forms declared in another charset (RFC 6749 Appendix B) are refused instead of being read as UTF-8
 * anyway: a filter in front of Steward that honoured the declaration would see other text than
 * Steward acts on. The owner APIs answer 415 in their CREST shape; the OAuth-style endpoints, which
 * have no media-type error, answer 400 `invalid_request`. Nothing is written either way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertCrest, policyUrl, registerResource, session, signIn, userId } from '../owner-policies/fixture.ts';
import { assertOAuth, raw } from '../bad-input/fixture.ts';
import { resourceIdsOf } from '../../packages/store/test/helpers/lists.ts';

const REFUSED = ['utf-16', 'UTF-16LE', '"utf-16"', 'iso-8859-1', 'utf-8; charset=utf-16', 'utf-16; charset=utf-8', ''];
const ACCEPTED = ['utf-8', 'UTF-8', '"utf-8"', 'us-ascii'];

for (const dialect of dialects) {
  describe(`security: JSON and form bodies in a charset other than UTF-8 (${dialect})`, () => {
    let s: TestSteward;
    let alice: string;
    let aliceId: string;
    let pat: string;
    before(async () => {
      s = await startTestSteward(dialect);
      alice = await signIn(s, 'alice');
      aliceId = await userId(s, 'alice');
      const res = await raw(s.app, 'POST', DEMO.token, { headers: { authorization: basic(DEMO.rs.id, DEMO.rs.secret), 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=password&username=alice&password=Ch4ng31t&scope=uma_protection' });
      assert.equal(res.status, 200, res.body);
      pat = res.json.access_token;
    });
    after(async () => s?.close());

    it('owner API: JSON declared in another charset is 415 (CREST) and writes nothing', async () => {
      const id = await registerResource(s, 'alice');
      for (const charset of REFUSED) {
        const res = await request(s.app, 'PUT', policyUrl('alice', id), { headers: session(alice, { 'content-type': `application/json; charset=${charset}` }), body: { policyId: id, permissions: [{ subject: 'bob', scopes: ['view'] }] } });
        assertCrest(res, 415, 'Unsupported Media Type');
        assert.match(res.json.message, /UTF-8/);
        assert.equal(await s.deps.store.policies.get('demo', aliceId, id), null, `charset=${charset} wrote a policy`);
      }
      for (const charset of ACCEPTED) {
        const res = await request(s.app, 'PUT', policyUrl('alice', id), { headers: session(alice, { 'content-type': `application/json;charset=${charset}` }), body: { policyId: id, permissions: [{ subject: 'bob', scopes: ['view'] }] } });
        assert.ok(res.status === 200 || res.status === 201, `charset=${charset}: ${res.body}`);
      }
    });

    it('Protection API: JSON declared in another charset is 400 invalid_request and registers nothing', async () => {
      const before = await resourceIdsOf(s.deps.store, 'demo', aliceId, DEMO.rs.id);
      for (const charset of REFUSED) {
        const res = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer(pat), 'content-type': `application/json; charset=${charset}` }, body: { name: 'Album', resource_scopes: ['view'] } });
        assertOAuth(res, 400, 'invalid_request');
        assert.match(res.json.error_description, /UTF-8/);
      }
      assert.deepEqual(await resourceIdsOf(s.deps.store, 'demo', aliceId, DEMO.rs.id), before);
      const ok = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer(pat), 'content-type': 'application/json; charset=UTF-8' }, body: { name: 'Album', resource_scopes: ['view'] } });
      assert.equal(ok.status, 201, ok.body);
    });

    it('token endpoint: a form declared in another charset is 400 invalid_request, a UTF-8 one is served', async () => {
      const form = 'grant_type=client_credentials';
      for (const charset of REFUSED) {
        const res = await raw(s.app, 'POST', DEMO.token, { headers: { authorization: basic(DEMO.rs.id, DEMO.rs.secret), 'content-type': `application/x-www-form-urlencoded; charset=${charset}` }, payload: form });
        assertOAuth(res, 400, 'invalid_request');
        assert.match(res.json.error_description, /UTF-8/);
      }
      for (const charset of ACCEPTED) {
        const res = await raw(s.app, 'POST', DEMO.token, { headers: { authorization: basic(DEMO.rs.id, DEMO.rs.secret), 'content-type': `application/x-www-form-urlencoded; charset=${charset}` }, payload: form });
        assert.equal(res.status, 200, `charset=${charset}: ${res.body}`);
      }
    });
  });
}
