/**
 * Links into the account console over HTTP, on both stores: a resource's `user_access_policy_uri`
 * redirects to the console's page of the resource (realm checked, id bounded and encoded, the target
 * always on STEWARD_BASE_URL), and the console's page reached through another host than the base
 * URL's redirects to the base URL, never to a host the request names.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { CONSOLE_CSP } from '../../packages/server/src/endpoints/account-console.ts';
import { HOST_REDIRECT_COOKIE } from '../../packages/server/src/endpoints/account-console-link.ts';
import { register, tokenFor } from '../protection-api/fixture.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request on the socket, with the headers exactly as given (including `Host`). */
function send(s: TestSteward, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  const url = new URL(s.baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function assertHtmlNotFound(res: Answer, what: string): void {
  assert.equal(res.status, 404, what);
  assert.match(String(res.headers['content-type']), /^text\/html/, what);
  assert.equal(res.headers.location, undefined, what);
  assert.match(res.body, /not_found/, what);
}

for (const dialect of dialects) {
  describe(`account console links (${dialect})`, () => {
    let s: TestSteward;
    let port: string;

    before(async () => {
      s = await startTestSteward(dialect, { listen: true });
      port = new URL(s.baseUrl).port;
    });
    after(async () => s?.close());

    describe('a resource\'s user_access_policy_uri', () => {
      it('redirects to the console\'s page of the resource, on the base URL', async () => {
        const created = await register(s, await tokenFor(s, 'alice'), { name: 'Diary', resource_scopes: ['view'] });
        const link = new URL(created.json.user_access_policy_uri as string);
        assert.equal(link.origin, s.baseUrl);
        const res = await send(s, link.pathname);
        assert.equal(res.status, 302);
        assert.equal(res.headers.location, `${s.issuer}/account/#/resources/${encodeURIComponent(created.json._id)}`);
        assert.equal(res.headers['cache-control'], 'no-store');
        const head = await send(s, link.pathname, {}, 'HEAD');
        assert.equal(head.status, 302);
        assert.equal(head.headers.location, res.headers.location);
      });

      it('encodes the id into the fragment, so it can neither leave the console nor add a header', async () => {
        const cases: Array<[string, string]> = [
          ['a%2Fb%3Fc%23d%20e', 'a%2Fb%3Fc%23d%20e'],
          ['%2F%2Fevil.example', '%2F%2Fevil.example'],
          ['%E2%80%A8%C3%A9', '%E2%80%A8%C3%A9'],
          ['https:%2F%2Fevil.example', 'https%3A%2F%2Fevil.example'],
        ];
        for (const [segment, encoded] of cases) {
          const res = await send(s, `/realms/demo/account/resources/${segment}`);
          assert.equal(res.status, 302, segment);
          assert.equal(res.headers.location, `${s.issuer}/account/#/resources/${encoded}`, segment);
        }
        for (const segment of ['a%0D%0ASet-Cookie:%20x=1', 'a%00b', 'a%7Fb']) {
          const res = await send(s, `/realms/demo/account/resources/${segment}`);
          assertHtmlNotFound(res, segment);
          assert.equal(res.headers['set-cookie'], undefined, segment);
        }
      });

      it('bounds the id to 256 characters', async () => {
        assert.equal((await send(s, `/realms/demo/account/resources/${'a'.repeat(256)}`)).status, 302);
        assertHtmlNotFound(await send(s, `/realms/demo/account/resources/${'a'.repeat(257)}`), '257 characters');
        assert.equal((await send(s, `/realms/demo/account/resources/${'%C3%A9'.repeat(80)}`)).status, 302, 'characters, not bytes');
        assert.equal((await send(s, `/realms/demo/account/resources/${'%C3%A9'.repeat(257)}`)).status, 404);
      });

      it('checks the realm: an unknown one is the usual 404 page', async () => {
        assertHtmlNotFound(await send(s, '/realms/nowhere/account/resources/abc'), 'unknown realm');
        assertHtmlNotFound(await send(s, '/realms/NOT%20A%20REALM/account/resources/abc'), 'malformed realm');
      });

      it('redirects to the base URL whatever host the link was opened through', async () => {
        const res = await send(s, '/realms/demo/account/resources/abc', { host: 'evil.example' });
        assert.equal(res.status, 302);
        assert.equal(res.headers.location, `${s.issuer}/account/#/resources/abc`);
      });
    });

    describe('the console\'s page through another host', () => {
      it('is served through the base URL\'s host', async () => {
        const res = await send(s, '/realms/demo/account/', { host: `127.0.0.1:${port}` });
        assert.notEqual(res.status, 302);
        assert.ok([200, 503].includes(res.status), `${res.status}`); // 503 when the console is not built
        assert.match(String(res.headers['content-type']), /^text\/html/);
        assert.equal(res.headers['content-security-policy'], CONSOLE_CSP);
        assert.equal(res.headers['set-cookie'], undefined);
      });

      it('redirects localhost (and any other host) to the same page on the base URL, with a short-lived loop breaker', async () => {
        for (const host of [`localhost:${port}`, 'localhost', `127.0.0.1:${Number(port) + 1}`, 'evil.example', 'evil.example:80']) {
          const res = await send(s, '/realms/demo/account/', { host });
          assert.equal(res.status, 302, host);
          assert.equal(res.headers.location, `${s.baseUrl}/realms/demo/account/`, host);
          assert.equal(res.headers['cache-control'], 'no-store', host);
          assert.deepEqual(res.headers['set-cookie'], [`${HOST_REDIRECT_COOKIE}=1; Path=/realms/demo/account/; Max-Age=10; HttpOnly; SameSite=Lax`], host);
        }
      });

      it('never takes the target from the request: not its query, not a forwarded host from an untrusted peer', async () => {
        const withQuery = await send(s, '/realms/demo/account/?next=https://evil.example/&code=x', { host: `localhost:${port}` });
        assert.equal(withQuery.headers.location, `${s.baseUrl}/realms/demo/account/`);
        const forwarded = await send(s, '/realms/demo/account/', { host: `127.0.0.1:${port}`, 'x-forwarded-host': 'evil.example' });
        assert.notEqual(forwarded.status, 302, 'X-Forwarded-Host is believed only from STEWARD_TRUST_PROXY');
        const injected = await send(s, '/realms/demo/account/', { host: `evil.example%0d%0aSet-Cookie:x=1` });
        assert.equal(injected.status, 302);
        assert.equal(injected.headers.location, `${s.baseUrl}/realms/demo/account/`);
      });

      it('serves the page when the browser comes back through another host right after the redirect (a proxy rewriting Host)', async () => {
        const res = await send(s, '/realms/demo/account/', { host: 'steward.internal:8080', cookie: `other=1; ${HOST_REDIRECT_COOKIE}=1` });
        assert.notEqual(res.status, 302);
        assert.equal(res.headers['content-security-policy'], CONSOLE_CSP);
      });

      it('checks the realm before redirecting', async () => {
        assertHtmlNotFound(await send(s, '/realms/nowhere/account/', { host: `localhost:${port}` }), 'unknown realm');
      });

      it('keeps the bare /account redirect relative (the page then redirects if the host is another)', async () => {
        const res = await send(s, '/realms/demo/account', { host: `localhost:${port}` });
        assert.equal(res.status, 302);
        assert.equal(res.headers.location, '/realms/demo/account/');
      });
    });
  });
}
