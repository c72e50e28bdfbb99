/**
 * Faults: SIGKILL of `steward serve` in the middle of a burst of writes loses no write it acknowledged
 * (SQLite and PostgreSQL); a PostgreSQL outage (the connection cut by a TCP proxy between Steward and
 * the server, then restored; the shared server itself is never restarted) fails only the requests made
 * during it, turns readiness red, then green again, with earlier data intact.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect as tcp, type Server, type Socket } from 'node:net';
import { dialects, freshDatabaseUrl, testPostgresUrl } from '../../packages/store/test/databases.ts';
import { DEMO } from '../helpers/http.ts';
import { basicAuth, postFormTo, spawnServe, startConfigured, waitReady, type ConfiguredSteward } from './fixture.ts';

async function pat(base: string): Promise<string> {
  const res = await postFormTo(`${base}/realms/demo/protocol/openid-connect/token`, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }, { authorization: basicAuth(DEMO.rs.id, DEMO.rs.secret) });
  assert.equal(res.status, 200, res.text);
  return res.json.access_token;
}

for (const dialect of dialects) {
  describe(`SIGKILL during a write burst (${dialect})`, () => {
    it('every acknowledged resource registration is there after a restart', async () => {
      const db = await freshDatabaseUrl(dialect);
      const env = { STEWARD_DATABASE_URL: db.url };
      let node = await spawnServe(env);
      try {
        await waitReady(node);
        const token = await pat(node.url);
        const acknowledged: string[] = [];
        let attempted = 0;
        const killAfter = 40;
        // Eight writers at once, until the process is killed under them.
        const writer = async (w: number) => {
          for (let i = 0; ; i++) {
            attempted++;
            try {
              const res = await fetch(`${node.url}/realms/demo/authz/protection/resource_set`, {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                body: JSON.stringify({ name: `burst ${w}-${i}`, resource_scopes: ['view'] }),
              });
              if (res.status === 201) acknowledged.push(((await res.json()) as { _id: string })._id);
              if (acknowledged.length === killAfter && node.child.exitCode === null) node.child.kill('SIGKILL');
            } catch {
              return; // the connection died with the process
            }
          }
        };
        await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
        assert.equal(await node.exited, 'SIGKILL');
        assert.ok(acknowledged.length >= killAfter && attempted > acknowledged.length, `${acknowledged.length} acknowledged of ${attempted}`);

        node = await spawnServe(env);
        await waitReady(node);
        const list = await fetch(`${node.url}/realms/demo/authz/protection/resource_set`, { headers: { authorization: `Bearer ${await pat(node.url)}` } });
        const stored = new Set((await list.json()) as string[]);
        const lost = acknowledged.filter((id) => !stored.has(id));
        assert.deepEqual(lost, [], `${lost.length} acknowledged writes lost`);
      } finally {
        await node.stop();
        await db.drop();
      }
    });
  });
}

/** A TCP proxy to PostgreSQL whose connections can be cut (and new ones refused) and then allowed again. */
class CuttableProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server | null = null;
  port = 0;

  constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  async open(port = 0): Promise<void> {
    const server = createServer((client) => {
      const upstream = tcp(this.#target.port, this.#target.host);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  /** Like a server going down: every connection is dropped and new ones are refused. */
  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

describe('PostgreSQL outage mid-run', { skip: !dialects.includes('postgres') }, () => {
  let db: { url: string; drop(): Promise<void> };
  let proxy: CuttableProxy;
  let steward: ConfiguredSteward;

  before(async () => {
    db = await freshDatabaseUrl('postgres');
    const real = new URL(testPostgresUrl());
    proxy = new CuttableProxy({ host: real.hostname, port: Number(real.port || 5432) });
    await proxy.open();
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    steward = await startConfigured('postgres', {}, { listen: true, databaseUrl: viaProxy.toString() });
  });
  after(async () => {
    await steward?.close();
    await proxy?.cut();
    await db?.drop();
  });

  it('fails only the requests made while the database is away, readiness goes red then green, data survives', async () => {
    const base = steward.baseUrl;
    const token = await pat(base);
    const register = (name: string) =>
      fetch(`${base}/realms/demo/authz/protection/resource_set`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name, resource_scopes: ['view'] }) });
    const before = await register('before the outage');
    assert.equal(before.status, 201);
    const { _id } = (await before.json()) as { _id: string };
    assert.equal((await fetch(`${base}/health/ready`)).status, 200);

    const port = proxy.port;
    await proxy.cut();
    const ready = await fetch(`${base}/health/ready`);
    assert.equal(ready.status, 503);
    assert.deepEqual(((await ready.json()) as { checks: unknown[] }).checks[0], { name: 'database', status: 'DOWN' });
    const during = await register('during the outage');
    assert.ok(during.status >= 500, `a write during the outage answers an error, not ${during.status}`);
    assert.equal(((await during.json()) as { error: string }).error, 'server_error');
    assert.equal((await fetch(`${base}/health/live`)).status, 200, 'the process lives on');

    await proxy.open(port);
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await fetch(`${base}/health/ready`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 200, 'ready again once the database is back');
    assert.equal((await register('after the outage')).status, 201);
    const read = await fetch(`${base}/realms/demo/authz/protection/resource_set/${_id}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(read.status, 200);
  });
});
