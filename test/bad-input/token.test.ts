/**
 * @module test/bad-input/token
 * The token endpoint under bad input: wrong bodies and content types, repeated and truncated
 * parameters, oversize bodies, absurd values, unknown realms and grants, forged tokens — always the
 * documented OAuth error, never a 500. A malformed UMA grant request never spends the ticket.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, request, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertOAuth, createElsewhere, ELSEWHERE, FORM, forgeries, formBody, ID_TOKEN_FORMAT, JSON_TYPE, LONG, OVERSIZE, passwordTokens, patFor, raw, UMA, type Method } from './fixture.ts';

const T = DEMO.token;
const CLIENT_AUTH = { authorization: basic(DEMO.client.id, DEMO.client.secret) };
const PASSWORD: Array<[string, string]> = [['grant_type', 'password'], ['username', 'alice'], ['password', DEMO.password]];

interface Case {
  name: string;
  method?: Method;
  url?: string;
  payload?: string;
  headers?: Record<string, string>;
  status: number;
  error: string;
}

/** A form case authenticated as photoz-client with Basic unless `headers` says otherwise. */
function form(name: string, pairs: Array<[string, string]>, status: number, error: string, headers: Record<string, string> = CLIENT_AUTH): Case {
  return { name, payload: formBody(pairs), headers: { ...FORM, ...headers }, status, error };
}

