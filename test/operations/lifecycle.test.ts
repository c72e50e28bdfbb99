/**
 * Lifecycle of a real `steward serve` process: SIGTERM while a request is in flight lets it finish and
 * exits 0; a request that never finishes is cut at the shutdown bound and the process still exits 0;
 * with STEWARD_MIGRATE_ON_START=0 a database with pending migrations is refused until migrated.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { connect as tcp } from 'node:net';
import { freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { CLI, spawnServe, waitReady, type ServeProcess } from './fixture.ts';

const TOKEN_PATH = '/realms/demo/protocol/openid-connect/token';
const BODY = 'grant_type=client_credentials&client_id=photoz-rs&client_secret=photoz-rs-secret';

/** Opens a connection and sends a token request whose body is cut after `sent` bytes. */
function startSlowRequest(node: ServeProcess, sent: number) {
  const socket = tcp(node.port, '127.0.0.1');
  let response = '';
  socket.on('data', (d: Buffer) => (response += d.toString()));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => {});
  const opened = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return {
    async begin() {
      await opened;
      socket.write(`POST ${TOKEN_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY.slice(0, sent)}`);
    },
    finish() {
      socket.write(BODY.slice(sent));
    },
    closed,
    response: () => response,
  };
}

async function connectionRefused(node: ServeProcess): Promise<boolean> {
  try {
    await fetch(`${node.url}/health/live`);
    return false;
  } catch {
    return true;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('graceful shutdown of steward serve', () => {
  it('SIGTERM: stops accepting, lets the request in flight finish, exits 0', async () => {
    const db = await freshDatabaseUrl('sqlite');
    const node = await spawnServe({ STEWARD_DATABASE_URL: db.url, STEWARD_SHUTDOWN_TIMEOUT: '30' });
    try {
      await waitReady(node);
      const slow = startSlowRequest(node, 20);
      await slow.begin();
      await pause(200);
      node.child.kill('SIGTERM');
      // Until the request completes the process keeps running, and no longer accepts connections.
      for (let i = 0; i < 50 && !(await connectionRefused(node)); i++) await pause(50);
      assert.equal(await connectionRefused(node), true, 'new connections are refused while draining');
      assert.equal(node.child.exitCode, null, 'still running while a request is in flight');
      slow.finish();
      await slow.closed;
      assert.match(slow.response(), /^HTTP\/1\.1 200 /, slow.response());
      assert.match(slow.response(), /"access_token":"/);
      assert.equal(await node.exited, 0, node.output());
    } finally {
      await node.stop();
      await db.drop();
    }
  });

  it('a request that never finishes is cut at STEWARD_SHUTDOWN_TIMEOUT; the exit is still clean', async () => {
    const db = await freshDatabaseUrl('sqlite');
    const node = await spawnServe({ STEWARD_DATABASE_URL: db.url, STEWARD_SHUTDOWN_TIMEOUT: '1' });
    try {
      await waitReady(node);
      const stuck = startSlowRequest(node, 5);
      await stuck.begin();
      await pause(200);
      node.child.kill('SIGTERM');
      await stuck.closed;
      assert.equal(await node.exited, 0, node.output());
      assert.doesNotMatch(stuck.response(), /^HTTP\/1\.1 200/, 'the unfinished request got no answer');
    } finally {
      await node.stop();
      await db.drop();
    }
  });
});

describe('start-up with STEWARD_MIGRATE_ON_START=0', () => {
  it('refuses a database with pending migrations, naming the command that applies them, and serves once migrated', async () => {
    const db = await freshDatabaseUrl('sqlite');
    try {
      const refused = await spawnServe({ STEWARD_DATABASE_URL: db.url, STEWARD_MIGRATE_ON_START: '0' });
      const code = await refused.exited;
      assert.equal(code, 1);
      assert.match(refused.output(), /pending migration/);
      assert.doesNotMatch(refused.output(), /\n\s+at /, 'a message, not a stack trace');
      assert.match(refused.output(), /steward migrate up/);
      assert.doesNotMatch(refused.output(), /listening/i);

      const migrated = spawnSync(process.execPath, [CLI, 'migrate', 'up'], { env: { PATH: process.env.PATH, STEWARD_DATABASE_URL: db.url }, encoding: 'utf8', timeout: 60_000 });
      assert.equal(migrated.status, 0, migrated.stderr);

      const node = await spawnServe({ STEWARD_DATABASE_URL: db.url, STEWARD_MIGRATE_ON_START: '0' });
      try {
        await waitReady(node);
        assert.equal((await fetch(`${node.url}/realms/demo/.well-known/uma2-configuration`)).status, 200, 'the demo realm is seeded on the migrated database');
      } finally {
        assert.equal(await node.stop(), 0);
      }
    } finally {
      await db.drop();
    }
  });
});
