/**
 * A full run of a real `steward serve` at log level debug: sign-in, every token grant, the UMA grant,
 * introspection, refresh, revocation, userinfo, the owner APIs, the admin API, metrics with a token, a
 * lockout, behind a trusted proxy. Every secret, password and token used or received is collected,
 * and the captured logs must contain none of them, while they do carry request ids and client addresses.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { DEMO } from '../helpers/http.ts';
import { basicAuth, postFormTo, spawnServe, waitReady } from '../operations/fixture.ts';

const UMA = 'urn:ietf:params:oauth:grant-type:uma-ticket';
const ADMIN_TOKEN = 'full-run-admin-token-4f1c2a9e8b7d6c5b';
const METRICS_TOKEN = 'full-run-metrics-token-9a8b7c6d5e4f3a2b';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('logs of a full run', () => {
  it('carry request ids and client addresses, and none of the secrets, passwords or tokens used', async () => {
    const db = await freshDatabaseUrl('sqlite');
    const node = await spawnServe({
      STEWARD_DATABASE_URL: db.url,
      STEWARD_LOG_LEVEL: 'debug',
      STEWARD_TRUST_PROXY: '127.0.0.1',
      STEWARD_ADMIN_TOKEN_SHA256: sha256(ADMIN_TOKEN),
      STEWARD_METRICS: 'token',
      STEWARD_METRICS_TOKEN_SHA256: sha256(METRICS_TOKEN),
      STEWARD_LOCKOUT_THRESHOLD: '2',
    });
    const secrets = new Set<string>([DEMO.password, DEMO.rs.secret, DEMO.client.secret, ADMIN_TOKEN, METRICS_TOKEN]);
    const keep = (...values: unknown[]) => {
      for (const v of values) if (typeof v === 'string' && v.length >= 8) secrets.add(v);
    };
    try {
      await waitReady(node);
      const base = node.url;
      const T = `${base}${DEMO.token}`;
      const hdr = (extra: Record<string, string> = {}) => ({ 'x-request-id': 'full-run', 'x-forwarded-for': '203.0.113.77', ...extra });
      const rs = hdr({ authorization: basicAuth(DEMO.rs.id, DEMO.rs.secret) });
      const client = hdr({ authorization: basicAuth(DEMO.client.id, DEMO.client.secret) });
      const json = (method: string, url: string, headers: Record<string, string>, body?: unknown) =>
        fetch(`${base}${url}`, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

      // Token grants.
      const user = await postFormTo(T, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'openid' }, client);
      assert.equal(user.status, 200, user.text);
      keep(user.json.access_token, user.json.refresh_token, user.json.id_token);
      const posted = await postFormTo(T, { grant_type: 'client_credentials', client_id: DEMO.rs.id, client_secret: DEMO.rs.secret }, hdr());
      keep(posted.json.access_token);
      const pat = (await postFormTo(T, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }, rs)).json.access_token;
      keep(pat);
      // Protection API and the UMA grant.
      const created = (await (await json('POST', DEMO.resourceSet, hdr({ authorization: `Bearer ${pat}` }), { name: 'Diary', resource_scopes: ['view'] })).json()) as { _id: string };
      const ticket = ((await (await json('POST', DEMO.permission, hdr({ authorization: `Bearer ${pat}` }), { resource_id: created._id, resource_scopes: ['view'] })).json()) as { ticket: string }).ticket;
      keep(ticket);
      const rpt = await postFormTo(T, { grant_type: UMA, ticket, claim_token: user.json.id_token, claim_token_format: 'urn:ietf:params:oauth:token-type:id_token' }, client);
      assert.equal(rpt.status, 200, rpt.text);
      keep(rpt.json.access_token, rpt.json.refresh_token, rpt.json.pct);
      const denied = await postFormTo(T, { grant_type: UMA, ticket }, client);
      keep(denied.json?.ticket);
      await postFormTo(`${T}/introspect`, { token: rpt.json.access_token }, hdr({ authorization: `Bearer ${pat}` }));
      await postFormTo(`${T}/introspect`, { token: rpt.json.access_token, client_id: DEMO.rs.id, client_secret: DEMO.rs.secret }, hdr());
      // Refresh, userinfo, revocation.
      const refreshed = await postFormTo(T, { grant_type: 'refresh_token', refresh_token: user.json.refresh_token }, client);
      keep(refreshed.json.access_token, refreshed.json.refresh_token, refreshed.json.id_token);
      await fetch(`${base}${DEMO.userinfo}`, { headers: hdr({ authorization: `Bearer ${refreshed.json.access_token}` }) });
      await postFormTo(`${base}${DEMO.revoke}`, { token: refreshed.json.refresh_token }, client);
      await postFormTo(T, { grant_type: 'refresh_token', refresh_token: user.json.refresh_token }, client);
      // Browser endpoints with secrets in the query.
      await fetch(`${base}/realms/demo/protocol/openid-connect/logout?id_token_hint=${user.json.id_token}&state=s`, { headers: hdr() });
      await fetch(`${base}/realms/demo/protocol/openid-connect/auth?client_id=photoz-client&response_type=code&code_challenge=secret-challenge-value-0123456789&code_challenge_method=S256&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb`, { headers: hdr() });
      keep('secret-challenge-value-0123456789');
      // Owner APIs.
      const signedIn = await fetch(`${base}/json/realms/root/realms/demo/authenticate`, { method: 'POST', headers: hdr({ 'x-openam-username': 'alice', 'x-openam-password': DEMO.password }) });
      const session = ((await signedIn.json()) as { tokenId: string }).tokenId;
      keep(session);
      const ownerHeaders = hdr({ iplanetdirectorypro: session, 'accept-api-version': 'resource=1.0' });
      assert.equal((await json('PUT', `/json/realms/root/realms/demo/users/alice/uma/policies/${created._id}`, ownerHeaders, { policyId: created._id, permissions: [{ subject: 'bob', scopes: ['view'] }] })).status, 201);
      await fetch(`${base}/json/realms/root/realms/demo/users/alice/uma/policies?_queryFilter=true`, { headers: ownerHeaders });
      await fetch(`${base}/json/realms/root/realms/demo/users/alice/uma/policies?_queryFilter=true`, { headers: hdr({ cookie: `iPlanetDirectoryPro=${session}`, 'accept-api-version': 'resource=1.0' }) });
      await fetch(`${base}/json/realms/root/realms/demo/sessions?_action=logout`, { method: 'POST', headers: ownerHeaders });
      // Lockout, admin API, metrics.
      for (let i = 0; i < 3; i++) await fetch(`${base}/json/realms/root/realms/demo/authenticate`, { method: 'POST', headers: hdr({ 'x-openam-username': 'bob', 'x-openam-password': `Wr0ng-password-${i}` }) });
      for (let i = 0; i < 3; i++) keep(`Wr0ng-password-${i}`);
      await postFormTo(T, { grant_type: 'password', username: 'bob', password: DEMO.password }, client);
      await fetch(`${base}/admin/realms/demo/keys`, { headers: hdr({ authorization: `Bearer ${ADMIN_TOKEN}` }) });
      await fetch(`${base}/admin/realms/demo/keys`, { headers: hdr({ authorization: `Bearer ${ADMIN_TOKEN}-wrong` }) });
      await fetch(`${base}/metrics`, { headers: hdr({ authorization: `Bearer ${METRICS_TOKEN}` }) });
      await fetch(`${base}/metrics`, { headers: hdr({ authorization: `Bearer ${METRICS_TOKEN}-wrong` }) });
      await postFormTo(T, { grant_type: 'client_credentials' }, hdr({ authorization: basicAuth(DEMO.rs.id, `${DEMO.rs.secret}-wrong`) }));
    } finally {
      assert.equal(await node.stop(), 0);
      await db.drop();
    }
    const output = node.output();
    assert.match(output, /"reqId":"full-run"/, 'the caller\'s request id is on the log lines');
    assert.match(output, /"ip":"203\.0\.113\.77"/, 'the client address behind the trusted proxy is logged');
    assert.ok(secrets.size >= 20, `collected ${secrets.size} secrets`);
    const leaked = [...secrets].filter((s) => output.includes(s));
    assert.deepEqual(leaked.map((s) => `${s.slice(0, 12)}…`), [], 'secrets in the logs');
    assert.ok(!output.includes('eyJ'), 'no JWT (or part of one) in the logs');
  });
});