const CASES: Case[] = [
  // Bodies and content types
  { name: 'malformed JSON', payload: '{"grant_type": "password", ', headers: { ...JSON_TYPE, ...CLIENT_AUTH }, status: 400, error: 'invalid_request' },
  { name: 'well-formed JSON instead of a form', payload: JSON.stringify({ grant_type: 'password', username: 'alice', password: DEMO.password }), headers: { ...JSON_TYPE, ...CLIENT_AUTH }, status: 400, error: 'invalid_request' },
  { name: 'JSON with a __proto__ key', payload: '{"__proto__": {"admin": true}, "grant_type": "password"}', headers: { ...JSON_TYPE, ...CLIENT_AUTH }, status: 400, error: 'invalid_request' },
  { name: 'empty JSON body', payload: '', headers: { ...JSON_TYPE, ...CLIENT_AUTH }, status: 400, error: 'invalid_request' },
  { name: 'a form sent as text/plain', payload: formBody(PASSWORD), headers: { 'content-type': 'text/plain', ...CLIENT_AUTH }, status: 400, error: 'invalid_request' },
  { name: 'a form with no content type', payload: formBody(PASSWORD), headers: CLIENT_AUTH, status: 400, error: 'invalid_request' },
  { name: 'application/xml', payload: '<grant_type>password</grant_type>', headers: { 'content-type': 'application/xml', ...CLIENT_AUTH }, status: 400, error: 'invalid_request' },
  { name: 'multipart/form-data', payload: '--b\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\npassword\r\n--b--\r\n', headers: { 'content-type': 'multipart/form-data; boundary=b', ...CLIENT_AUTH }, status: 400, error: 'invalid_request' },
  { name: 'no body at all', headers: CLIENT_AUTH, status: 400, error: 'invalid_request' },
  { name: `a form over the body limit (${OVERSIZE} bytes)`, payload: `${formBody(PASSWORD)}&pad=${'p'.repeat(OVERSIZE)}`, headers: { ...FORM, ...CLIENT_AUTH }, status: 413, error: 'payload_too_large' },
  form('empty form', [], 400, 'invalid_request'),
  // Truncated forms
  { name: 'truncated: grant_type cut short', payload: 'grant_type=pass', headers: { ...FORM, ...CLIENT_AUTH }, status: 400, error: 'unsupported_grant_type' },
  { name: 'truncated: password parameter cut off', payload: 'grant_type=password&username=alice&passw', headers: { ...FORM, ...CLIENT_AUTH }, status: 400, error: 'invalid_request' },
  { name: 'truncated: percent escape cut short', payload: `grant_type=password&username=alice&password=${DEMO.password.slice(0, -1)}%`, headers: { ...FORM, ...CLIENT_AUTH }, status: 400, error: 'invalid_grant' },
  { name: 'truncated: only a separator', payload: '&', headers: { ...FORM, ...CLIENT_AUTH }, status: 400, error: 'invalid_request' },
  // Repeated parameters
  form('grant_type twice (same value)', [...PASSWORD, ['grant_type', 'password']], 400, 'invalid_request'),
  form('grant_type twice (different values)', [...PASSWORD, ['grant_type', 'client_credentials']], 400, 'invalid_request'),
  form('username twice', [...PASSWORD, ['username', 'bob']], 400, 'invalid_request'),
  form('password twice', [...PASSWORD, ['password', DEMO.password]], 400, 'invalid_request'),
  form('scope twice', [...PASSWORD, ['scope', 'openid'], ['scope', 'profile']], 400, 'invalid_request'),
  form('client_id twice (client_secret_post)', [...PASSWORD, ['client_id', DEMO.client.id], ['client_id', DEMO.client.id], ['client_secret', DEMO.client.secret]], 400, 'invalid_request', {}),
  form('client_secret twice', [...PASSWORD, ['client_id', DEMO.client.id], ['client_secret', DEMO.client.secret], ['client_secret', 'x']], 400, 'invalid_request', {}),
  form('refresh_token twice', [['grant_type', 'refresh_token'], ['refresh_token', 'a'], ['refresh_token', 'b']], 400, 'invalid_request'),
  form('code twice', [['grant_type', 'authorization_code'], ['code', 'a'], ['code', 'b']], 400, 'invalid_request'),
  form('code_verifier twice', [['grant_type', 'authorization_code'], ['code', 'a'], ['code_verifier', 'v'.repeat(43)], ['code_verifier', 'w'.repeat(43)]], 400, 'invalid_request'),
  form('redirect_uri twice', [['grant_type', 'authorization_code'], ['code', 'a'], ['redirect_uri', 'http://127.0.0.1:3001/callback'], ['redirect_uri', 'http://evil.example/']], 400, 'invalid_request'),
  form('a body client_secret differing from Basic', [...PASSWORD, ['client_secret', 'other']], 401, 'invalid_client'),
  // Unknown grants
  form('unknown grant_type', [['grant_type', 'foo']], 400, 'unsupported_grant_type'),
  form('implicit is no grant_type', [['grant_type', 'token']], 400, 'unsupported_grant_type'),
  form('jwt-bearer is not supported', [['grant_type', 'urn:ietf:params:oauth:grant-type:jwt-bearer'], ['assertion', 'a.b.c']], 400, 'unsupported_grant_type'),
  form('grant_type __proto__', [['grant_type', '__proto__']], 400, 'unsupported_grant_type'),
  form('grant_type constructor', [['grant_type', 'constructor']], 400, 'unsupported_grant_type'),
  form('grant_type of 10 kB', [['grant_type', LONG]], 400, 'unsupported_grant_type'),
  form('grant_type with NUL', [['grant_type', 'password\u0000']], 400, 'unsupported_grant_type'),
  form('grant_type in another case', [['grant_type', 'PASSWORD']], 400, 'unsupported_grant_type'),
  // Absurd values
  form('username of 10 kB', [['grant_type', 'password'], ['username', LONG], ['password', DEMO.password]], 400, 'invalid_grant'),
  form('username with NUL', [['grant_type', 'password'], ['username', 'alice\u0000'], ['password', DEMO.password]], 400, 'invalid_grant'),
  form('username with unicode', [['grant_type', 'password'], ['username', 'ålice☃\u202e'], ['password', DEMO.password]], 400, 'invalid_grant'),
  form('password of 10 kB', [['grant_type', 'password'], ['username', 'alice'], ['password', LONG]], 400, 'invalid_grant'),
  form('password with NUL', [['grant_type', 'password'], ['username', 'alice'], ['password', `${DEMO.password}\u0000`]], 400, 'invalid_grant'),
  form('scope of 10 kB', [...PASSWORD, ['scope', LONG]], 400, 'invalid_scope'),
  form('scope with NUL', [...PASSWORD, ['scope', 'openid\u0000']], 400, 'invalid_scope'),
  form('scope __proto__', [...PASSWORD, ['scope', '__proto__']], 400, 'invalid_scope'),
  form('refresh_token of 10 kB', [['grant_type', 'refresh_token'], ['refresh_token', LONG]], 400, 'invalid_grant'),
  form('refresh_token with NUL', [['grant_type', 'refresh_token'], ['refresh_token', 'a\u0000b']], 400, 'invalid_grant'),
  form('code of 10 kB', [['grant_type', 'authorization_code'], ['code', LONG], ['redirect_uri', 'http://127.0.0.1:3001/callback']], 400, 'invalid_grant'),
  form('code with path tricks', [['grant_type', 'authorization_code'], ['code', '../../etc/passwd'], ['redirect_uri', 'http://127.0.0.1:3001/callback']], 400, 'invalid_grant'),
  // Client authentication
  form('unknown client (Basic)', PASSWORD, 401, 'invalid_client', { authorization: basic('nobody', 'x') }),
  form('wrong secret (Basic)', PASSWORD, 401, 'invalid_client', { authorization: basic(DEMO.client.id, 'wrong') }),
  form('client_id of 10 kB (post)', [...PASSWORD, ['client_id', LONG], ['client_secret', 'x']], 401, 'invalid_client', {}),
  form('client_id with NUL (post)', [...PASSWORD, ['client_id', 'photoz-client\u0000'], ['client_secret', DEMO.client.secret]], 401, 'invalid_client', {}),
  form('client_id with NUL (Basic)', PASSWORD, 401, 'invalid_client', { authorization: basic('photoz-client\u0000', DEMO.client.secret) }),
  form('client_id with unicode (post)', [...PASSWORD, ['client_id', 'phötoz-client'], ['client_secret', DEMO.client.secret]], 401, 'invalid_client', {}),
  form('Basic that is not base64', PASSWORD, 401, 'invalid_client', { authorization: 'Basic !!!not base64!!!' }),
  form('Basic without a colon', PASSWORD, 401, 'invalid_client', { authorization: `Basic ${Buffer.from('photoz-client').toString('base64')}` }),
  form('Basic with a broken percent escape', PASSWORD, 401, 'invalid_client', { authorization: `Basic ${Buffer.from('%ZZ:secret').toString('base64')}` }),
  form('Basic of 10 kB', PASSWORD, 401, 'invalid_client', { authorization: `Basic ${Buffer.from(`${LONG}:${LONG}`).toString('base64')}` }),
  form('no client authentication', PASSWORD, 401, 'invalid_client', {}),
  form('grant not allowed to the client', [['grant_type', 'client_credentials']], 400, 'unauthorized_client'),
  // Methods and realms
  ...(['GET', 'PUT', 'DELETE', 'PATCH'] as const).map((method): Case => ({ name: `${method} instead of POST`, method, payload: method === 'GET' ? undefined : formBody(PASSWORD), headers: { ...FORM, ...CLIENT_AUTH }, status: 400, error: 'invalid_request' })),
  ...[
    ['unknown realm', 'nope'],
    ['realm in upper case', 'DEMO'],
    ['realm with NUL', 'demo%00'],
    ['realm with path tricks', '..%2Fdemo'],
    ['realm with unicode', 'd%C3%A9mo'],
    ['realm of 10 kB', LONG],
  ].map(([name, realm]): Case => ({ name: name!, url: `/realms/${realm}/protocol/openid-connect/token`, payload: formBody(PASSWORD), headers: { ...FORM, ...CLIENT_AUTH }, status: 404, error: 'not_found' })),
];

