/**
 * Three `steward serve` processes on one PostgreSQL database, with nothing else shared: requests spread
 * over them see one state. A ticket is redeemed once; a revocation on one node is seen by the others at
 * once; keys rotated on one node sign tokens every node accepts; webhook deliveries queued on any node
 * arrive once each though every node runs the delivery worker; and the periodic purge runs on all three
 * at the same time without an error.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import pg from 'pg';
import { dialects, freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { DEMO } from '../helpers/http.ts';
import { freePort } from '../helpers/steward.ts';
import { basicAuth, postFormTo, startNodes, type ServeProcess } from '../operations/fixture.ts';

const UMA = 'urn:ietf:params:oauth:grant-type:uma-ticket';
const ADMIN_TOKEN = 'three-nodes-admin-token-0123456789abcdef';
const WEBHOOK_SECRET = 'three-nodes-webhook-secret';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('three nodes on one PostgreSQL database', { skip: !dialects.includes('postgres') }, () => {
  const nodes: ServeProcess[] = [];
  let db: { url: string; drop(): Promise<void> };
  let receiver: Server;
  const deliveries: string[] = [];

  before(async () => {
    db = await freshDatabaseUrl('postgres');
    receiver = createServer((req, res) => {
      const id = req.headers['steward-delivery'];
      req.resume();
      req.on('end', () => {
        if (typeof id === 'string') deliveries.push(id);
        res.writeHead(204).end();
      });
    });
    const hookPort = await freePort();
    await new Promise<void>((r) => receiver.listen(hookPort, '127.0.0.1', () => r()));
    const ports = [await freePort(), await freePort(), await freePort()];
    const env = {
      STEWARD_DATABASE_URL: db.url,
      STEWARD_BASE_URL: `http://127.0.0.1:${ports[0]}`,
      STEWARD_ADMIN_TOKEN_SHA256: createHash('sha256').update(ADMIN_TOKEN).digest('hex'),
      STEWARD_KEY_ACTIVATION_DELAY: '10',
      STEWARD_PURGE_INTERVAL: '1',
      STEWARD_NOTIFY_POLL_MS: '100',
      STEWARD_WEBHOOKS: JSON.stringify({ demo: [{ id: 'audit', url: `http://127.0.0.1:${hookPort}/hook`, secret: WEBHOOK_SECRET, events: ['share.granted'] }] }),
    };
    nodes.push(...(await startNodes(env, ports)));
  });

  after(async () => {
    const codes = await Promise.all(nodes.map((n) => n.stop()));
    await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
    await db?.drop();
    assert.deepEqual(codes, nodes.map(() => 0), 'every node stops cleanly');
  });

  const node = (i: number) => nodes[i % nodes.length]!.url;
  const token = (i: number) => `${node(i)}/realms/demo/protocol/openid-connect/token`;
  const rs = { authorization: basicAuth(DEMO.rs.id, DEMO.rs.secret) };
  const client = { authorization: basicAuth(DEMO.client.id, DEMO.client.secret) };
  const pat = async (i: number) => (await postFormTo(token(i), { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }, rs)).json.access_token as string;

  it('redeems a ticket exactly once across the three nodes', async () => {
    const p = await pat(0);
    const created = await fetch(`${node(1)}/realms/demo/authz/protection/resource_set`, { method: 'POST', headers: { authorization: `Bearer ${p}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ledger', resource_scopes: ['view'] }) });
    const { _id } = (await created.json()) as { _id: string };
    const { ticket } = (await (await fetch(`${node(2)}/realms/demo/authz/protection/permission`, { method: 'POST', headers: { authorization: `Bearer ${p}`, 'content-type': 'application/json' }, body: JSON.stringify({ resource_id: _id, resource_scopes: ['view'] }) })).json()) as { ticket: string };
    const idToken = (await postFormTo(token(0), { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'openid' }, client)).json.id_token;
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => postFormTo(token(i), { grant_type: UMA, ticket, claim_token: idToken, claim_token_format: 'urn:ietf:params:oauth:token-type:id_token' }, client)));
    assert.equal(results.filter((r) => r.status === 200).length, 1, JSON.stringify(results.map((r) => r.status)));
    assert.ok(results.filter((r) => r.status !== 200).every((r) => r.status === 400 && r.json.error === 'invalid_grant'));
    // The RPT minted on one node is active when introspected on every node.
    const rpt = results.find((r) => r.status === 200)!.json.access_token as string;
    for (let i = 0; i < 3; i++) {
      const info = await postFormTo(`${token(i)}/introspect`, { token: rpt }, { authorization: `Bearer ${p}` });
      assert.equal(info.json.active, true, `active on node ${i}`);
    }
  });

  it('a revocation on one node is seen by the others at once', async () => {
    const user = await postFormTo(token(0), { grant_type: 'password', username: 'bob', password: DEMO.password, scope: 'openid' }, client);
    const access = user.json.access_token as string;
    const userinfo = (i: number) => fetch(`${node(i)}/realms/demo/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${access}` } });
    for (let i = 0; i < 3; i++) assert.equal((await userinfo(i)).status, 200, `accepted on node ${i}`);
    const revoked = await postFormTo(`${node(0)}${DEMO.revoke}`, { token: access }, client);
    assert.equal(revoked.status, 200, revoked.text);
    for (let i = 0; i < 3; i++) assert.equal((await userinfo(i)).status, 401, `refused on node ${i} right after the revocation`);
  });

  it('keys rotated on one node sign tokens that every node accepts', async () => {
    const rotated = await fetch(`${node(1)}/admin/realms/demo/keys/rotate`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(rotated.status, 200, await rotated.clone().text());
    const kids = new Set(((await rotated.json()) as { added: Array<{ kid: string }> }).added.map((k) => k.kid));
    assert.ok(kids.size > 0);
    // Every node publishes the new keys within its key cache time (shorter than the activation delay),
    // and they sign once the activation delay has passed.
    for (let i = 0; i < 3; i++) {
      let jwks = '';
      for (let t = 0; t < 150 && ![...kids].every((kid) => jwks.includes(kid)); t++) {
        if (t > 0) await pause(100);
        jwks = JSON.stringify(await (await fetch(`${node(i)}/realms/demo/protocol/openid-connect/certs`)).json());
      }
      for (const kid of kids) assert.ok(jwks.includes(kid), `node ${i} publishes ${kid}`);
    }
    let signedWithNew: string | null = null;
    for (let t = 0; t < 60 && !signedWithNew; t++) {
      const tok = (await postFormTo(token(t), { grant_type: 'password', username: 'chris', password: DEMO.password, scope: 'openid' }, client)).json.access_token as string;
      if (kids.has(JSON.parse(Buffer.from(tok.split('.')[0]!, 'base64url').toString()).kid)) signedWithNew = tok;
      else await pause(500);
    }
    assert.ok(signedWithNew, 'tokens are signed with a rotated key after the activation delay');
    for (let i = 0; i < 3; i++) {
      const userinfo = await fetch(`${node(i)}/realms/demo/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${signedWithNew}` } });
      assert.equal(userinfo.status, 200, `node ${i} accepts it`);
    }
  });

  it('delivers each webhook once although every node runs the delivery worker', async () => {
    const p = await pat(0);
    const signedIn = await fetch(`${node(2)}/json/realms/root/realms/demo/authenticate`, { method: 'POST', headers: { 'x-openam-username': 'alice', 'x-openam-password': DEMO.password } });
    const session = ((await signedIn.json()) as { tokenId: string }).tokenId;
    const shares = 9;
    for (let i = 0; i < shares; i++) {
      const created = await fetch(`${node(i)}/realms/demo/authz/protection/resource_set`, { method: 'POST', headers: { authorization: `Bearer ${p}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: `Album ${i}`, resource_scopes: ['view'] }) });
      const { _id } = (await created.json()) as { _id: string };
      const put = await fetch(`${node(i + 1)}/json/realms/root/realms/demo/users/alice/uma/policies/${_id}`, {
        method: 'PUT',
        headers: { iplanetdirectorypro: session, 'accept-api-version': 'resource=1.0', 'content-type': 'application/json' },
        body: JSON.stringify({ policyId: _id, permissions: [{ subject: 'bob', scopes: ['view'] }] }),
      });
      assert.equal(put.status, 201, await put.text());
    }
    for (let t = 0; t < 100 && new Set(deliveries).size < shares; t++) await pause(100);
    assert.equal(new Set(deliveries).size, shares, 'every share.granted was delivered');
    await pause(500);
    assert.equal(deliveries.length, shares, `no delivery twice: ${deliveries.length} receipts for ${shares} deliveries`);
  });

  it('purges on all nodes at once without an error', async () => {
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const past = Math.floor(Date.now() / 1000) - 3600;
      for (let i = 0; i < 50; i++) {
        await admin.query(`insert into tickets (realm, hash, owner, resource_server, permissions, claims, created_at, expires_at) values ('demo', $1, 'x', 'photoz-rs', '[]', '{}', $2, $2)`, [`expired-${i}`, past]);
      }
      await admin.query(`insert into rate_counters (key, window_start, hits, expires_at) values ('ip:sign-in:192.0.2.1', $1, 3, $1)`, [past]);
      let left = 51;
      for (let t = 0; t < 50 && left > 0; t++) {
        await pause(200);
        const tickets = await admin.query(`select count(*)::int as n from tickets where hash like 'expired-%'`);
        const counters = await admin.query(`select count(*)::int as n from rate_counters where expires_at = $1`, [past]);
        left = tickets.rows[0].n + counters.rows[0].n;
      }
      assert.equal(left, 0, 'the expired rows are gone');
    } finally {
      await admin.end();
    }
    for (const n of nodes) assert.doesNotMatch(n.output(), /purge failed|"level":50/, n.output().slice(-2000));
  });
});
