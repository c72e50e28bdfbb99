/**
 * Behind a proxy and on native TLS: forwarded headers count only from trusted addresses (the client
 * address rate limits use), issuers always come from the base URL, and `STEWARD_TLS_CERT`/`_KEY`
 * serve discovery over HTTPS with a certificate made here.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, createSteward } from '@steward/server';
import { dialects, freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { DEMO } from '../helpers/http.ts';
import { startConfigured, type ConfiguredSteward } from './fixture.ts';

const dialect = dialects[0]!;
const AUTHENTICATE = '/json/realms/root/realms/demo/authenticate';

describe('forwarded headers', () => {
  let steward: ConfiguredSteward;

  before(async () => {
    steward = await startConfigured(dialect, { trustProxy: '10.0.0.1, 10.9.0.0/16', rateLimitLoginPerIp: 1, baseUrl: 'https://auth.example.org' });
  });
  after(() => steward?.close());

  const signIn = (remoteAddress: string, forwardedFor: string) =>
    steward.app.inject({ method: 'POST', url: AUTHENTICATE, remoteAddress, headers: { 'x-forwarded-for': forwardedFor, 'x-openam-username': 'bob', 'x-openam-password': DEMO.password } });

  it('from an untrusted address: ignored, the connection address is the client', async () => {
    assert.equal((await signIn('192.0.2.50', '198.51.100.1')).statusCode, 200);
    assert.equal((await signIn('192.0.2.50', '198.51.100.2')).statusCode, 429, 'a new X-Forwarded-For does not buy a new count');
  });

  it('from a trusted proxy (address or range): the forwarded client address counts', async () => {
    assert.equal((await signIn('10.0.0.1', '203.0.113.1')).statusCode, 200);
    assert.equal((await signIn('10.9.3.4', '203.0.113.2')).statusCode, 200, 'another client behind a proxy of the range');
    assert.equal((await signIn('10.0.0.1', '203.0.113.1')).statusCode, 429, 'the same client again');
    assert.equal((await signIn('10.0.0.1', '192.0.2.50, 203.0.113.3')).statusCode, 200, 'the address the trusted proxy saw counts, not one the client wrote');
  });

  it('never takes the issuer from request headers', async () => {
    for (const remoteAddress of ['10.0.0.1', '192.0.2.50']) {
      const res = await steward.app.inject({
        method: 'GET',
        url: '/realms/demo/.well-known/uma2-configuration',
        remoteAddress,
        headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http', forwarded: 'host=evil.example;proto=http' },
      });
      const doc = JSON.parse(res.body);
      assert.equal(doc.issuer, 'https://auth.example.org/realms/demo');
      assert.ok(!res.body.includes('evil.example'));
    }
  });
});

describe('native TLS', () => {
  let dir: string;
  let steward: ConfiguredSteward;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    steward = await startConfigured(dialect, { tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem') }, { listen: true });
  });
  after(async () => {
    await steward?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves discovery over HTTPS with the configured certificate', async () => {
    const ca = readFileSync(join(dir, 'cert.pem'));
    const url = `${steward.baseUrl}/realms/demo/.well-known/uma2-configuration`;
    assert.match(url, /^https:/);
    const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      https.get(url, { ca }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      }).on('error', reject);
    });
    assert.equal(body.status, 200);
    assert.equal(JSON.parse(body.text).issuer, `${steward.baseUrl}/realms/demo`);
  });

  it('refuses to start with one of the pair, or a file it cannot read, naming the key', async () => {
    assert.throws(() => loadConfig({ STEWARD_TLS_CERT: join(dir, 'cert.pem') }), /STEWARD_TLS_KEY is required/);
    assert.throws(() => loadConfig({ STEWARD_TLS_KEY: join(dir, 'key.pem') }), /STEWARD_TLS_CERT is required/);
    const db = await freshDatabaseUrl('sqlite');
    try {
      const config = loadConfig({}, { databaseUrl: db.url, tlsCert: join(dir, 'missing.pem'), tlsKey: join(dir, 'key.pem'), logLevel: 'silent' });
      await assert.rejects(createSteward(config, { logLevel: 'silent' }), /STEWARD_TLS_CERT: cannot read/);
    } finally {
      await db.drop();
    }
  });
});
