/**
 * Two `steward serve` processes on one PostgreSQL database: the same permission ticket presented many
 * times at once, spread over both nodes, is redeemed exactly once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { dialects, freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { freePort } from '../helpers/steward.ts';

const UMA = 'urn:ietf:params:oauth:grant-type:uma-ticket';
const cli = new URL('../../packages/server/src/cli.ts', import.meta.url).pathname;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`node exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ready`);
}

async function form(url: string, params: Record<string, string>, authorization: string) {
  const res = await fetch(url, { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) });
  return { status: res.status, json: (await res.json()) as any };
}

describe('two nodes on one PostgreSQL database', { skip: !dialects.includes('postgres') }, () => {
  const nodes: ChildProcess[] = [];
  const urls: string[] = [];
  let db: { url: string; drop(): Promise<void> };

  before(async () => {
    db = await freshDatabaseUrl('postgres');
    const ports = [await freePort(), await freePort()];
    const baseUrl = `http://127.0.0.1:${ports[0]}`;
    for (const [i, port] of ports.entries()) {
      const env = { PATH: process.env.PATH, STEWARD_DATABASE_URL: db.url, STEWARD_PORT: String(port), STEWARD_BASE_URL: baseUrl, STEWARD_LOG_LEVEL: 'warn' };
      const child = spawn(process.execPath, [cli, 'serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
      nodes.push(child);
      urls.push(`http://127.0.0.1:${port}`);
      // Start the second node once the first has migrated and seeded, as a rolling start would.
      if (i === 0) await waitReady(urls[0]!, child);
    }
    await waitReady(urls[1]!, nodes[1]!);
  });

  after(async () => {
    await Promise.all(nodes.map((n) => new Promise<void>((r) => (n.exitCode !== null ? r() : (n.once('exit', () => r()), n.kill('SIGTERM'))))));
    await db?.drop();
  });

  it('redeems one ticket exactly once across both nodes', async () => {
    const [a, b] = urls as [string, string];
    const token = (u: string) => `${u}/realms/demo/protocol/openid-connect/token`;
    const rs = basic('photoz-rs', 'photoz-rs-secret');
    const client = basic('photoz-client', 'photoz-client-secret');
    const pat = (await form(token(a), { grant_type: 'password', username: 'alice', password: 'Ch4ng31t', scope: 'uma_protection' }, rs)).json.access_token;
    const created = await fetch(`${b}/realms/demo/authz/protection/resource_set`, { method: 'POST', headers: { authorization: `Bearer ${pat}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Account', resource_scopes: ['view'] }) });
    assert.equal(created.status, 201);
    const { _id } = (await created.json()) as { _id: string };
    const ticketRes = await fetch(`${a}/realms/demo/authz/protection/permission`, { method: 'POST', headers: { authorization: `Bearer ${pat}`, 'content-type': 'application/json' }, body: JSON.stringify({ resource_id: _id, resource_scopes: ['view'] }) });
    const { ticket } = (await ticketRes.json()) as { ticket: string };
    const ownerTicket = ticket;
    // Alice presents her own resource's ticket (the owner always gets her own resources): 40 times at once.
    const aliceIdToken = (await form(token(b), { grant_type: 'password', username: 'alice', password: 'Ch4ng31t', scope: 'openid' }, client)).json.id_token;
    const attempts = Array.from({ length: 40 }, (_, i) =>
      form(token(i % 2 ? a : b), { grant_type: UMA, ticket: ownerTicket, claim_token: aliceIdToken, claim_token_format: 'urn:ietf:params:oauth:token-type:id_token' }, client),
    );
    const results = await Promise.all(attempts);
    const ok = results.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, JSON.stringify(results.map((r) => r.status)));
    for (const r of results.filter((x) => x.status !== 200)) {
      assert.equal(r.status, 400);
      assert.equal(r.json.error, 'invalid_grant');
    }
    // The RPT minted on one node is active when introspected on the other.
    const rpt = ok[0]!.json.access_token;
    for (const u of urls) {
      const info = await form(`${token(u)}/introspect`, { token: rpt }, `Bearer ${pat}`);
      assert.equal(info.json.active, true);
    }
  });
});
