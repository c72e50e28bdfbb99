/**
 * Claims gathering in a real browser (headless Chromium), on both stores: bob's browser follows the
 * need_info answer's redirect_user, signs in, ticks "remember me" and confirms; it lands on the
 * client's claims redirect URI (a small local server that records the query); the client trades the
 * ticket for an RPT and a PCT. With STEWARD_SCREENSHOTS=1 the two pages are saved to docs/images/.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { UMA_GRANT_TYPE } from '@steward/core';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { launchBrowser, chromiumPath, type Browser } from '../helpers/browser.ts';
import { DEMO } from '../helpers/http.ts';
import { freePort, startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertError, payload, UmaWorld } from '../uma-grant/fixture.ts';

const APP = { id: 'browser-app', secret: 'browser-app-secret' };
const SCREENSHOTS = process.env.STEWARD_SCREENSHOTS === '1';
const skip = chromiumPath() === null ? 'chromium is not installed (apt-get install chromium); CI installs it' : false;

/** The client's claims redirect endpoint: records each query it receives and answers a small page. */
async function callbackServer(): Promise<{ server: Server; uri: string; seen: URLSearchParams[] }> {
  const port = await freePort();
  const seen: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === '/cb') seen.push(url.searchParams);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Back at the app</title><p>Back at the app</p>');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, uri: `http://127.0.0.1:${port}/cb?app=web`, seen };
}

function image(name: string): string {
  return fileURLToPath(new URL(`../../docs/images/${name}`, import.meta.url));
}

// One browser for both stores: launching Chromium is the slow part.
let browser: Browser | undefined;
before(async () => {
  if (!skip) browser = await launchBrowser({ viewport: { width: 720, height: 760 } });
});
after(async () => browser?.close());

dialects.forEach((dialect, i) => {
  describe(`claims gathering in a browser (${dialect})`, { skip }, () => {
    let s: TestSteward;
    let w: UmaWorld;
    let app: Awaited<ReturnType<typeof callbackServer>>;

    before(async () => {
      s = await startTestSteward(dialect, { listen: true });
      w = new UmaWorld(s);
      app = await callbackServer();
      await addClient(s.deps, 'demo', { clientId: APP.id, secret: APP.secret, name: 'Photo print shop', grantTypes: [UMA_GRANT_TYPE], claimsRedirectUris: [app.uri] });
      // Cookies do not tell ports apart: start without the other Steward's.
      await browser!.context.clearCookies();
    });
    after(async () => {
      await new Promise((resolve) => app?.server.close(resolve));
      await s?.close();
    });

    it('signs bob in, asks his consent, lands on the client with a new ticket, which the client trades for an RPT and a PCT', async () => {
      const r = await w.resource('alice', ['view'], 'Holiday photos 2025');
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const refused = await w.grant({ ticket: await w.ticket('alice', [[r, ['view']]]) }, APP);
      assertError(refused, 403, 'need_info');
      const url = new URL(refused.json.redirect_user);
      url.search = new URLSearchParams({ client_id: APP.id, ticket: refused.json.ticket, claims_redirect_uri: app.uri, state: 'st-browser' }).toString();
      assert.equal(url.origin, s.baseUrl);

      const page = await browser!.context.newPage();
      await page.goto(url.toString());
      await page.getByRole('heading', { name: /Sign in to continue to Photo print shop/ }).waitFor();
      assert.doesNotMatch(await page.locator('main').innerText(), /alice|Holiday photos/, 'whose resources: only once signed in');
      if (SCREENSHOTS && i === 0) await page.screenshot({ path: image('claims-sign-in.png'), fullPage: true });
      await page.getByLabel('Username').fill('bob');
      await page.getByLabel('Password').fill(DEMO.password);
      await page.getByRole('button', { name: 'Sign in' }).click();

      await page.getByRole('heading', { name: /Photo print shop asks to confirm who you are/ }).waitFor();
      assert.match(await page.locator('main').innerText(), /Holiday photos 2025 \(view\)/);
      await page.getByLabel(/Remember me for this app/).check();
      if (SCREENSHOTS && i === 0) await page.screenshot({ path: image('claims-consent.png'), fullPage: true });
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.waitForURL((u) => u.origin + u.pathname === new URL(app.uri).origin + '/cb');
      await page.getByText('Back at the app').waitFor();
      await page.close();

      assert.equal(app.seen.length, 1);
      const query = app.seen[0]!;
      assert.equal(query.get('app'), 'web', 'the claims redirect URI keeps its own query');
      assert.equal(query.get('state'), 'st-browser');
      assert.equal(query.get('authorization_state'), 'claims_submitted');
      const ticket = query.get('ticket');
      assert.ok(ticket && ticket !== refused.json.ticket);

      const granted = await w.grant({ ticket }, APP);
      assert.equal(granted.status, 200, granted.body);
      assert.equal(payload(granted.json.access_token).sub, await w.userId('bob'));
      assert.deepEqual(payload(granted.json.access_token).permissions, [{ resource_id: r, resource_scopes: ['view'] }]);
      assert.ok(granted.json.pct, 'bob agreed to be remembered');
      const next = await w.grant({ ticket: await w.ticket('alice', [[r, ['view']]]), pct: granted.json.pct }, APP);
      assert.equal(next.status, 200, next.body);
    });
  });
});
