/**
 * Readiness, request ids and Prometheus metrics, on both stores: readiness names the check that fails
 * (migrations, signing keys); `X-Request-Id` is echoed or made; `/metrics` counts requests by route
 * pattern (never the URL), token outcomes by grant type and error code, tickets and RPTs; access is
 * open, by bearer token, or off.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { dialects } from '../../packages/store/test/databases.ts';
import { connect } from '../../packages/store/src/connect.ts';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import { startConfigured, type ConfiguredSteward } from './fixture.ts';

const UMA = 'urn:ietf:params:oauth:grant-type:uma-ticket';

/** The value of one sample line `name{labels} value` (labels in any order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

for (const dialect of dialects) {
  describe(`health and metrics (${dialect})`, () => {
    let steward: ConfiguredSteward;

    before(async () => {
      steward = await startConfigured(dialect);
    });
    after(() => steward?.close());

    it('echoes a well-formed X-Request-Id and makes one otherwise, on answers and errors alike', async () => {
      const given = await request(steward.app, 'GET', '/health/live', { headers: { 'x-request-id': 'trace-42.a_b' } });
      assert.equal(given.headers['x-request-id'], 'trace-42.a_b');
      const error = await request(steward.app, 'GET', '/no/such/route', { headers: { 'x-request-id': 'trace-43' } });
      assert.equal(error.status, 404);
      assert.equal(error.headers['x-request-id'], 'trace-43');
      const hostile = await request(steward.app, 'GET', '/health/live', { headers: { 'x-request-id': 'a b<script>' } });
      const made = hostile.headers['x-request-id'];
      assert.ok(typeof made === 'string' && /^[\w.-]+$/.test(made) && made !== 'a b<script>', String(made));
      const other = (await request(steward.app, 'GET', '/health/live')).headers['x-request-id'];
      assert.notEqual(other, made, 'made ids differ');
    });

    it('counts requests by route pattern and status, token outcomes, tickets and RPTs', async () => {
      const pat = (await postForm(steward.app, DEMO.token, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) })).json.access_token;
      const wrong = await postForm(steward.app, DEMO.token, { grant_type: 'password', username: 'alice', password: 'wrong' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.equal(wrong.status, 400);
      await postForm(steward.app, DEMO.token, { grant_type: 'no-such-grant' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      const created = await request(steward.app, 'POST', DEMO.resourceSet, { body: { name: 'Album', resource_scopes: ['view'] }, headers: { authorization: bearer(pat) } });
      assert.equal(created.status, 201);
      for (let i = 0; i < 3; i++) await request(steward.app, 'GET', `${DEMO.resourceSet}/unknown-${i}`, { headers: { authorization: bearer(pat) } });
      const ticket = (await request(steward.app, 'POST', DEMO.permission, { body: [{ resource_id: created.json._id, resource_scopes: ['view'] }], headers: { authorization: bearer(pat) } })).json.ticket;
      const idToken = (await postForm(steward.app, DEMO.token, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'openid' }, { authorization: basic(DEMO.client.id, DEMO.client.secret) })).json.id_token;
      const rpt = await postForm(steward.app, DEMO.token, { grant_type: UMA, ticket, claim_token: idToken, claim_token_format: 'urn:ietf:params:oauth:token-type:id_token' }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
      assert.equal(rpt.status, 200, rpt.body);
      const replay = await postForm(steward.app, DEMO.token, { grant_type: UMA, ticket }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
      assert.equal(replay.json.error, 'invalid_grant');
      await request(steward.app, 'POST', '/json/realms/root/realms/demo/authenticate', { headers: { 'x-openam-username': 'bob', 'x-openam-password': DEMO.password } });

      const res = await request(steward.app, 'GET', '/metrics');
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      const text = res.body;
      const T = '/realms/:realm/protocol/openid-connect/token';
      assert.equal(sample(text, 'steward_http_request_duration_seconds_count', { route: T, method: 'POST', status: '200' }), 3);
      assert.equal(sample(text, 'steward_http_request_duration_seconds_count', { route: T, method: 'POST', status: '400' }), 3);
      assert.equal(sample(text, 'steward_http_request_duration_seconds_count', { route: '/realms/:realm/authz/protection/resource_set/:id', method: 'GET', status: '404' }), 3);
      assert.ok(!text.includes('unknown-0'), 'URLs never become labels');
      assert.equal(sample(text, 'steward_token_requests_total', { grant_type: 'password', outcome: 'success' }), 2);
      assert.equal(sample(text, 'steward_token_requests_total', { grant_type: 'password', outcome: 'invalid_grant' }), 1);
      assert.equal(sample(text, 'steward_token_requests_total', { grant_type: 'unsupported', outcome: 'unsupported_grant_type' }), 1);
      assert.equal(sample(text, 'steward_token_requests_total', { grant_type: UMA, outcome: 'success' }), 1);
      assert.equal(sample(text, 'steward_token_requests_total', { grant_type: UMA, outcome: 'invalid_grant' }), 1);
      assert.equal(sample(text, 'steward_tickets_issued_total'), 1);
      assert.equal(sample(text, 'steward_tickets_redeemed_total'), 1);
      assert.equal(sample(text, 'steward_rpts_issued_total'), 1);
      assert.equal(sample(text, 'steward_active_sessions'), 1);
      assert.equal(sample(text, 'steward_outbox_backlog') !== undefined, true);
      assert.ok((sample(text, 'process_cpu_seconds_total') ?? 0) > 0);
      assert.ok((sample(text, 'process_resident_memory_bytes') ?? 0) > 0);
      if (dialect === 'postgres') assert.ok((sample(text, 'steward_db_pool_connections', { state: 'max' }) ?? 0) > 0);
      else assert.equal(sample(text, 'steward_db_pool_connections', { state: 'max' }), undefined);
      assert.ok(!text.includes(DEMO.password) && !text.includes(pat), 'no secret in the metrics');
    });

    it('is ready, and says which check fails: a pending migration, a missing signing key', async () => {
      assert.deepEqual((await request(steward.app, 'GET', '/health/ready')).json, { status: 'UP' });
      const { db } = connect(steward.databaseUrl, { poolSize: 1 });
      try {
        const last = await sql<{ name: string }>`select name from steward_migration order by name desc limit 1`.execute(db);
        const name = last.rows[0]!.name;
        await sql`delete from steward_migration where name = ${name}`.execute(db);
        const pending = await request(steward.app, 'GET', '/health/ready');
        assert.equal(pending.status, 503);
        assert.deepEqual(pending.json, { status: 'DOWN', checks: [{ name: 'database', status: 'UP' }, { name: 'migrations', status: 'DOWN' }, { name: 'signing-keys', status: 'UP' }] });
        await sql`insert into steward_migration (name, timestamp) values (${name}, ${new Date().toISOString()})`.execute(db);
        assert.equal((await request(steward.app, 'GET', '/health/ready')).status, 200);

        await sql`insert into realms (id, display_name, settings, created_at) select 'keyless', 'Keyless', settings, created_at from realms where id = 'demo'`.execute(db);
        const keyless = await request(steward.app, 'GET', '/health/ready');
        assert.equal(keyless.status, 503);
        assert.deepEqual(keyless.json.checks.find((c: { name: string }) => c.name === 'signing-keys'), { name: 'signing-keys', status: 'DOWN' });
        await sql`delete from realms where id = 'keyless'`.execute(db);
        assert.equal((await request(steward.app, 'GET', '/health/ready')).status, 200);
      } finally {
        await db.destroy();
      }
    });
  });
}

describe('metrics access', () => {
  const dialect = dialects[0]!;
  const token = 'metrics-scraper-token-0123456789';
  let guarded: ConfiguredSteward;
  let off: ConfiguredSteward;

  before(async () => {
    guarded = await startConfigured(dialect, { metrics: 'token', metricsTokenSha256: createHash('sha256').update(token).digest('hex') });
    off = await startConfigured(dialect, { metrics: 'off' });
  });
  after(async () => {
    await guarded?.close();
    await off?.close();
  });

  it('token: 401 with a Bearer challenge without the token or with a wrong one, 200 with it', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: bearer('wrong') }, { authorization: basic('metrics', token) }, { authorization: bearer(`${token}x`) }];
    for (const headers of attempts) {
      const res = await request(guarded.app, 'GET', '/metrics', { headers });
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.equal(res.json.error, 'invalid_token');
      assert.match(String(res.headers['www-authenticate']), /^Bearer /);
    }
    const ok = await request(guarded.app, 'GET', '/metrics', { headers: { authorization: bearer(token) } });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /steward_http_request_duration_seconds/);
  });

  it('off: 404 as for any unknown route', async () => {
    const res = await request(off.app, 'GET', '/metrics');
    assert.equal(res.status, 404);
    assert.equal(res.json.error, 'not_found');
  });
});
