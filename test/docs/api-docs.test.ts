/**
 * The API reference: docs/openapi.json and docs/api.md are what the route definitions generate today,
 * every route is documented, the OpenAPI document holds together, and on both stores the server answers
 * with the statuses, error codes and bodies its docs promise.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import Type from 'typebox';
import { collectedRoutes, collectRoutes, type RouteEntry } from '../../packages/server/src/http/route-docs.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { API_DOC_FILES, generateApiDocs } from '../../tools/gen-api-docs.ts';
import { basic, bearer, DEMO, postForm, request, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { docsProblems, openApiProblems, replyProblems, routeKey, undocumentedRoutes } from './checks.ts';

/**
 * Routes whose docs are not written yet (an endpoint still being written may land here for a while).
 * Keep this list empty or short: the test fails when one of them gets docs, so remove it then.
 */
const KNOWN_UNDOCUMENTED_ROUTES: readonly string[] = [];

describe('API reference', () => {
  let generated: Awaited<ReturnType<typeof generateApiDocs>>;
  let openapi: any;

  before(async () => {
    generated = await generateApiDocs();
    openapi = JSON.parse(generated.openapi);
  });

  it('keeps docs/openapi.json and docs/api.md equal to a fresh generation (npm run docs:api)', () => {
    assert.equal(readFileSync(API_DOC_FILES.openapi, 'utf8'), generated.openapi, 'docs/openapi.json is stale: run npm run docs:api');
    assert.equal(readFileSync(API_DOC_FILES.markdown, 'utf8'), generated.markdown, 'docs/api.md is stale: run npm run docs:api');
  });

  it('documents every route with a summary and at least one answer', () => {
    const missing = undocumentedRoutes(generated.routes);
    assert.deepEqual(missing.filter((k) => !KNOWN_UNDOCUMENTED_ROUTES.includes(k)), [], 'add config.docs to these routes');
    assert.deepEqual(KNOWN_UNDOCUMENTED_ROUTES.filter((k) => !missing.includes(k)), [], 'these are documented now: remove them from KNOWN_UNDOCUMENTED_ROUTES');
  });

  it('catches a route added without docs', async () => {
    const app = Fastify();
    const routes = collectRoutes(app);
    app.get('/documented', { config: { docs: { summary: 'Yes', tags: ['Operations'], operationId: 'yes', auth: 'none', responses: { '200': { description: 'ok' } }, errors: [] } } }, async () => ({}));
    app.route({ method: ['GET', 'POST'], url: '/forgotten/:id', handler: async () => ({}) });
    app.get('/no-answers', { config: { docs: { summary: 'No', tags: ['Operations'], operationId: 'no', auth: 'none', responses: {}, errors: [] } } }, async () => ({}));
    await app.ready();
    assert.deepEqual(undocumentedRoutes(routes), ['GET /forgotten/:id', 'POST /forgotten/:id', 'GET /no-answers']);
    assert.equal(collectedRoutes(app), routes);
    assert.ok(!routes.some((r) => r.method === 'HEAD'), 'HEAD routes are skipped');
    await app.close();
  });

  it('has reply checks that catch a reply its docs do not promise', () => {
    const docs = { summary: 'S', tags: ['Operations'], operationId: 's', auth: 'none', responses: { '200': { description: 'ok', schema: Type.Object({ a: Type.String() }, { additionalProperties: false }) } }, errors: ['invalid_request', 'not_found'] } as const;
    const oauth: RouteEntry = { method: 'GET', url: '/s', errorStyle: 'oauth', docs };
    const crest: RouteEntry = { ...oauth, errorStyle: 'crest' };
    const reply = (status: number, json: unknown): Reply => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(json), json });
    assert.deepEqual(replyProblems(oauth, reply(200, { a: 'x' })), []);
    assert.deepEqual(replyProblems(oauth, reply(400, { error: 'invalid_request' })), []);
    assert.deepEqual(replyProblems(crest, reply(404, { code: 404, reason: 'Not Found', message: 'gone' })), []);
    const caught = [
      reply(200, { a: 1 }),
      reply(200, { a: 'x', b: 'undocumented member' }),
      reply(201, { a: 'x' }),
      reply(400, { error: 'invalid_grant' }),
      reply(401, { error: 'invalid_client' }),
      reply(404, { code: 404, reason: 'Not Found', message: 'gone' }),
    ].map((r) => replyProblems(oauth, r).length);
    assert.deepEqual(caught, [1, 1, 1, 1, 1, 1]);
    assert.equal(replyProblems(crest, reply(404, { error: 'not_found' })).length, 1);
  });

  it('keeps each route\'s docs consistent with its URL', () => {
    assert.deepEqual(docsProblems(generated.routes), []);
  });

  it('generates a structurally valid OpenAPI 3.1 document', () => {
    assert.deepEqual(openApiProblems(openapi), []);
    const operations = Object.values<any>(openapi.paths).flatMap((item) => Object.values<any>(item));
    assert.equal(operations.length, generated.routes.length, 'one operation per route and method');
    assert.ok(Object.keys(openapi.components.schemas).length > 10);
  });

  it('has structural checks that catch a broken document', () => {
    const broken = structuredClone(openapi);
    const token = broken.paths['/realms/{realm}/protocol/openid-connect/token'];
    token.post.parameters = [];
    token.get.operationId = token.post.operationId;
    token.post.responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/Nope' };
    assert.deepEqual(openApiProblems(broken), [
      'POST /realms/{realm}/protocol/openid-connect/token: path parameter {realm} missing from parameters',
      'GET /realms/{realm}/protocol/openid-connect/token: operationId token also used by POST /realms/{realm}/protocol/openid-connect/token',
      '#/paths/~1realms~1{realm}~1protocol~1openid-connect~1token/post/responses/200/content/application~1json/schema: $ref #/components/schemas/Nope does not resolve',
    ].map((p) => p.replace(/~1/g, '/')));
  });

  it('documents each error code with its status and the route\'s error style', () => {
    const token = openapi.paths['/realms/{realm}/protocol/openid-connect/token'].post;
    assert.deepEqual(token.responses['403'].content['application/json'].schema.allOf[1].properties.error.enum, ['need_info', 'request_denied', 'request_submitted', 'access_denied']);
    assert.ok(token.requestBody.content['application/x-www-form-urlencoded'].schema.oneOf.length === 5, 'one body per grant type');
    const policy = openapi.paths['/json/realms/root/realms/{realm}/users/{user}/uma/policies/{policyId}'].put;
    assert.deepEqual(policy.responses['412'].content['application/json'].schema, { $ref: '#/components/schemas/CrestError' });
    assert.deepEqual(openapi.components.securitySchemes.ownerSession, { type: 'apiKey', in: 'header', name: 'iPlanetDirectoryPro', description: 'The `tokenId` from the owner authenticate endpoint.' });
  });
});

