/**
 * Request rate limits on both stores: per client address on sign-in and on the token endpoint, per
 * authenticated client on the token endpoint, 429 with Retry-After in each API's error shape, new
 * windows, and one limit shared by two Stewards on one database.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { dialects, freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { TestClock } from '../helpers/steward.ts';
import { basic, DEMO, toReply, type Reply } from '../helpers/http.ts';
import { startConfigured, type ConfiguredSteward } from '../operations/fixture.ts';

const AUTHENTICATE = '/json/realms/root/realms/demo/authenticate';

async function send(app: FastifyInstance, url: string, ip: string, headers: Record<string, string>, form?: Record<string, string>): Promise<Reply> {
  const res = await app.inject({
    method: 'POST',
    url,
    remoteAddress: ip,
    headers: form ? { 'content-type': 'application/x-www-form-urlencoded', ...headers } : headers,
    ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
  });
  return toReply(res);
}

const signIn = (app: FastifyInstance, ip: string, password: string = DEMO.password) => send(app, AUTHENTICATE, ip, { 'x-openam-username': 'bob', 'x-openam-password': password });
/** A token request of a client: client_credentials for the resource server, the password grant for the other client. */
const clientCredentials = (app: FastifyInstance, ip: string, client: { id: string; secret: string } = DEMO.rs) =>
  send(app, DEMO.token, ip, { authorization: basic(client.id, client.secret) }, client.id === DEMO.rs.id ? { grant_type: 'client_credentials' } : { grant_type: 'password', username: 'bob', password: DEMO.password });

for (const dialect of dialects) {
  describe(`rate limits (${dialect})`, () => {
    let steward: ConfiguredSteward;
    const clock = new TestClock();

    before(async () => {
      steward = await startConfigured(dialect, { rateLimitWindow: 60, rateLimitLoginPerIp: 3, rateLimitTokenPerIp: 4, rateLimitTokenPerClient: 2, lockoutThreshold: 0 }, { clock });
    });
    after(() => steward?.close());

    it('limits sign-in per client address with a CREST 429 and Retry-After until the window ends', async () => {
      const ip = '192.0.2.10';
      assert.equal((await signIn(steward.app, ip)).status, 200);
      assert.equal((await signIn(steward.app, ip, 'wrong')).status, 401, 'failed attempts count too');
      assert.equal((await signIn(steward.app, ip)).status, 200);
      const refused = await signIn(steward.app, ip);
      assert.equal(refused.status, 429, refused.body);
      assert.deepEqual(refused.json, { code: 429, reason: 'Too Many Requests', message: 'Too many requests; try again later' });
      const retryAfter = Number(refused.headers['retry-after']);
      assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
      assert.equal((await signIn(steward.app, '192.0.2.11')).status, 200, 'another address has its own count');
      clock.advance(retryAfter);
      assert.equal((await signIn(steward.app, ip)).status, 200, 'a new window starts again');
    });

    it('counts the login page\'s form toward the sign-in limit and answers it with a 429 page', async () => {
      clock.advance(60);
      const ip = '192.0.2.20';
      const form = { client_id: DEMO.rs.id, response_type: 'code', redirect_uri: 'http://127.0.0.1:3000/callback' };
      for (let i = 0; i < 3; i++) assert.notEqual((await send(steward.app, '/realms/demo/protocol/openid-connect/auth', ip, {}, form)).status, 429);
      const page = await send(steward.app, '/realms/demo/protocol/openid-connect/auth', ip, {}, form);
      assert.equal(page.status, 429);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.ok(Number(page.headers['retry-after']) >= 1);
      assert.equal((await signIn(steward.app, ip)).status, 429, 'the owner API shares the count');
    });

    it('limits the token endpoint per authenticated client, whatever the address, with an OAuth 429', async () => {
      clock.advance(60);
      assert.equal((await clientCredentials(steward.app, '198.51.100.1')).status, 200);
      assert.equal((await clientCredentials(steward.app, '198.51.100.2')).status, 200);
      const refused = await clientCredentials(steward.app, '198.51.100.3');
      assert.equal(refused.status, 429, refused.body);
      assert.deepEqual(refused.json, { error: 'too_many_requests', error_description: 'Too many requests; try again later' });
      assert.ok(Number(refused.headers['retry-after']) >= 1);
      assert.equal((await clientCredentials(steward.app, '198.51.100.4', DEMO.client)).status, 200, 'another client has its own count');
      const wrong = await clientCredentials(steward.app, '198.51.100.5', { id: DEMO.client.id, secret: 'not-the-secret' });
      assert.equal(wrong.status, 401, 'failed client authentication is not counted against the client');
      assert.equal((await clientCredentials(steward.app, '198.51.100.6', DEMO.client)).status, 200);
    });

    it('limits the token endpoint per client address before reading credentials', async () => {
      clock.advance(60);
      const ip = '203.0.113.7';
      for (let i = 0; i < 4; i++) {
        const res = await send(steward.app, DEMO.token, ip, {}, { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' });
        assert.equal(res.status, 401);
      }
      const refused = await send(steward.app, DEMO.token, ip, {}, { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' });
      assert.equal(refused.status, 429);
      assert.equal(refused.json.error, 'too_many_requests');
    });
  });
}

describe('one limit shared by two Stewards on one PostgreSQL database', { skip: !dialects.includes('postgres') }, () => {
  let db: { url: string; drop(): Promise<void> };
  let a: ConfiguredSteward;
  let b: ConfiguredSteward;

  before(async () => {
    db = await freshDatabaseUrl('postgres');
    // The ceiling per user name across addresses as low as the count per address: failures from
    // three addresses lock the name at a fourth.
    const limits = { rateLimitLoginPerIp: 4, lockoutThreshold: 3, lockoutUserThreshold: 3 };
    a = await startConfigured('postgres', limits, { databaseUrl: db.url });
    b = await startConfigured('postgres', limits, { databaseUrl: db.url });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('counts requests spread over both nodes in one window', async () => {
    const ip = '192.0.2.99';
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn(i % 2 ? a.app : b.app, ip)).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
  });

  it('locks a name out on both nodes after failures spread over them', async () => {
    const fail = (app: FastifyInstance, ip: string) => send(app, AUTHENTICATE, ip, { 'x-openam-username': 'chris', 'x-openam-password': 'wrong' });
    assert.equal((await fail(a.app, '192.0.2.1')).status, 401);
    assert.equal((await fail(b.app, '192.0.2.2')).status, 401);
    assert.equal((await fail(a.app, '192.0.2.3')).status, 401);
    for (const app of [a.app, b.app]) {
      const res = await send(app, AUTHENTICATE, '192.0.2.4', { 'x-openam-username': 'chris', 'x-openam-password': DEMO.password });
      assert.equal(res.status, 429, res.body);
    }
  });
});
