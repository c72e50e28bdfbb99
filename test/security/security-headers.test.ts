/**
 * Security: every answer carries `X-Content-Type-Options: nosniff` (a browser never sniffs a JSON
 * answer into something it runs), and, when STEWARD_BASE_URL is https, `Strict-Transport-Security`
 * (RFC 6797) on JSON, pages and errors alike, so a browser that has seen Steward once never comes back
 * over plain HTTP. On an http base URL no HSTS is sent (it would be meaningless and wrong).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, request, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { startConfigured, type ConfiguredSteward } from '../operations/fixture.ts';

const HSTS = 'max-age=31536000';
const AUTHORIZE = `/realms/demo/protocol/openid-connect/auth?${new URLSearchParams({ client_id: DEMO.rs.id, redirect_uri: 'http://127.0.0.1:3000/callback', response_type: 'code', scope: 'openid' })}`;

/** Answers of every kind: JSON success, OAuth and CREST errors, a page, an unknown route, a malformed URL. */
async function answers(app: TestSteward['app']): Promise<Array<[string, Reply]>> {
  return [
    ['discovery (JSON)', await request(app, 'GET', '/realms/demo/.well-known/uma2-configuration')],
    ['JWKS (JSON)', await request(app, 'GET', '/realms/demo/protocol/openid-connect/certs')],
    ['a Protection API error (OAuth JSON)', await request(app, 'POST', DEMO.permission, { body: {} })],
    ['an owner API error (CREST JSON)', await request(app, 'GET', '/json/realms/root/realms/demo/users/alice/uma/policies?_queryFilter=true')],
    ['an unknown route', await request(app, 'GET', '/nowhere')],
    ['the sign-in page (HTML)', await request(app, 'GET', AUTHORIZE)],
    ['a malformed URL', await request(app, 'GET', '/realms/%zz/x')],
    ['an encoded path', await request(app, 'GET', '/%61dmin/realms')],
  ];
}

for (const dialect of dialects) {
  describe(`security: response headers (${dialect})`, () => {
    let plain: TestSteward;
    let https: ConfiguredSteward;
    before(async () => {
      plain = await startTestSteward(dialect);
      https = await startConfigured(dialect, { baseUrl: 'https://auth.example.org' });
    });
    after(async () => {
      await plain?.close();
      await https?.close();
    });

    it('sends nosniff on every answer, JSON ones included, and no HSTS on an http base URL', async () => {
      for (const [what, res] of await answers(plain.app)) {
        assert.equal(res.headers['x-content-type-options'], 'nosniff', `${what} (${res.status})`);
        assert.equal(res.headers['strict-transport-security'], undefined, `${what} (${res.status})`);
      }
    });

    it('sends HSTS for one year on every answer when the base URL is https', async () => {
      for (const [what, res] of await answers(https.app as TestSteward['app'])) {
        assert.equal(res.headers['strict-transport-security'], HSTS, `${what} (${res.status})`);
        assert.equal(res.headers['x-content-type-options'], 'nosniff', `${what} (${res.status})`);
      }
    });
  });
}
