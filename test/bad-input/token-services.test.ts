/**
 * @module test/bad-input/token-services
 * Introspection (RFC 7662), revocation (RFC 7009) and userinfo (OIDC Core §5.3) under bad input: wrong
 * bodies, repeated parameters, bad credentials, forged and foreign tokens, wrong methods and realms.
 * A bad token to introspect is simply inactive; a bad token to revoke revokes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertOAuth, createElsewhere, ELSEWHERE, FORM, forgeries, formBody, JSON_TYPE, LONG, OVERSIZE, passwordTokens, patFor, raw, type Method } from './fixture.ts';

const RS_BASIC = { authorization: basic(DEMO.rs.id, DEMO.rs.secret) };
const CLIENT_BASIC = { authorization: basic(DEMO.client.id, DEMO.client.secret) };

for (const dialect of dialects) {
  describe(`bad input: introspection, revocation, userinfo (${dialect})`, () => {
    let s: TestSteward;
    let pat: string;
    let userToken: string;
    let idToken: string;
    let elsewherePat: string;
    let elsewhereUserToken: string;
    before(async () => {
      s = await startTestSteward(dialect);
      await createElsewhere(s);
      await addClient(s.deps, 'demo', { clientId: 'spa', grantTypes: ['authorization_code'], redirectUris: ['http://127.0.0.1:3004/cb'] });
      pat = await patFor(s, 'alice');
      const user = await passwordTokens(s, 'alice', 'openid', DEMO.client);
      userToken = user.access_token;
      idToken = user.id_token;
      elsewherePat = await patFor(s, 'alice', DEMO.rs, ELSEWHERE);
      elsewhereUserToken = (await passwordTokens(s, 'alice', 'openid', DEMO.client, ELSEWHERE)).access_token;
    });
    after(async () => s?.close());

    const send = (method: Method, url: string, headers: Record<string, string>, payload?: string) => raw(s.app, method, url, { headers, ...(payload !== undefined ? { payload } : {}) });
    // Introspected by the client the token was issued to (access tokens answer only to their client).
    const isActive = async (token: string) => (await postForm(s.app, DEMO.introspect, { token }, CLIENT_BASIC)).json?.active;

    describe('introspection', () => {
      const I = DEMO.introspect;
      const withPat = () => ({ authorization: `Bearer ${pat}` });
      const cases: Array<[string, () => Record<string, string>, string | undefined, number, string, Method?]> = [
        ['malformed JSON', () => ({ ...withPat(), ...JSON_TYPE }), '{"token": ', 400, 'invalid_request'],
        ['JSON instead of a form', () => ({ ...withPat(), ...JSON_TYPE }), JSON.stringify({ token: 'x' }), 400, 'invalid_request'],
        ['a form as text/plain', () => ({ ...withPat(), 'content-type': 'text/plain' }), 'token=x', 400, 'invalid_request'],
        ['a form with no content type', withPat, 'token=x', 400, 'invalid_request'],
        ['application/xml', () => ({ ...withPat(), 'content-type': 'application/xml' }), '<token/>', 400, 'invalid_request'],
        ['no body', withPat, undefined, 400, 'invalid_request'],
        ['a form over the body limit', () => ({ ...withPat(), ...FORM }), `token=x&pad=${'p'.repeat(OVERSIZE)}`, 413, 'payload_too_large'],
        ['no token', () => ({ ...withPat(), ...FORM }), 'token_type_hint=access_token', 400, 'invalid_request'],
        ['an empty token', () => ({ ...withPat(), ...FORM }), 'token=', 400, 'invalid_request'],
        ['token twice', () => ({ ...withPat(), ...FORM }), 'token=a&token=b', 400, 'invalid_request'],
        ['token_type_hint twice', () => ({ ...withPat(), ...FORM }), 'token=a&token_type_hint=access_token&token_type_hint=refresh_token', 400, 'invalid_request'],
        ['no credentials at all', () => FORM, 'token=x', 401, 'invalid_token'],
        ['a wrong client secret', () => ({ ...FORM, authorization: basic(DEMO.rs.id, 'wrong') }), 'token=x', 401, 'invalid_client'],
        ['a public client', () => FORM, 'token=x&client_id=spa', 401, 'invalid_client'],
        ['client_id twice', () => FORM, `token=x&client_id=${DEMO.rs.id}&client_id=${DEMO.rs.id}&client_secret=${DEMO.rs.secret}`, 400, 'invalid_request'],
        ['client_id with NUL (post)', () => FORM, `token=x&client_id=photoz-rs%00&client_secret=${DEMO.rs.secret}`, 401, 'invalid_client'],
        ['client_id of 10 kB (post)', () => FORM, `token=x&client_id=${LONG}&client_secret=x`, 401, 'invalid_client'],
        ['a body client_secret differing from Basic', () => ({ ...FORM, ...RS_BASIC }), 'token=x&client_secret=other', 401, 'invalid_client'],
        ['a PAT of another realm', () => ({ ...FORM, authorization: `Bearer ${elsewherePat}` }), 'token=x', 401, 'invalid_token'],
        ['a token without uma_protection as PAT', () => ({ ...FORM, authorization: `Bearer ${userToken}` }), 'token=x', 403, 'insufficient_scope'],
        ['an ID token as PAT', () => ({ ...FORM, authorization: `Bearer ${idToken}` }), 'token=x', 401, 'invalid_token'],
        ['GET', withPat, undefined, 400, 'invalid_request', 'GET'],
        ['PUT', () => ({ ...withPat(), ...FORM }), 'token=x', 400, 'invalid_request', 'PUT'],
        ['DELETE', withPat, undefined, 400, 'invalid_request', 'DELETE'],
        ['PATCH', () => ({ ...withPat(), ...FORM }), 'token=x', 400, 'invalid_request', 'PATCH'],
      ];
      for (const [name, headers, payload, status, error, method] of cases) {
        it(`${name}: ${status} ${error}`, async () => assertOAuth(await send(method ?? 'POST', I, headers(), payload), status, error));
      }

      it('forged PATs: 401 invalid_token', async () => {
        for (const [name, forged] of await forgeries(pat)) {
          const res = await send('POST', I, { ...FORM, authorization: `Bearer ${forged}` }, 'token=x');
          assert.doesNotThrow(() => assertOAuth(res, 401, 'invalid_token'), name);
        }
      });

      it('tokens that are not ours or not tokens: exactly {"active": false}', async () => {
        const tokens: Array<[string, string]> = [
          ...(await forgeries(userToken)),
          ['an access token of another realm', elsewhereUserToken],
          ['a PAT of another realm', elsewherePat],
          ['10 kB', LONG],
          ['20 kB', 'y'.repeat(20_000)],
          ['NUL', 'a\u0000b'],
          ['path tricks', '../../etc/passwd'],
          ['unicode', '☃💩'],
          ['a JSON object', '{"active": true}'],
        ];
        for (const [name, token] of tokens) {
          for (const headers of [{ authorization: `Bearer ${pat}` }, RS_BASIC]) {
            const res = await send('POST', I, { ...FORM, ...headers }, formBody([['token', token]]));
            assert.equal(res.status, 200, `${name}: ${res.body}`);
            assert.deepEqual(res.json, { active: false }, name);
          }
        }
      });

      for (const [name, realm] of [['unknown', 'nope'], ['NUL', 'demo%00'], ['10 kB', LONG]]) {
        it(`a realm that is ${name}: 404 not_found`, async () => {
          assertOAuth(await send('POST', `/realms/${realm}/protocol/openid-connect/token/introspect`, { ...FORM, authorization: `Bearer ${pat}` }, 'token=x'), 404, 'not_found');
        });
      }
    });

    describe('revocation', () => {
      const R = DEMO.revoke;
      const cases: Array<[string, Record<string, string>, string | undefined, number, string, Method?]> = [
        ['malformed JSON', { ...CLIENT_BASIC, ...JSON_TYPE }, '{"token": ', 400, 'invalid_request'],
        ['JSON instead of a form', { ...CLIENT_BASIC, ...JSON_TYPE }, JSON.stringify({ token: 'x' }), 400, 'invalid_request'],
        ['a form as text/plain', { ...CLIENT_BASIC, 'content-type': 'text/plain' }, 'token=x', 400, 'invalid_request'],
        ['a form with no content type', CLIENT_BASIC, 'token=x', 400, 'invalid_request'],
        ['no body', CLIENT_BASIC, undefined, 400, 'invalid_request'],
        ['a form over the body limit', { ...CLIENT_BASIC, ...FORM }, `token=x&pad=${'p'.repeat(OVERSIZE)}`, 413, 'payload_too_large'],
        ['no token', { ...CLIENT_BASIC, ...FORM }, 'token_type_hint=access_token', 400, 'invalid_request'],
        ['token twice', { ...CLIENT_BASIC, ...FORM }, 'token=a&token=b', 400, 'invalid_request'],
        ['token_type_hint twice', { ...CLIENT_BASIC, ...FORM }, 'token=a&token_type_hint=access_token&token_type_hint=access_token', 400, 'invalid_request'],
        ['client_id twice', FORM, `token=a&client_id=${DEMO.client.id}&client_id=${DEMO.client.id}&client_secret=${DEMO.client.secret}`, 400, 'invalid_request'],
        ['an unknown token_type_hint', { ...CLIENT_BASIC, ...FORM }, 'token=a&token_type_hint=id_token', 400, 'unsupported_token_type'],
        ['token_type_hint __proto__', { ...CLIENT_BASIC, ...FORM }, 'token=a&token_type_hint=__proto__', 400, 'unsupported_token_type'],
        ['token_type_hint of 10 kB', { ...CLIENT_BASIC, ...FORM }, `token=a&token_type_hint=${LONG}`, 400, 'unsupported_token_type'],
        ['no client authentication', FORM, 'token=a', 401, 'invalid_client'],
        ['a wrong client secret', { ...FORM, authorization: basic(DEMO.client.id, 'wrong') }, 'token=a', 401, 'invalid_client'],
        ['client_id with NUL (post)', FORM, `token=a&client_id=photoz-client%00&client_secret=${DEMO.client.secret}`, 401, 'invalid_client'],
        ['a bearer token instead of client credentials', { ...FORM, authorization: `Bearer ${userToken}` }, 'token=a', 401, 'invalid_client'],
        ['GET', CLIENT_BASIC, undefined, 400, 'invalid_request', 'GET'],
        ['PUT', { ...CLIENT_BASIC, ...FORM }, 'token=a', 400, 'invalid_request', 'PUT'],
        ['DELETE', CLIENT_BASIC, undefined, 400, 'invalid_request', 'DELETE'],
        ['PATCH', { ...CLIENT_BASIC, ...FORM }, 'token=a', 400, 'invalid_request', 'PATCH'],
      ];
      for (const [name, headers, payload, status, error, method] of cases) {
        it(`${name}: ${status} ${error}`, async () => assertOAuth(await send(method ?? 'POST', R, headers, payload), status, error));
      }

      it("another client's token: 400 unauthorized_client, and the token stays active", async () => {
        assertOAuth(await send('POST', R, { ...FORM, ...RS_BASIC }, formBody([['token', userToken]])), 400, 'unauthorized_client');
        assert.equal(await isActive(userToken), true);
      });

      it('bad tokens revoke nothing: 200 with an empty body, the genuine token stays active', async () => {
        const tokens: Array<[string, string]> = [...(await forgeries(userToken)), ['another realm', elsewhereUserToken], ['10 kB', LONG], ['20 kB', 'y'.repeat(20_000)], ['NUL', 'a\u0000b'], ['unicode', '☃']];
        for (const [name, token] of tokens) {
          const res = await send('POST', R, { ...FORM, ...CLIENT_BASIC }, formBody([['token', token]]));
          assert.equal(res.status, 200, `${name}: ${res.body}`);
          assert.equal(res.body, '', name);
        }
        assert.equal(await isActive(userToken), true);
      });

      it('a realm that is unknown: 404 not_found', async () => {
        assertOAuth(await send('POST', '/realms/nope/protocol/openid-connect/revoke', { ...FORM, ...CLIENT_BASIC }, 'token=a'), 404, 'not_found');
      });
    });

    describe('userinfo', () => {
      const U = DEMO.userinfo;
      const bad: Array<[string, () => Record<string, string>, number, string]> = [
        ['no token', () => ({}), 401, 'invalid_token'],
        ['an empty Bearer', () => ({ authorization: 'Bearer ' }), 401, 'invalid_token'],
        ['Basic credentials', () => CLIENT_BASIC, 401, 'invalid_token'],
        ['a Bearer of 20 kB', () => ({ authorization: `Bearer ${'a'.repeat(20_000)}` }), 401, 'invalid_token'],
        ['an access token of another realm', () => ({ authorization: `Bearer ${elsewhereUserToken}` }), 401, 'invalid_token'],
        ['an ID token', () => ({ authorization: `Bearer ${idToken}` }), 401, 'invalid_token'],
        ['a PAT without openid', () => ({ authorization: `Bearer ${pat}` }), 403, 'insufficient_scope'],
      ];
      for (const [name, headers, status, error] of bad) {
        for (const method of ['GET', 'POST'] as const) {
          it(`${method} with ${name}: ${status} ${error} with a Bearer challenge`, async () => {
            const res = await send(method, U, headers());
            assertOAuth(res, status, error);
            assert.match(String(res.headers['www-authenticate']), /^Bearer realm="demo"/);
          });
        }
      }

      it('forged access tokens: 401 invalid_token', async () => {
        for (const [name, forged] of await forgeries(userToken)) {
          const res = await send('GET', U, { authorization: `Bearer ${forged}` });
          assert.doesNotThrow(() => assertOAuth(res, 401, 'invalid_token'), name);
        }
      });

      it('POST with malformed JSON: 400 invalid_request', async () => {
        assertOAuth(await send('POST', U, { authorization: `Bearer ${userToken}`, ...JSON_TYPE }, '{"a": '), 400, 'invalid_request');
      });

      it('POST over the body limit: 413 payload_too_large', async () => {
        assertOAuth(await send('POST', U, { authorization: `Bearer ${userToken}`, ...FORM }, `pad=${'p'.repeat(OVERSIZE)}`), 413, 'payload_too_large');
      });

      for (const method of ['PUT', 'DELETE', 'PATCH'] as const) {
        it(`${method}: 404 not_found (no such route)`, async () => assertOAuth(await send(method, U, { authorization: `Bearer ${userToken}` }), 404, 'not_found'));
      }

      it('a realm that is unknown: 404 not_found', async () => {
        assertOAuth(await send('GET', '/realms/nope/protocol/openid-connect/userinfo', { authorization: `Bearer ${userToken}` }), 404, 'not_found');
      });

      it('still answers the genuine token', async () => {
        const res = await send('GET', U, { authorization: `Bearer ${userToken}` });
        assert.equal(res.status, 200, res.body);
        assert.equal(res.json.preferred_username, 'alice');
      });
    });
  });
}