for (const dialect of dialects) {
  describe(`API reference against the running server (${dialect})`, () => {
    let s: TestSteward;
    let routes: readonly RouteEntry[];
    const problems: string[] = [];

    before(async () => {
      s = await startTestSteward(dialect);
      routes = collectedRoutes(s.app);
    });
    after(async () => s?.close());

    /** Sends a request to a route (by its Fastify URL) and records any mismatch with its docs. */
    async function call(method: string, pattern: string, url: string, options: { body?: unknown; headers?: Record<string, string>; form?: Record<string, string> } = {}): Promise<Reply> {
      const route = routes.find((r) => r.method === method && r.url === pattern);
      assert.ok(route, `no route ${method} ${pattern}`);
      const reply = options.form ? await postForm(s.app, url, options.form, options.headers) : await request(s.app, method as 'GET', url, options);
      problems.push(...replyProblems(route, reply));
      return reply;
    }

    it('serves the same route table as the one documented', async () => {
      const { routes: documented } = await generateApiDocs();
      assert.deepEqual(routes.map(routeKey), documented.map(routeKey));
    });

    it('answers an unknown realm with 404 in the documented error format on every route that lists not_found', async () => {
      const realmRoutes = routes.filter((r) => r.url.includes(':realm') && r.docs?.errors.includes('not_found'));
      assert.ok(realmRoutes.length > 20);
      for (const r of realmRoutes) {
        const url = r.url.replace(':realm', 'no-such-realm').replace(/:[a-zA-Z]+/g, 'x');
        const reply = await call(r.method, r.url, url, r.method === 'POST' ? { form: {} } : {});
        assert.equal(reply.status, 404, `${routeKey(r)}: ${reply.body}`);
      }
      assert.deepEqual(problems.splice(0), []);
    });

    it('answers the documented statuses and bodies through the whole API', async () => {
      const T = '/realms/:realm/protocol/openid-connect/token';
      const RS = '/realms/:realm/authz/protection/resource_set';
      const POLICY = '/json/realms/root/realms/:realm/users/:user/uma/policies/:policyId';
      const rs = { authorization: basic(DEMO.rs.id, DEMO.rs.secret) };
      const client = { authorization: basic(DEMO.client.id, DEMO.client.secret) };

      await call('GET', '/health/live', '/health/live');
      await call('GET', '/health/ready', '/health/ready');
      for (const doc of ['uma2-configuration', 'openid-configuration', 'oauth-authorization-server']) {
        await call('GET', `/realms/:realm/.well-known/${doc}`, `/realms/demo/.well-known/${doc}`);
        await call('GET', `/.well-known/${doc}/realms/:realm`, `/.well-known/${doc}/realms/demo`);
      }
      await call('GET', '/realms/:realm/protocol/openid-connect/certs', '/realms/demo/protocol/openid-connect/certs');

      // OAuth tokens
      const pat = (await call('POST', T, DEMO.token, { form: { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }, headers: rs })).json.access_token;
      await call('POST', T, DEMO.token, { form: { grant_type: 'client_credentials' }, headers: rs });
      const bob = (await call('POST', T, DEMO.token, { form: { grant_type: 'password', username: 'bob', password: DEMO.password, scope: 'openid email' }, headers: client })).json;
      await call('POST', T, DEMO.token, { form: { grant_type: 'refresh_token', refresh_token: bob.refresh_token }, headers: client });
      const badForms: Array<Record<string, string>> = [{}, { grant_type: 'nope' }, { grant_type: 'password', username: 'bob', password: 'wrong' }, { grant_type: 'client_credentials', scope: 'nope' }];
      for (const form of badForms) {
        await call('POST', T, DEMO.token, { form, headers: client });
      }
      await call('POST', T, DEMO.token, { form: { grant_type: 'client_credentials' }, headers: { authorization: basic(DEMO.rs.id, 'wrong') } });
      await call('GET', T, DEMO.token);
      await call('GET', '/realms/:realm/protocol/openid-connect/userinfo', DEMO.userinfo, { headers: { authorization: bearer(bob.access_token) } });
      await call('POST', '/realms/:realm/protocol/openid-connect/userinfo', DEMO.userinfo, { headers: { authorization: bearer(pat) } });
      await call('GET', '/realms/:realm/protocol/openid-connect/userinfo', DEMO.userinfo);

      // Protection API
      const created = await call('POST', RS, DEMO.resourceSet, { body: { name: 'Album', resource_scopes: ['view', 'download'] }, headers: { authorization: bearer(pat) } });
      assert.equal(created.status, 201, created.body);
      const id = created.json._id as string;
      await call('POST', `${RS}/`, `${DEMO.resourceSet}/`, { body: { resource_scopes: [] }, headers: { authorization: bearer(pat) } });
      await call('GET', RS, DEMO.resourceSet, { headers: { authorization: bearer(pat) } });
      await call('GET', `${RS}/:id`, `${DEMO.resourceSet}/${id}`, { headers: { authorization: bearer(pat) } });
      await call('PUT', `${RS}/:id`, `${DEMO.resourceSet}/${id}`, { body: { name: 'Album', 'name#fr': 'Album photo', resource_scopes: ['view', 'download'] }, headers: { authorization: bearer(pat) } });
      await call('GET', `${RS}/:id`, `${DEMO.resourceSet}/unknown`, { headers: { authorization: bearer(pat) } });
      await call('GET', RS, DEMO.resourceSet, { headers: { authorization: bearer(bob.access_token) } });
      await call('PATCH', `${RS}/:id`, `${DEMO.resourceSet}/${id}`, { body: {}, headers: { authorization: bearer(pat) } });
      await call('DELETE', RS, DEMO.resourceSet, { headers: { authorization: bearer(pat) } });
      const P = '/realms/:realm/authz/protection/permission';
      const ticket = async () => (await call('POST', P, DEMO.permission, { body: { resource_id: id, resource_scopes: ['download'] }, headers: { authorization: bearer(pat) } })).json.ticket as string;
      await call('POST', P, DEMO.permission, { body: [{ resource_id: 'unknown', resource_scopes: [] }], headers: { authorization: bearer(pat) } });
      await call('POST', P, DEMO.permission, { body: { resource_id: id, resource_scopes: ['print'] }, headers: { authorization: bearer(pat) } });
      await call('GET', P, DEMO.permission);

      // Owner API: alice shares download with bob
      const AUTH = '/json/realms/root/realms/:realm/authenticate';
      const signIn = await call('POST', AUTH, '/json/realms/root/realms/demo/authenticate', { headers: { 'x-openam-username': 'alice', 'x-openam-password': DEMO.password } });
      const session = { iPlanetDirectoryPro: signIn.json.tokenId as string };
      await call('POST', AUTH, '/json/realms/root/realms/demo/authenticate', { headers: { 'x-openam-username': 'alice', 'x-openam-password': 'wrong' } });
      await call('GET', AUTH, '/json/realms/root/realms/demo/authenticate');
      const policyUrl = `/json/realms/root/realms/demo/users/alice/uma/policies/${id}`;
      const body = { policyId: id, permissions: [{ subject: 'bob', scopes: ['download'] }] };
      assert.equal((await call('PUT', POLICY, policyUrl, { body, headers: { ...session, 'if-none-match': '*' } })).status, 201);
      await call('PUT', POLICY, policyUrl, { body, headers: { ...session, 'if-none-match': '*' } });
      await call('PUT', POLICY, policyUrl, { body, headers: session });
      await call('PUT', POLICY, policyUrl, { body: 'x', headers: { ...session, 'content-type': 'text/plain' } });
      await call('GET', POLICY, policyUrl, { headers: session });
      await call('GET', POLICY, policyUrl, { headers: { authorization: bearer(bob.access_token) } });
      await call('GET', POLICY, `/json/realms/root/realms/demo/users/bob/uma/policies/${id}`, { headers: session });
      await call('POST', POLICY, policyUrl, { body, headers: session });

      // The UMA grant: the client alone, then bob's ID token
      const UMA = 'urn:ietf:params:oauth:grant-type:uma-ticket';
      const refused = await call('POST', T, DEMO.token, { form: { grant_type: UMA, ticket: await ticket() }, headers: client });
      assert.equal(refused.status, 403, refused.body);
      await call('POST', T, DEMO.token, { form: { grant_type: UMA, ticket: 'spent' }, headers: client });
      const claims = { claim_token: bob.id_token, claim_token_format: 'urn:ietf:params:oauth:token-type:id_token' };
      const rpt = await call('POST', T, DEMO.token, { form: { grant_type: UMA, ticket: await ticket(), ...claims }, headers: client });
      assert.equal(rpt.status, 200, rpt.body);
      const I = '/realms/:realm/protocol/openid-connect/token/introspect';
      await call('POST', I, DEMO.introspect, { form: { token: rpt.json.access_token }, headers: { authorization: bearer(pat) } });
      await call('POST', I, DEMO.introspect, { form: { token: pat }, headers: rs });
      await call('POST', I, DEMO.introspect, { form: { token: 'garbage' }, headers: rs });
      await call('POST', I, DEMO.introspect, { form: { token: 'x' } });
      await call('PUT', I, DEMO.introspect);

      // Revocation, sign-out and deletion
      const R = '/realms/:realm/protocol/openid-connect/revoke';
      await call('POST', R, DEMO.revoke, { form: { token: rpt.json.access_token }, headers: client });
      await call('POST', R, DEMO.revoke, { form: { token: pat }, headers: client });
      await call('POST', R, DEMO.revoke, { form: { token: 'x', token_type_hint: 'nope' }, headers: client });
      await call('DELETE', R, DEMO.revoke);
      await call('DELETE', POLICY, policyUrl, { headers: session });
      await call('DELETE', `${RS}/:id`, `${DEMO.resourceSet}/${id}`, { headers: { authorization: bearer(pat) } });
      const SESSIONS = '/json/realms/root/realms/:realm/sessions';
      await call('POST', SESSIONS, '/json/realms/root/realms/demo/sessions?_action=logout', { headers: session });
      await call('POST', SESSIONS, '/json/realms/root/realms/demo/sessions?_action=logout', { headers: session });
      await call('POST', SESSIONS, '/json/realms/root/realms/demo/sessions?_action=other', { headers: session });

      assert.deepEqual(problems.splice(0), []);
    });

    it('answers the documented statuses and pages on the browser endpoints', async () => {
      const AUTH = '/realms/:realm/protocol/openid-connect/auth';
      const LOGOUT = '/realms/:realm/protocol/openid-connect/logout';
      const auth = '/realms/demo/protocol/openid-connect/auth';
      const logout = '/realms/demo/protocol/openid-connect/logout';
      const params = { client_id: DEMO.client.id, redirect_uri: 'http://127.0.0.1:3001/callback', response_type: 'code', scope: 'openid', state: 's' };
      const query = (p: Record<string, string>) => `?${new URLSearchParams(p).toString()}`;

      const page = await call('GET', AUTH, auth + query(params));
      assert.equal(page.status, 200, page.body);
      const csrf = /steward_csrf_demo=([^;]+)/.exec(String(page.headers['set-cookie']))?.[1];
      assert.ok(csrf, 'the page sets a CSRF cookie');
      await call('GET', AUTH, auth + query({ client_id: 'unknown' }));
      await call('GET', AUTH, auth + query({ ...params, response_type: 'token' }));
      await call('POST', AUTH, auth, { form: params });
      await call('POST', AUTH, auth, { form: { ...params, action: 'allow' } });
      await call('POST', AUTH, auth, { form: { ...params, action: 'allow', csrf, username: 'alice', password: 'wrong' }, headers: { cookie: `steward_csrf_demo=${csrf}` } });
      const allowed = await call('POST', AUTH, auth, { form: { ...params, action: 'allow', csrf, username: 'alice', password: DEMO.password }, headers: { cookie: `steward_csrf_demo=${csrf}` } });
      assert.equal(allowed.status, 303, allowed.body);
      assert.match(String(allowed.headers.location), /^http:\/\/127\.0\.0\.1:3001\/callback\?code=/);
      assert.equal((await call('POST', AUTH, auth, { body: 'x', headers: { 'content-type': 'text/plain' } })).status, 400);

      const back = { client_id: DEMO.client.id, post_logout_redirect_uri: 'http://127.0.0.1:3001/callback', state: 's' };
      await call('GET', LOGOUT, logout);
      await call('GET', LOGOUT, logout + query(back));
      await call('POST', LOGOUT, logout, { form: back });
      await call('POST', LOGOUT, logout, { form: { state: 'a' } });
      const CLAIMS = '/realms/:realm/uma/claims';
      const claims = await call('GET', CLAIMS, '/realms/demo/uma/claims?ticket=t&client_id=photoz-client');
      assert.equal(claims.status, 400, claims.body);
      const claimsBack = { client_id: DEMO.client.id, claims_redirect_uri: 'http://127.0.0.1:3001/claims-callback', ticket: 'spent', state: 's' };
      assert.equal((await call('GET', CLAIMS, `/realms/demo/uma/claims${query(claimsBack)}`)).status, 302);
      assert.equal((await call('POST', CLAIMS, '/realms/demo/uma/claims', { form: { ...claimsBack, action: 'allow' } })).status, 403);
      assert.deepEqual(problems.splice(0), []);
    });
  });
}
