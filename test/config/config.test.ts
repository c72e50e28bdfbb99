/** Configuration: defaults, overrides, and start-up refusals that name the key. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@steward/server';
import { renderConfigDocs } from '../../tools/gen-config-docs.ts';
import { readFileSync } from 'node:fs';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.baseUrl, 'http://127.0.0.1:8080');
    assert.equal(c.databaseUrl, 'sqlite:./data/steward.db');
    assert.equal(c.demo, true);
    assert.equal(c.sessionHeader, 'iPlanetDirectoryPro');
  });

  it('derives the base URL from the port and strips a trailing slash from an explicit one', () => {
    assert.equal(loadConfig({ STEWARD_PORT: '9090' }).baseUrl, 'http://127.0.0.1:9090');
    assert.equal(loadConfig({ STEWARD_BASE_URL: 'https://auth.example.com/' }).baseUrl, 'https://auth.example.com');
    assert.equal(loadConfig({ STEWARD_DEMO: '0' }).demo, false);
    assert.equal(loadConfig({ STEWARD_DATABASE_URL: 'postgres://u@h/db' }).databaseUrl, 'postgres://u@h/db');
  });

  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ STEWARD_PORT: 'eighty' }, /STEWARD_PORT/],
    [{ STEWARD_PORT: '70000' }, /STEWARD_PORT/],
    [{ STEWARD_BASE_URL: 'ftp://x' }, /STEWARD_BASE_URL/],
    [{ STEWARD_BASE_URL: 'https://x/?q=1' }, /STEWARD_BASE_URL/],
    [{ STEWARD_DATABASE_URL: 'mysql://x' }, /STEWARD_DATABASE_URL/],
    [{ STEWARD_DEMO: 'maybe' }, /STEWARD_DEMO/],
    [{ STEWARD_LOG_LEVEL: 'loud' }, /STEWARD_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"/],
    [{ STEWARD_BODY_LIMIT: '-1' }, /STEWARD_BODY_LIMIT/],
    [{ STEWARD_PROT: '8080' }, /unknown environment variable STEWARD_PROT/],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)}`, () => assert.throws(() => loadConfig(env), message));
  }

  it('reads a JSON config file, lets the environment win, and names unknown members', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-config-'));
    const file = join(dir, 'steward.json');
    writeFileSync(file, JSON.stringify({ port: 7000, host: '0.0.0.0' }));
    const c = loadConfig({ STEWARD_CONFIG: file, STEWARD_PORT: '7001' });
    assert.equal(c.port, 7001);
    assert.equal(c.host, '0.0.0.0');
    writeFileSync(file, JSON.stringify({ prot: 1 }));
    assert.throws(() => loadConfig({ STEWARD_CONFIG: file }), /member prot is unknown/);
    writeFileSync(file, '{not json');
    assert.throws(() => loadConfig({ STEWARD_CONFIG: file }), /STEWARD_CONFIG/);
  });

  it('stops `steward serve` with exit code 2 and a message naming the key', () => {
    const cli = new URL('../../packages/server/src/cli.ts', import.meta.url).pathname;
    const res = spawnSync(process.execPath, [cli, 'serve'], { env: { PATH: process.env.PATH, STEWARD_PORT: 'x' }, encoding: 'utf8', timeout: 20_000 });
    assert.equal(res.status, 2);
    assert.match(res.stderr, /STEWARD_PORT must be a port number/);
  });

  it('keeps docs/configuration.md generated from the defaults file', () => {
    const committed = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    assert.equal(committed, renderConfigDocs());
  });
});

describe('generated docs', () => {
  it('keeps docs/errors.md generated from the error list', async () => {
    const { renderErrorDocs } = await import('../../tools/gen-errors-docs.ts');
    assert.equal(readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8'), renderErrorDocs());
  });
});
