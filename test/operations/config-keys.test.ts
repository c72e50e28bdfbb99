/** The operations settings: their defaults, and refusals that name the key. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '@steward/server';

describe('operations configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    assert.equal(c.migrateOnStart, true);
    assert.equal(c.shutdownTimeout, 10);
    assert.equal(c.purgeInterval, 300);
    assert.equal(c.trustProxy, null);
    assert.equal(c.metrics, 'open');
    assert.equal(c.rateLimitWindow, 60);
    assert.equal(c.rateLimitLoginPerIp, 300);
    assert.equal(c.rateLimitTokenPerIp, 0);
    assert.equal(c.rateLimitTokenPerClient, 0);
    assert.deepEqual([c.lockoutThreshold, c.lockoutSeconds, c.lockoutMaxSeconds, c.lockoutResetSeconds], [5, 60, 900, 3600]);
    assert.equal(c.lockoutUserThreshold, 50);
  });

  it('reads them from the environment; 0 turns a limit off', () => {
    const c = loadConfig({ STEWARD_TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1', STEWARD_RATE_LIMIT_LOGIN_PER_IP: '0', STEWARD_LOCKOUT_THRESHOLD: '0', STEWARD_MIGRATE_ON_START: '0', STEWARD_PURGE_INTERVAL: '0' });
    assert.equal(c.trustProxy, '10.0.0.1, 192.168.0.0/16,::1');
    assert.equal(c.rateLimitLoginPerIp, 0);
    assert.equal(c.lockoutThreshold, 0);
    assert.equal(c.migrateOnStart, false);
    assert.equal(c.purgeInterval, 0);
  });

  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ STEWARD_METRICS: 'public' }, /STEWARD_METRICS must be one of open, token, off/],
    [{ STEWARD_METRICS: 'token' }, /STEWARD_METRICS_TOKEN_SHA256 is required/],
    [{ STEWARD_METRICS_TOKEN_SHA256: 'not-hex' }, /STEWARD_METRICS_TOKEN_SHA256 must be 64 hex digits/],
    [{ STEWARD_TRUST_PROXY: 'proxy.internal' }, /STEWARD_TRUST_PROXY must list IP addresses or CIDR ranges/],
    [{ STEWARD_RATE_LIMIT_LOGIN_PER_IP: '-1' }, /STEWARD_RATE_LIMIT_LOGIN_PER_IP must be a whole number/],
    [{ STEWARD_RATE_LIMIT_WINDOW: '0' }, /STEWARD_RATE_LIMIT_WINDOW must be a positive integer/],
    [{ STEWARD_LOCKOUT_SECONDS: '600', STEWARD_LOCKOUT_MAX_SECONDS: '60' }, /STEWARD_LOCKOUT_MAX_SECONDS must not be less than STEWARD_LOCKOUT_SECONDS/],
    [{ STEWARD_SHUTDOWN_TIMEOUT: 'soon' }, /STEWARD_SHUTDOWN_TIMEOUT/],
    [{ STEWARD_MIGRATE_ON_START: 'sometimes' }, /STEWARD_MIGRATE_ON_START/],
    [{ STEWARD_TLS_CERT: '/etc/cert.pem' }, /STEWARD_TLS_KEY is required when STEWARD_TLS_CERT is set/],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)}`, () => assert.throws(() => loadConfig(env), message));
  }
});
