/**
 * Two `steward serve` processes on one database, on each store (one SQLite file, one PostgreSQL
 * database): a resource server subscribed to the revocation event stream on one node hears of an RPT
 * revoked on the other within a second, because every revocation goes to the revocation log in its own
 * commit and each node follows the log while it has subscribers. The nodes stop cleanly with the stream
 * still open.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects, freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { DEMO } from '../helpers/http.ts';
import { freePort } from '../helpers/steward.ts';
import { basicAuth, postFormTo, startNodes, type ServeProcess } from '../operations/fixture.ts';
import { SseStream } from './sse.ts';
import { jtiOf } from './world.ts';

const UMA = 'urn:ietf:params:oauth:grant-type:uma-ticket';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';

for (const dialect of dialects) {
  describe(`revocation events across two processes on one ${dialect === 'sqlite' ? 'SQLite file' : 'PostgreSQL database'}`, () => {
    const nodes: ServeProcess[] = [];
    let db: { url: string; drop(): Promise<void> };
    let stream: SseStream | undefined;

    before(async () => {
      db = await freshDatabaseUrl(dialect);
      const ports = [await freePort(), await freePort()];
      nodes.push(...(await startNodes({ STEWARD_DATABASE_URL: db.url, STEWARD_BASE_URL: `http://127.0.0.1:${ports[0]}`, STEWARD_EVENTS_POLL_MS: '200' }, ports)));
    });

    after(async () => {
      const codes = await Promise.all(nodes.map((n) => n.stop()));
      stream?.close();
      await db?.drop();
      assert.deepEqual(codes, nodes.map(() => 0), `every process stops cleanly with a stream open: ${nodes.map((n) => n.output()).join('\n')}`);
    });

    const base = (i: number) => `${nodes[i]!.url}/realms/demo`;
    const token = (i: number) => `${base(i)}/protocol/openid-connect/token`;
    const rs = { authorization: basicAuth(DEMO.rs.id, DEMO.rs.secret) };
    const client = { authorization: basicAuth(DEMO.client.id, DEMO.client.secret) };
    const json = async (url: string, init: { method: string; headers: Record<string, string>; body?: unknown }) => {
      const res = await fetch(url, { method: init.method, headers: { 'content-type': 'application/json', ...init.headers }, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
      return { status: res.status, json: (await res.json()) as any };
    };

    it('an RPT revoked on one node reaches the stream opened on the other within a second', async () => {
      const rsPat = (await postFormTo(token(0), { grant_type: 'client_credentials', scope: 'uma_protection' }, rs)).json.access_token as string;
      stream = await SseStream.open(`${base(0)}/authz/protection/events`, { authorization: `Bearer ${rsPat}` });
      assert.equal(stream.status, 200);
      await stream.next('caught-up');

      // Everything else happens on the other node.
      const alicePat = (await postFormTo(token(1), { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }, rs)).json.access_token as string;
      const created = await json(`${base(1)}/authz/protection/resource_set`, { method: 'POST', headers: { authorization: `Bearer ${alicePat}` }, body: { name: 'Ledger', resource_scopes: ['view'] } });
      assert.equal(created.status, 201);
      const auth = await json(`${nodes[1]!.url}/json/realms/root/realms/demo/authenticate`, { method: 'POST', headers: { 'x-openam-username': 'alice', 'x-openam-password': DEMO.password } });
      const shared = await json(`${nodes[1]!.url}/json/realms/root/realms/demo/users/alice/uma/policies/${created.json._id}`, {
        method: 'PUT',
        headers: { iplanetdirectorypro: auth.json.tokenId, 'if-none-match': '*' },
        body: { policyId: created.json._id, permissions: [{ subject: 'bob', scopes: ['view'] }] },
      });
      assert.equal(shared.status, 201);
      const ticket = await json(`${base(1)}/authz/protection/permission`, { method: 'POST', headers: { authorization: `Bearer ${alicePat}` }, body: { resource_id: created.json._id, resource_scopes: ['view'] } });
      const idToken = (await postFormTo(token(1), { grant_type: 'password', username: 'bob', password: DEMO.password, scope: 'openid' }, client)).json.id_token as string;
      const rpt = (await postFormTo(token(1), { grant_type: UMA, ticket: ticket.json.ticket, claim_token: idToken, claim_token_format: ID_TOKEN }, client)).json.access_token as string;
      assert.ok(rpt);

      const revoked = await postFormTo(`${base(1)}/protocol/openid-connect/revoke`, { token: rpt }, client);
      assert.equal(revoked.status, 200);
      const event = await stream.next('revocation', 0, 1000);
      const claims = JSON.parse(Buffer.from(event.data.split('.')[1]!, 'base64url').toString());
      assert.equal(claims.sub_id.id, jtiOf(rpt));
      assert.equal(claims.aud, DEMO.rs.id);
    });
  });
}
