/**
 * The records server's refusals against a real Steward: unknown records, another owner's record,
 * missing or foreign credentials, a missing SSO token, malformed bodies, policies Steward rejects.
 * Each is a clear `{error, message}` JSON with the right status, and nothing is half-written.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { dialects } from '../../../packages/store/test/databases.ts';
import { startTestSteward, type TestSteward } from '../../../test/helpers/steward.ts';
import { createRecordsServer } from '../src/index.ts';
import { CLIENT, ownerToken, RS, ssoToken, token } from './steward-calls.ts';

function assertError(res: LightMyRequestResponse, status: number, error: string, mentions?: RegExp): void {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /application\/json/);
  const body = res.json();
  assert.equal(body.error, error, res.body);
  assert.equal(typeof body.message, 'string');
  if (mentions) assert.match(body.message, mentions);
}

for (const dialect of dialects) {
  describe(`records server: bad inputs (${dialect})`, () => {
    let s: TestSteward;
    let rs: FastifyInstance;
    let alice: Record<string, string>;
    let bob: Record<string, string>;
    let aliceSso: string;
    let recordId: string;
    const policyUrl = () => `/manage/resources/${recordId}/policy`;

    before(async () => {
      s = await startTestSteward(dialect, { listen: true });
      rs = await createRecordsServer({ issuer: s.issuer, baseUrl: 'http://records.test', clientId: RS.id, clientSecret: RS.secret });
      alice = { authorization: `Bearer ${await ownerToken(s.issuer, 'alice')}` };
      bob = { authorization: `Bearer ${await ownerToken(s.issuer, 'bob')}` };
      aliceSso = await ssoToken(s.baseUrl, 'demo', 'alice');
      const created = await rs.inject({ method: 'POST', url: '/manage/resources', headers: alice, payload: { name: 'Current account', type: 'finance', content: { balance: 1200 } } });
      assert.equal(created.statusCode, 201, created.body);
      recordId = created.json().meta.id;
    });
    after(async () => {
      await rs?.close();
      await s?.close();
    });

    it('unknown records: 404 on /manage and /records', async () => {
      assertError(await rs.inject({ method: 'GET', url: '/manage/resources/nope', headers: alice }), 404, 'not_found');
      assertError(await rs.inject({ method: 'PUT', url: '/manage/resources/nope/policy', headers: { ...alice, 'x-sso-token': aliceSso }, payload: { permissions: [] } }), 404, 'not_found');
      assertError(await rs.inject({ method: 'GET', url: '/records/nope/content' }), 404, 'not_found');
      assertError(await rs.inject({ method: 'GET', url: '/nowhere' }), 404, 'not_found');
    });

    it("another owner's record is as missing as an unknown one, and stays untouched", async () => {
      assertError(await rs.inject({ method: 'GET', url: `/manage/resources/${recordId}`, headers: bob }), 404, 'not_found');
      assertError(await rs.inject({ method: 'DELETE', url: `/manage/resources/${recordId}`, headers: bob }), 404, 'not_found');
      assertError(await rs.inject({ method: 'PUT', url: `/manage/resources/${recordId}`, headers: bob, payload: { name: 'Mine', type: 'finance', content: {} } }), 404, 'not_found');
      const list = await rs.inject({ method: 'GET', url: '/manage/resources', headers: bob });
      assert.deepEqual(list.json(), []);
      assert.equal((await rs.inject({ method: 'GET', url: `/manage/resources/${recordId}`, headers: alice })).json().meta.name, 'Current account');
    });

    it('the owner API needs an active uma_protection token of this resource server', async () => {
      assertError(await rs.inject({ method: 'GET', url: '/manage/resources' }), 401, 'invalid_token');
      assertError(await rs.inject({ method: 'GET', url: '/manage/resources', headers: { authorization: 'Bearer not-a-token' } }), 401, 'invalid_token');
      const otherClients = await token(s.issuer, CLIENT, { grant_type: 'password', username: 'alice', password: 'Ch4ng31t', scope: 'openid' });
      assert.equal(otherClients.status, 200);
      assertError(await rs.inject({ method: 'GET', url: '/manage/resources', headers: { authorization: `Bearer ${otherClients.json.access_token}` } }), 401, 'invalid_token');
    });

    it('malformed bodies: 400 (or 415) with a message naming the problem; nothing registered', async () => {
      assertError(await rs.inject({ method: 'POST', url: '/manage/resources', headers: { ...alice, 'content-type': 'application/json' }, payload: '{"name":' }), 400, 'invalid_request');
      assertError(await rs.inject({ method: 'POST', url: '/manage/resources', headers: alice, payload: [1, 2] }), 400, 'invalid_request', /JSON object/);
      assertError(await rs.inject({ method: 'POST', url: '/manage/resources', headers: alice, payload: { name: 'x', type: 'garden', content: {} } }), 400, 'invalid_request', /healthcare, finance/);
      assertError(await rs.inject({ method: 'POST', url: '/manage/resources', headers: alice, payload: { name: '', type: 'finance', content: {} } }), 400, 'invalid_request', /name/);
      assertError(await rs.inject({ method: 'POST', url: '/manage/resources', headers: alice, payload: { name: 'x', type: 'finance' } }), 400, 'invalid_request', /content/);
      assertError(await rs.inject({ method: 'POST', url: '/manage/resources', headers: alice, payload: { name: 'x', type: 'finance', content: {}, scopes: ['ok', 7] } }), 400, 'invalid_request', /scopes/);
      assertError(await rs.inject({ method: 'POST', url: '/manage/resources', headers: { ...alice, 'content-type': 'text/plain' }, payload: 'hello' }), 415, 'unsupported_media_type');
      const ids = await fetch(`${s.issuer}/authz/protection/resource_set`, { headers: alice });
      assert.equal(((await ids.json()) as string[]).length, 1, 'only the record created in before()');
    });

    it('apply policy: the SSO token is required, and a bad one is refused by Steward', async () => {
      const body = { permissions: [{ subject: 'bob', scopes: ['content'] }] };
      assertError(await rs.inject({ method: 'PUT', url: policyUrl(), headers: alice, payload: body }), 401, 'sso_token_required', /x-sso-token/);
      assertError(await rs.inject({ method: 'PUT', url: policyUrl(), headers: { ...alice, 'x-sso-token': 'forged' }, payload: body }), 401, 'authorization_server_refused');
      assert.equal((await rs.inject({ method: 'GET', url: `/manage/resources/${recordId}`, headers: alice })).json().meta.state, 'private');
    });

    it('apply policy: malformed policies are 400, Steward\'s own refusals keep its message; the record stays private', async () => {
      const headers = { ...alice, 'x-sso-token': aliceSso };
      assertError(await rs.inject({ method: 'PUT', url: policyUrl(), headers, payload: { subject: 'bob' } }), 400, 'invalid_request', /permissions/);
      assertError(await rs.inject({ method: 'PUT', url: policyUrl(), headers, payload: { policyId: 'other', permissions: [] } }), 400, 'invalid_request', /policyId/);
      assertError(await rs.inject({ method: 'PUT', url: policyUrl(), headers, payload: { permissions: [{ scopes: ['content'] }] } }), 400, 'authorization_server_refused', /subject/);
      assertError(await rs.inject({ method: 'PUT', url: policyUrl(), headers, payload: { permissions: [{ subject: 'bob', scopes: ['print'] }] } }), 400, 'authorization_server_refused');
      assert.equal((await rs.inject({ method: 'GET', url: `/manage/resources/${recordId}`, headers: alice })).json().meta.state, 'private');
    });

    it('a scope the record does not offer is 404, not a ticket', async () => {
      assertError(await rs.inject({ method: 'POST', url: `/records/${recordId}/print` }), 404, 'not_found', /print/);
    });
  });
}
