/**
 * The landing page at `/` over HTTP, on both stores: an HTML page (strict headers, no script) linking
 * each realm's account console and discovery documents and the health endpoints, every realm's name
 * escaped; HEAD answers like GET without a body; other methods keep the 404.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_REALM_SETTINGS } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { MAX_LANDING_REALMS } from '../../packages/server/src/endpoints/landing.ts';
import { contentSecurityPolicy } from '../../packages/server/src/pages/html.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';

const ODD_NAME = `<img src=x onerror="alert(1)"> Tom & Jerry's`;

for (const dialect of dialects) {
  describe(`landing page (${dialect})`, () => {
    let s: TestSteward;
    const clock = new TestClock();

    before(async () => {
      s = await startTestSteward(dialect, { listen: true, clock });
      await s.deps.store.realms.create({ id: 'odd', displayName: ODD_NAME, settings: DEFAULT_REALM_SETTINGS, createdAt: clock.now() });
    });
    after(async () => s?.close());

    it('answers GET / with an HTML page and the pages\' strict headers', async () => {
      const res = await fetch(`${s.baseUrl}/`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(res.headers.get('content-security-policy'), contentSecurityPolicy());
      assert.match(res.headers.get('content-security-policy')!, /default-src 'none'/);
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const body = await res.text();
      assert.match(body, /Steward is a UMA 2\.0 authorization server/);
      assert.doesNotMatch(body, /<script/i);
    });

    it('links each realm\'s account console and discovery documents, and the health endpoints, on the base URL', async () => {
      const body = await (await fetch(`${s.baseUrl}/`)).text();
      for (const realm of ['demo', 'odd']) {
        const issuer = `${s.baseUrl}/realms/${realm}`;
        for (const href of [`${issuer}/account/`, `${issuer}/.well-known/uma2-configuration`, `${issuer}/.well-known/openid-configuration`]) {
          assert.ok(body.includes(`href="${href}"`), href);
        }
      }
      assert.ok(body.includes(`href="${s.baseUrl}/health/live"`));
      assert.ok(body.includes(`href="${s.baseUrl}/health/ready"`));
      // Every link leads somewhere (the console may be unbuilt, a realm made here has no keys: 503, not 404).
      const hrefs = [...body.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
      assert.equal(hrefs.length, (await s.deps.store.realms.list()).length * 3 + 2);
      for (const href of hrefs) assert.notEqual((await fetch(href, { redirect: 'manual' })).status, 404, href);
    });

    it('escapes a realm\'s name', async () => {
      const body = await (await fetch(`${s.baseUrl}/`)).text();
      assert.ok(body.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Tom &amp; Jerry&#39;s'), body);
      assert.ok(!body.includes('<img'), 'no markup from a realm name');
      assert.ok(!body.includes(ODD_NAME));
    });

    it('answers HEAD / like GET, without a body', async () => {
      const res = await fetch(`${s.baseUrl}/`, { method: 'HEAD' });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(res.headers.get('content-security-policy'), contentSecurityPolicy());
      assert.equal(await res.text(), '');
    });

    it('keeps the 404 for other methods', async () => {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        const res = await fetch(`${s.baseUrl}/`, { method });
        assert.equal(res.status, 404, method);
        assert.equal(((await res.json()) as { error: string }).error, 'not_found', method);
      }
    });

    it(`shows at most ${MAX_LANDING_REALMS} realms, saying how many more exist`, async () => {
      const existing = (await s.deps.store.realms.list()).length;
      const added = MAX_LANDING_REALMS - existing + 3;
      for (let i = 0; i < added; i++) {
        await s.deps.store.realms.create({ id: `r${String(i).padStart(3, '0')}`, displayName: `Realm ${i}`, settings: DEFAULT_REALM_SETTINGS, createdAt: clock.now() });
      }
      clock.advance(10); // past the page's short cache of the realm list
      const body = await (await fetch(`${s.baseUrl}/`)).text();
      assert.equal([...body.matchAll(/\/\.well-known\/uma2-configuration"/g)].length, MAX_LANDING_REALMS);
      assert.match(body, /And 3 more/);
    });
  });
}

describe('landing page without realms (sqlite)', () => {
  let s: TestSteward;
  before(async () => {
    s = await startTestSteward('sqlite', { listen: true, demo: false });
  });
  after(async () => s?.close());

  it('says how to create one', async () => {
    const res = await fetch(`${s.baseUrl}/`);
    assert.equal(res.status, 200);
    const body = await res.text();
    assert.match(body, /No realm yet/);
    assert.match(body, /steward realm create/);
  });
});
