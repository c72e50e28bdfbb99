/**
 * Logs never carry secrets: a real `steward serve` at log level info, fed requests full of secrets in
 * headers, query strings and bodies; its whole output is then searched for each of them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { freePort } from '../helpers/steward.ts';

const cli = new URL('../../packages/server/src/cli.ts', import.meta.url).pathname;

describe('logs', () => {
  it('never contain passwords, client secrets, tokens, codes or ID token hints', async () => {
    const db = await freshDatabaseUrl('sqlite');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [cli, 'serve'], {
      env: { PATH: process.env.PATH, STEWARD_DATABASE_URL: db.url, STEWARD_PORT: String(port), STEWARD_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    try {
      // Start-up can take a while on a loaded machine: wait for it (the test fails on the output, not on time).
      for (let i = 0; i < 600 && !output.includes('Steward listening') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(output, /Steward listening/, output);
      const T = `${base}/realms/demo/protocol/openid-connect/token`;
      const form = (body: Record<string, string>, headers: Record<string, string> = {}) =>
        fetch(T, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'log-test', ...headers }, body: new URLSearchParams(body) });
      const basic = `Basic ${Buffer.from('photoz-rs:photoz-rs-secret').toString('base64')}`;
      const ok = await (await form({ grant_type: 'password', username: 'alice', password: 'Ch4ng31t', scope: 'openid uma_protection' }, { authorization: basic })).json() as Record<string, string>;
      assert.ok(ok.access_token && ok.refresh_token && ok.id_token);
      await form({ grant_type: 'client_credentials', client_id: 'photoz-rs', client_secret: 'photoz-rs-secret' });
      await fetch(`${base}/realms/demo/authz/protection/resource_set`, { headers: { authorization: `Bearer ${ok.access_token}` } });
      await fetch(`${base}/realms/demo/protocol/openid-connect/logout?id_token_hint=${ok.id_token}&state=s`);
      await fetch(`${base}/realms/demo/protocol/openid-connect/auth?client_id=photoz-rs&code_challenge=secret-challenge-value&response_type=code`);
      await fetch(`${base}/json/realms/root/realms/demo/authenticate`, { method: 'POST', headers: { 'x-openam-username': 'alice', 'x-openam-password': 'Ch4ng31t' } });
      await form({ grant_type: 'refresh_token', refresh_token: ok.refresh_token }, { authorization: basic });
    } finally {
      await new Promise<void>((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGTERM'))));
      await db.drop();
    }
    assert.match(output, /log-test/, 'the request id is logged');
    assert.match(output, /"url":"\/realms\/demo\/protocol\/openid-connect\/logout"/, 'requests are logged by path');
    for (const secret of ['Ch4ng31t', 'photoz-rs-secret', 'secret-challenge-value', 'id_token_hint', 'eyJ']) {
      assert.ok(!output.includes(secret), `the logs contain ${secret}`);
    }
  });
});
