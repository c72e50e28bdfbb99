/**
 * Serving the account console: without a build the page is a clear 503 (never a 500 or an empty
 * page), and asset names cannot leave the build directory. The built page itself is covered by the
 * browser story.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { accountConsoleRoutes, CONSOLE_CSP } from '../../packages/server/src/endpoints/account-console.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';

/** The page is served through the base URL's host only (test/console/links.test.ts covers the others). */
const BASE_HOST = '127.0.0.1:8080';

describe('account console serving (sqlite)', () => {
  let s: TestSteward;
  let empty: string;
  let built: string;
  let missing: FastifyInstance;
  let present: FastifyInstance;

  before(async () => {
    s = await startTestSteward('sqlite');
    empty = mkdtempSync(join(tmpdir(), 'console-empty-'));
    built = mkdtempSync(join(tmpdir(), 'console-built-'));
    mkdirSync(join(built, 'assets'));
    writeFileSync(join(built, 'index.html'), '<!DOCTYPE html><title>console</title>');
    writeFileSync(join(built, 'assets', 'app-1234.js'), 'console.log(1)');
    writeFileSync(join(built, 'secret.txt'), 'not an asset');
    missing = Fastify();
    accountConsoleRoutes(missing, s.deps, `${empty}/`);
    present = Fastify();
    accountConsoleRoutes(present, s.deps, `${built}/`);
  });

  after(async () => {
    await Promise.all([missing?.close(), present?.close()]);
    rmSync(empty, { recursive: true, force: true });
    rmSync(built, { recursive: true, force: true });
    await s?.close();
  });

  it('answers 503 with a page saying how to build the console when there is no build', async () => {
    const res = await missing.inject({ method: 'GET', url: '/realms/demo/account/', headers: { host: BASE_HOST } });
    assert.equal(res.statusCode, 503);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(res.body, /npm run build/);
    assert.equal(res.headers['content-security-policy'], CONSOLE_CSP);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('serves the page without caching and assets with a long cache, nothing else', async () => {
    const page = await present.inject({ method: 'GET', url: '/realms/demo/account/', headers: { host: BASE_HOST } });
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    const asset = await present.inject({ method: 'GET', url: '/realms/demo/account/assets/app-1234.js' });
    assert.equal(asset.statusCode, 200);
    assert.match(String(asset.headers['content-type']), /^text\/javascript/);
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    for (const url of ['/realms/demo/account/assets/..%2Fsecret.txt', '/realms/demo/account/assets/missing.js', '/realms/demo/account/assets/app-1234.exe', '/realms/demo/account/secret.txt', '/realms/nope/account/assets/app-1234.js']) {
      const res = await present.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.doesNotMatch(res.body, /not an asset/);
    }
  });
});
