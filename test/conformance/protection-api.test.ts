/**
 * Conformance gaps of the Protection API and the claims interaction endpoint, on both stores: a
 * parameter sent twice in a resource description (Fed Authz §3.2), error_description's character set
 * (RFC 6749 §5.2, Fed Authz §6), an expired PAT (RFC 6750 §3.1), and no automatic redirect from the
 * claims interaction endpoint for a bad client or claims_redirect_uri (UMA Grant §3.3.2).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, postForm, request } from '../helpers/http.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { assertError, auth, register } from '../protection-api/fixture.ts';
import { UmaWorld } from '../uma-grant/fixture.ts';

/** RFC 6749 §5.2: error_description uses only %x20-21 / %x23-5B / %x5D-7E. */
const ERROR_CHARS = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;
const CLAIMS = '/realms/demo/uma/claims';

for (const dialect of dialects) {
  describe(`conformance: Protection API (${dialect})`, () => {
    const clock = new TestClock();
    let s: TestSteward;
    let w: UmaWorld;
    let pat: string;

    before(async () => {
      s = await startTestSteward(dialect, { clock });
      w = new UmaWorld(s);
      pat = await w.pat('alice');
    });
    after(async () => s?.close());

    const json = (method: 'POST' | 'PUT', url: string, body: string) => request(s.app, method, url, { headers: { ...auth(pat), 'content-type': 'application/json' }, body });

    it('refuses a resource description with resource_scopes twice: 400 invalid_request on create and on replace', async () => {
      const twice = '{"name":"Album","resource_scopes":["view"],"resource_scopes":["print"]}';
      assertError(await json('POST', DEMO.resourceSet, twice), 400, 'invalid_request');
      const id = (await register(s, pat, { resource_scopes: ['view'] })).json._id;
      assertError(await json('PUT', `${DEMO.resourceSet}/${id}`, twice), 400, 'invalid_request');
      const read = await request(s.app, 'GET', `${DEMO.resourceSet}/${id}`, { headers: auth(pat) });
      assert.deepEqual(read.json.resource_scopes, ['view']);
    });

    it('keeps error_description within the characters RFC 6749 §5.2 allows when it echoes a scope', async () => {
      const r = await w.resource('alice', ['view']);
      const res = await request(s.app, 'POST', DEMO.permission, { headers: auth(pat), body: { resource_id: r, resource_scopes: ['vi"ew\\ caf\u00e9 \u2603'] } });
      assertError(res, 400, 'invalid_scope');
      assert.equal(typeof res.json.error_description, 'string');
      assert.match(res.json.error_description, ERROR_CHARS, res.json.error_description);
    });

    it('never redirects from the claims interaction endpoint for a bad client or claims_redirect_uri', async () => {
      const t = await w.ticket('alice', [[await w.resource('alice', ['view']), ['view']]]);
      const cases: Array<Record<string, string>> = [
        { client_id: DEMO.client.id, ticket: t, claims_redirect_uri: 'https://evil.example/cb', state: 's' },
        // An ordinary OAuth redirect URI of the client is not a claims redirect URI.
        { client_id: DEMO.client.id, ticket: t, claims_redirect_uri: 'http://127.0.0.1:3001/callback', state: 's' },
        { client_id: DEMO.client.id, ticket: t, claims_redirect_uri: 'http://127.0.0.1:3001/claims-callback#frag', state: 's' },
        { client_id: 'nobody', ticket: t, claims_redirect_uri: 'http://127.0.0.1:3001/claims-callback', state: 's' },
        { ticket: t, claims_redirect_uri: 'http://127.0.0.1:3001/claims-callback', state: 's' },
      ];
      for (const params of cases) {
        const res = await request(s.app, 'GET', `${CLAIMS}?${new URLSearchParams(params)}`);
        assert.ok(res.status >= 400, `${res.status} for ${JSON.stringify(params)}`);
        assert.equal(res.headers.location, undefined, JSON.stringify(params));
        assert.match(String(res.headers['content-type']), /^text\/html/);
      }
    });

    // Moves the clock: keep last.
    it('refuses an expired PAT with 401 invalid_token on resource registration, permission and introspection', async () => {
      const expired = await w.pat('alice');
      const r = await w.resource('alice', ['view']);
      clock.advance(301);
      const replies = [
        await request(s.app, 'GET', DEMO.resourceSet, { headers: auth(expired) }),
        await request(s.app, 'POST', DEMO.permission, { headers: auth(expired), body: { resource_id: r, resource_scopes: ['view'] } }),
        await postForm(s.app, DEMO.introspect, { token: expired }, auth(expired)),
      ];
      for (const res of replies) {
        assertError(res, 401, 'invalid_token');
        assert.match(String(res.headers['www-authenticate']), /^Bearer realm="demo", error="invalid_token"/);
      }
      assert.equal((await request(s.app, 'GET', DEMO.resourceSet, { headers: auth(await w.pat('alice')) })).status, 200);
    });
  });
}
