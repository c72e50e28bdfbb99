/**
 * Security: a path has one spelling. Percent-encoded unreserved characters (`/%61dmin`, `/realms/%64emo`,
 * `%2e%2e`) and dot segments (`/../`) are refused with 400 before routing, over a real socket (an
 * in-process request would normalise some of them first). A proxy or filter in front of Steward that
 * matches paths as written (`/admin` only from the office, say) therefore cannot be walked around by
 * spelling a path differently: Steward never serves the other spelling. Other escapes (a space or a
 * non-ASCII letter in a user name) are routed as before, and the query string is not concerned.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { startConfigured, type ConfiguredSteward } from '../operations/fixture.ts';
import { ADMIN_TOKEN, sha256 } from '../admin-api/fixture.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends `path` byte for byte as the request target. */
function send(base: string, method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
const DISCOVERY = '/.well-known/uma2-configuration';

for (const dialect of dialects) {
  describe(`security: encoded and dot-segment paths (${dialect})`, () => {
    let s: ConfiguredSteward;
    before(async () => {
      s = await startConfigured(dialect, { adminTokenSha256: sha256(ADMIN_TOKEN) }, { listen: true });
    });
    after(async () => s?.close());

    it('serves the plain spellings (the baseline the refusals are compared with)', async () => {
      assert.equal((await send(s.baseUrl, 'GET', '/admin/realms', ADMIN)).status, 200);
      assert.equal((await send(s.baseUrl, 'GET', '/admin/realms')).status, 401);
      assert.equal((await send(s.baseUrl, 'GET', `/realms/demo${DISCOVERY}`)).status, 200);
    });

    it('refuses percent-encoded unreserved characters in the path with 400, with or without credentials', async () => {
      const paths = [
        '/%61dmin/realms',
        '/%61%64%6D%69%6E/realms',
        '/admin/%72ealms',
        `/realms/%64emo${DISCOVERY}`,
        `/realms/demo/%2Ewell-known/uma2-configuration`,
        `/realms/de%6do${DISCOVERY}`,
        '/realms/demo/authz/protection/resource%5Fset',
        '/json/realms/root/realms/demo/users/%61lice/uma/policies?_queryFilter=true',
        '/realms/demo/%7E',
        '/realms/demo/%2d',
      ];
      for (const path of paths) {
        for (const headers of [{}, ADMIN]) {
          const res = await send(s.baseUrl, 'GET', path, headers);
          assert.equal(res.status, 400, `${path}: ${res.status} ${res.body.slice(0, 200)}`);
          assert.ok(!res.body.includes('"realm"') && !res.body.includes('issuer'), `${path} answered content: ${res.body.slice(0, 200)}`);
        }
      }
      const json = JSON.parse((await send(s.baseUrl, 'GET', '/%61dmin/realms', ADMIN)).body);
      assert.equal(json.error, 'invalid_request');
    });

    it('refuses dot segments, plain or encoded, with 400', async () => {
      const paths = [
        `/realms/demo/../demo${DISCOVERY}`,
        `/realms/demo/%2e%2e/demo${DISCOVERY}`,
        `/realms/demo/%2E%2E/%2E%2E/admin/realms`,
        `/realms/demo/./.well-known/uma2-configuration`,
        `/realms/demo/.${DISCOVERY}`,
        '/realms/x/../../admin/realms',
        '/realms/demo/..',
      ];
      for (const path of paths) {
        for (const headers of [{}, ADMIN]) {
          const res = await send(s.baseUrl, 'GET', path, headers);
          assert.equal(res.status, 400, `${path}: ${res.status} ${res.body.slice(0, 200)}`);
        }
      }
    });

    it('never reaches the admin API through other spellings of its path', async () => {
      for (const path of ['//admin/realms', '/admin%2Frealms', '/admin%2frealms', '/ADMIN/realms', '/admin/realms/', '/admin;x/realms', '/admin%00/realms']) {
        for (const headers of [{}, ADMIN]) {
          const res = await send(s.baseUrl, 'GET', path, headers);
          assert.notEqual(res.status, 200, `${path} answered ${res.body.slice(0, 200)}`);
          assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.status}`);
        }
      }
    });

    it('routes other escapes as before, and leaves the query string alone', async () => {
      // A realm name with a space is no realm: 404, not a refusal of the path.
      assert.equal((await send(s.baseUrl, 'GET', `/realms/de%20mo${DISCOVERY}`)).status, 404);
      // A user name with a non-ASCII letter reaches the owner API (which wants a session).
      assert.equal((await send(s.baseUrl, 'GET', '/json/realms/root/realms/demo/users/j%C3%B6rg/uma/policies?_queryFilter=true')).status, 401);
      assert.equal((await send(s.baseUrl, 'GET', `/realms/demo${DISCOVERY}?x=%61&y=..`)).status, 200);
    });
  });
}
