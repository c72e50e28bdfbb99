/**
 * Three `steward serve` processes on one database, on each store: one SQLite file, one PostgreSQL
 * database. Each process caches what it reads on every request (clients, users, token records,
 * resources, policies) until the database may have changed (SQLite's data_version; PostgreSQL's
 * cluster-wide store version); a change made through one process must be seen by the next request on
 * every other, and a ticket is redeemed once whichever processes race for it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { dialects, freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { DEMO } from '../helpers/http.ts';
import { freePort } from '../helpers/steward.ts';
import { basicAuth, postFormTo, startNodes, type ServeProcess } from '../operations/fixture.ts';

const UMA = 'urn:ietf:params:oauth:grant-type:uma-ticket';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
const ADMIN_TOKEN = 'cached-reads-admin-token-0123456789abcdef';

for (const dialect of dialects) {
  describe(`three processes on one ${dialect === 'sqlite' ? 'SQLite file' : 'PostgreSQL database'}: cached reads`, () => {
    const nodes: ServeProcess[] = [];
    let db: { url: string; drop(): Promise<void> };

    before(async () => {
      db = await freshDatabaseUrl(dialect);
      const ports = [await freePort(), await freePort(), await freePort()];
      const env = {
        STEWARD_DATABASE_URL: db.url,
        STEWARD_BASE_URL: `http://127.0.0.1:${ports[0]}`,
        STEWARD_ADMIN_TOKEN_SHA256: createHash('sha256').update(ADMIN_TOKEN).digest('hex'),
      };
      nodes.push(...(await startNodes(env, ports)));
    });

    after(async () => {
      const codes = await Promise.all(nodes.map((n) => n.stop()));
      await db?.drop();
      assert.deepEqual(codes, nodes.map(() => 0), 'every process stops cleanly');
    });

    const node = (i: number) => nodes[i % nodes.length]!.url;
    const token = (i: number) => `${node(i)}${DEMO.token}`;
    const rs = { authorization: basicAuth(DEMO.rs.id, DEMO.rs.secret) };
    const client = { authorization: basicAuth(DEMO.client.id, DEMO.client.secret) };
    const pat = async (user: string) => (await postFormTo(token(0), { grant_type: 'password', username: user, password: DEMO.password, scope: 'uma_protection' }, rs)).json.access_token as string;
    const idToken = async (user: string) => (await postFormTo(token(0), { grant_type: 'password', username: user, password: DEMO.password, scope: 'openid' }, client)).json.id_token as string;
    const json = (method: string, url: string, headers: Record<string, string>, body?: unknown) =>
      fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const register = async (p: string, name: string) => ((await (await json('POST', `${node(1)}${DEMO.resourceSet}`, { authorization: `Bearer ${p}` }, { name, resource_scopes: ['view', 'print'] })).json()) as { _id: string })._id;
    const ticket = async (i: number, p: string, id: string, scopes: string[]) => ((await (await json('POST', `${node(i)}${DEMO.permission}`, { authorization: `Bearer ${p}` }, { resource_id: id, resource_scopes: scopes })).json()) as { ticket: string }).ticket;
    const grant = (i: number, t: string, claim: string) => postFormTo(token(i), { grant_type: UMA, ticket: t, claim_token: claim, claim_token_format: ID_TOKEN }, client);
    const introspect = async (i: number, p: string, rpt: string) => (await postFormTo(`${token(i)}/introspect`, { token: rpt }, { authorization: `Bearer ${p}` })).json.active as boolean;
    const ownerSession = async (user: string) =>
      ((await (await fetch(`${node(0)}/json/realms/root/realms/demo/authenticate`, { method: 'POST', headers: { 'x-openam-username': user, 'x-openam-password': DEMO.password } })).json()) as { tokenId: string }).tokenId;
    const share = async (i: number, owner: string, id: string, permissions: unknown[], create: boolean) => {
      const res = await json('PUT', `${node(i)}/json/realms/root/realms/demo/users/${owner}/uma/policies/${id}`, { iPlanetDirectoryPro: await ownerSession(owner), ...(create ? { 'if-none-match': '*' } : {}) }, { policyId: id, permissions });
      assert.ok(res.status === 200 || res.status === 201, await res.text());
    };

    it('redeems a ticket exactly once across the three processes', async () => {
      const p = await pat('alice');
      const id = await register(p, 'Ledger');
      await share(0, 'alice', id, [{ subject: 'bob', scopes: ['view'] }], true);
      const t = await ticket(2, p, id, ['view']);
      const claim = await idToken('bob');
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => grant(i, t, claim)));
      assert.equal(results.filter((r) => r.status === 200).length, 1, JSON.stringify(results.map((r) => r.status)));
      assert.ok(results.filter((r) => r.status !== 200).every((r) => r.status === 400 && r.json.error === 'invalid_grant'));
    });

    it('a revocation through one process is seen by the next introspection on every other', async () => {
      const p = await pat('alice');
      const id = await register(p, 'Journal');
      await share(0, 'alice', id, [{ subject: 'bob', scopes: ['view'] }], true);
      const rpt = (await grant(1, await ticket(1, p, id, ['view']), await idToken('bob'))).json.access_token as string;
      // Read on every process, twice: whatever they cache, they hold the record now.
      for (let i = 0; i < 6; i++) assert.equal(await introspect(i, p, rpt), true, `active on process ${i % 3}`);
      const revoked = await postFormTo(`${node(0)}${DEMO.revoke}`, { token: rpt }, client);
      assert.equal(revoked.status, 200, revoked.text);
      for (let i = 0; i < 3; i++) assert.equal(await introspect(i, p, rpt), false, `inactive on process ${i} right after the revocation`);
    });

    it('a narrowed share on one process decides the next grant on every other', async () => {
      const p = await pat('alice');
      const id = await register(p, 'Album');
      await share(0, 'alice', id, [{ subject: 'bob', scopes: ['view', 'print'] }], true);
      const claim = await idToken('bob');
      for (let i = 1; i < 3; i++) assert.equal((await grant(i, await ticket(i, p, id, ['print']), claim)).status, 200, `print granted on process ${i}`);
      await share(0, 'alice', id, [{ subject: 'bob', scopes: ['view'] }], false);
      for (let i = 1; i < 3; i++) {
        const refused = await grant(i, await ticket(i, p, id, ['print']), claim);
        assert.equal(refused.status, 403, `print refused on process ${i}: ${refused.text}`);
      }
    });

    it('a user disabled through one process stops his PAT on every other at once', async () => {
      const p = await pat('dave');
      const id = await register(p, 'Notes');
      for (let i = 0; i < 6; i++) assert.ok(await ticket(i, p, id, ['view']), `a ticket from process ${i % 3}`);
      const dave = ((await (await fetch(`${node(0)}/admin/realms/demo/users?username=dave`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as Array<{ id: string; username: string }>).find((u) => u.username === 'dave')!;
      const disabled = await fetch(`${node(2)}/admin/realms/demo/users/${dave.id}/disable`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.equal(disabled.status, 200, await disabled.clone().text());
      for (let i = 0; i < 3; i++) {
        const res = await json('POST', `${node(i)}${DEMO.permission}`, { authorization: `Bearer ${p}` }, { resource_id: id, resource_scopes: ['view'] });
        assert.equal(res.status, 401, `refused on process ${i}`);
      }
    });
  });
}