for (const dialect of dialects) {
  describe(`bad input: token endpoint (${dialect})`, () => {
    let s: TestSteward;
    before(async () => {
      s = await startTestSteward(dialect);
    });
    after(async () => s?.close());

    for (const c of CASES) {
      it(c.name, async () => {
        const res = await raw(s.app, c.method ?? 'POST', c.url ?? T, { ...(c.payload !== undefined ? { payload: c.payload } : {}), headers: c.headers ?? {} });
        assertOAuth(res, c.status, c.error);
      });
    }

    it('challenges a failed Basic authentication with WWW-Authenticate: Basic', async () => {
      const res = await raw(s.app, 'POST', T, { payload: formBody(PASSWORD), headers: { ...FORM, authorization: basic(DEMO.client.id, 'wrong') } });
      assertOAuth(res, 401, 'invalid_client');
      assert.match(String(res.headers['www-authenticate']), /^Basic realm="demo"/);
    });

    it('still answers a well-formed request after all of the above', async () => {
      const res = await raw(s.app, 'POST', T, { payload: formBody(PASSWORD), headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...CLIENT_AUTH } });
      assert.equal(res.status, 200, res.body);
      assert.equal(typeof res.json.access_token, 'string');
    });
  });

  describe(`bad input: the UMA grant (${dialect})`, () => {
    let s: TestSteward;
    let resourceId: string;
    let alicePat: string;
    let idToken: string;
    let elsewhereIdToken: string;
    let accessToken: string;
    before(async () => {
      s = await startTestSteward(dialect);
      await createElsewhere(s);
      alicePat = await patFor(s, 'alice');
      const created = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: `Bearer ${alicePat}` }, body: { name: 'Album', resource_scopes: ['view', 'download'] } });
      assert.equal(created.status, 201, created.body);
      resourceId = created.json._id;
      const tokens = await passwordTokens(s, 'alice', 'openid', DEMO.client);
      idToken = tokens.id_token;
      accessToken = tokens.access_token;
      elsewhereIdToken = (await passwordTokens(s, 'alice', 'openid', DEMO.client, ELSEWHERE)).id_token;
      assert.equal(typeof idToken, 'string');
      assert.equal(typeof elsewhereIdToken, 'string');
    });
    after(async () => s?.close());

    async function newTicket(): Promise<string> {
      const res = await request(s.app, 'POST', DEMO.permission, { headers: { authorization: `Bearer ${alicePat}` }, body: { resource_id: resourceId, resource_scopes: ['view'] } });
      assert.equal(res.status, 201, res.body);
      return res.json.ticket;
    }

    const grant = (pairs: Array<[string, string]>, headers: Record<string, string> = CLIENT_AUTH) => raw(s.app, 'POST', T, { payload: formBody(pairs), headers: { ...FORM, ...headers } });

    it('a malformed request never spends the ticket: the ticket still works afterwards', async () => {
      const ticket = await newTicket();
      const base: Array<[string, string]> = [['grant_type', UMA], ['ticket', ticket]];
      const claims: Array<[string, string]> = [['claim_token', idToken], ['claim_token_format', ID_TOKEN_FORMAT]];
      const refused: Array<[string, () => Promise<Reply>, number, string]> = [
        ['ticket twice (same value)', () => grant([...base, ['ticket', ticket], ...claims]), 400, 'invalid_request'],
        ['ticket twice (other value)', () => grant([...base, ['ticket', 'bogus'], ...claims]), 400, 'invalid_request'],
        ['grant_type twice', () => grant([...base, ['grant_type', UMA], ...claims]), 400, 'invalid_request'],
        ['claim_token twice', () => grant([...base, ...claims, ['claim_token', idToken]]), 400, 'invalid_request'],
        ['claim_token_format twice', () => grant([...base, ...claims, ['claim_token_format', ID_TOKEN_FORMAT]]), 400, 'invalid_request'],
        ['rpt twice', () => grant([...base, ...claims, ['rpt', 'a'], ['rpt', 'b']]), 400, 'invalid_request'],
        ['pct twice', () => grant([...base, ...claims, ['pct', 'a'], ['pct', 'b']]), 400, 'invalid_request'],
        ['scope twice', () => grant([...base, ...claims, ['scope', 'view'], ['scope', 'download']]), 400, 'invalid_request'],
        ['claim_token without claim_token_format', () => grant([...base, ['claim_token', idToken]]), 400, 'invalid_request'],
        ['claim_token_format without claim_token', () => grant([...base, ['claim_token_format', ID_TOKEN_FORMAT]]), 400, 'invalid_request'],
        ['the request as JSON', () => raw(s.app, 'POST', T, { payload: JSON.stringify({ grant_type: UMA, ticket, claim_token: idToken, claim_token_format: ID_TOKEN_FORMAT }), headers: { ...JSON_TYPE, ...CLIENT_AUTH } }), 400, 'invalid_request'],
        ['malformed JSON holding the ticket', () => raw(s.app, 'POST', T, { payload: `{"grant_type":"${UMA}","ticket":"${ticket}"`, headers: { ...JSON_TYPE, ...CLIENT_AUTH } }), 400, 'invalid_request'],
        ['the form as text/plain', () => raw(s.app, 'POST', T, { payload: formBody([...base, ...claims]), headers: { 'content-type': 'text/plain', ...CLIENT_AUTH } }), 400, 'invalid_request'],
        ['the form with no content type', () => raw(s.app, 'POST', T, { payload: formBody([...base, ...claims]), headers: CLIENT_AUTH }), 400, 'invalid_request'],
        ['the form over the body limit', () => grant([...base, ...claims, ['pad', 'p'.repeat(OVERSIZE)]]), 413, 'payload_too_large'],
        ['the ticket in the query of a GET', () => raw(s.app, 'GET', `${T}?${formBody([...base, ...claims])}`, { headers: CLIENT_AUTH }), 400, 'invalid_request'],
        ['wrong client secret', () => grant([...base, ...claims], { authorization: basic(DEMO.client.id, 'wrong') }), 401, 'invalid_client'],
        ['unknown client', () => grant([...base, ...claims], { authorization: basic('nobody', 'x') }), 401, 'invalid_client'],
        ['a body client_secret differing from Basic', () => grant([...base, ...claims, ['client_secret', 'other']]), 401, 'invalid_client'],
        ['response_mode twice', () => grant([...base, ...claims, ['response_mode', 'permissions'], ['response_mode', 'decision']]), 400, 'invalid_request'],
        ['an unknown realm', () => raw(s.app, 'POST', '/realms/nope/protocol/openid-connect/token', { payload: formBody([...base, ...claims]), headers: { ...FORM, ...CLIENT_AUTH } }), 404, 'not_found'],
        ['another realm (same client id and secret)', () => raw(s.app, 'POST', `/realms/${ELSEWHERE}/protocol/openid-connect/token`, { payload: formBody([...base, ['claim_token', elsewhereIdToken], ['claim_token_format', ID_TOKEN_FORMAT]]), headers: { ...FORM, ...CLIENT_AUTH } }), 400, 'invalid_grant'],
      ];
      const failures: string[] = [];
      for (const [name, send, status, error] of refused) {
        try {
          assertOAuth(await send(), status, error);
        } catch (e) {
          failures.push(`${name}: ${(e as Error).message.split('\n')[0]}`);
        }
      }
      const ok = await grant([...base, ...claims]);
      assert.equal(ok.status, 200, `the ticket no longer works: ${ok.body}`);
      assert.equal(typeof ok.json.access_token, 'string');
      assert.deepEqual(failures, []);
      // Single use: the same ticket is now spent.
      assertOAuth(await grant([...base, ...claims]), 400, 'invalid_grant');
    });

    for (const [name, value] of [
      ['unknown', 'not-a-ticket'],
      ['10 kB', LONG],
      ['with NUL', 'a\u0000b'],
      ['with path tricks', '../../etc/passwd'],
      ['unicode', '☃'.repeat(40)],
    ]) {
      it(`ticket ${name}: invalid_grant`, async () => {
        assertOAuth(await grant([['grant_type', UMA], ['ticket', value!], ['claim_token', idToken], ['claim_token_format', ID_TOKEN_FORMAT]]), 400, 'invalid_grant');
      });
    }

    it('no ticket: invalid_request', async () => {
      assertOAuth(await grant([['grant_type', UMA], ['claim_token', idToken], ['claim_token_format', ID_TOKEN_FORMAT]]), 400, 'invalid_request');
    });

    /** need_info with a successor ticket (UMA Grant §3.3.6): the party was not identified. */
    async function assertNeedInfo(pairs: Array<[string, string]>): Promise<void> {
      const ticket = await newTicket();
      const res = await grant([['grant_type', UMA], ['ticket', ticket], ...pairs]);
      assertOAuth(res, 403, 'need_info');
      assert.equal(typeof res.json.ticket, 'string');
      assert.notEqual(res.json.ticket, ticket);
      assert.ok(Array.isArray(res.json.required_claims));
    }

    it('a claim token that is a forgery of a genuine ID token: need_info', async () => {
      for (const [name, forged] of await forgeries(idToken)) {
        await assertNeedInfo([['claim_token', forged], ['claim_token_format', ID_TOKEN_FORMAT]]).catch((e: Error) => assert.fail(`${name}: ${e.message}`));
      }
    });

    it('a genuine ID token of another realm as claim token: need_info', async () => {
      await assertNeedInfo([['claim_token', elsewhereIdToken], ['claim_token_format', ID_TOKEN_FORMAT]]);
    });

    it('an access token instead of an ID token as claim token: need_info', async () => {
      await assertNeedInfo([['claim_token', accessToken], ['claim_token_format', ID_TOKEN_FORMAT]]);
    });

    it('an unknown claim_token_format: need_info', async () => {
      await assertNeedInfo([['claim_token', idToken], ['claim_token_format', 'urn:example:unknown']]);
    });

    it('a 10 kB claim token: need_info', async () => {
      await assertNeedInfo([['claim_token', LONG], ['claim_token_format', ID_TOKEN_FORMAT]]);
    });

    it('an rpt that is not an RPT of this client (forged, access token, other realm): invalid_grant', async () => {
      const claims: Array<[string, string]> = [['claim_token', idToken], ['claim_token_format', ID_TOKEN_FORMAT]];
      const rpts: Array<[string, string]> = [...(await forgeries(accessToken)), ['an access token', accessToken], ['another realm', elsewhereIdToken], ['10 kB', LONG]];
      for (const [name, rpt] of rpts) {
        const res = await grant([['grant_type', UMA], ['ticket', await newTicket()], ['rpt', rpt], ...claims]);
        try {
          assertOAuth(res, 400, 'invalid_grant');
        } catch (e) {
          assert.fail(`${name}: ${(e as Error).message}`);
        }
      }
    });
  });
}
