/**
 * Admin API clients: create (secret shown once, stored as SHA-256), list, get, update (checked as at
 * creation, exact redirect URIs), secret rotation (the replaced secret works until its grace ends, on a
 * fake clock), disable (authentication and tokens stop at once), enable, delete (refused while it
 * registered resources), bad input; both stores.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';
import { admin, startAdminSteward } from './fixture.ts';

const CLIENTS = '/admin/realms/demo/clients';
const AUTH = '/realms/demo/protocol/openid-connect/auth';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The authorization endpoint's answer for `redirectUri`: 200 (sign-in page) when registered, 400 otherwise. */
async function authorizeStatus(s: TestSteward, clientId: string, redirectUri: string): Promise<number> {
  const query = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
  return (await request(s.app, 'GET', `${AUTH}?${query}`)).status;
}

for (const dialect of dialects) {
  describe(`admin API clients (${dialect})`, () => {
    let s: TestSteward;
    before(async () => {
      s = await startAdminSteward(dialect);
    });
    after(() => s?.close());

    it('creates a confidential client whose generated secret works, is shown once and stored as its SHA-256', async () => {
      const res = await admin(s, 'POST', CLIENTS, { clientId: 'batch-job', grantTypes: ['client_credentials'] });
      assert.equal(res.status, 201, res.body);
      assert.equal(res.headers['cache-control'], 'no-store');
      const secret = res.json.secret as string;
      assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(res.json.client.confidential, true);
      assert.ok(!('secretHash' in res.json.client));
      const stored = await s.deps.store.clients.get('demo', 'batch-job');
      assert.equal(stored!.secretHash, createHash('sha256').update(secret).digest('hex'));
      const got = await admin(s, 'GET', `${CLIENTS}/batch-job`);
      assert.deepEqual(got.json, res.json.client);
      assert.ok(!got.body.includes(secret) && !got.body.includes(stored!.secretHash!));
      const token = await postForm(s.app, DEMO.token, { grant_type: 'client_credentials' }, { authorization: basic('batch-job', secret) });
      assert.equal(token.status, 200, token.body);
      const list = await admin(s, 'GET', CLIENTS);
      const ids = list.json.map((c: { clientId: string }) => c.clientId);
      assert.ok(ids.includes('batch-job') && ids.includes('photoz-rs'), ids.join());
      assert.deepEqual(ids, [...ids].sort(), 'ordered by client id');
    });

    it('creates a public client without a secret', async () => {
      const res = await admin(s, 'POST', CLIENTS, { clientId: 'spa', public: true, grantTypes: ['authorization_code'], redirectUris: ['https://spa.example/cb'] });
      assert.equal(res.status, 201, res.body);
      assert.equal(res.json.secret, null);
      assert.equal(res.json.client.confidential, false);
    });

    it('refuses bad input with 400, a taken id with 409, and writes nothing', async () => {
      const cases: Array<[unknown, RegExp]> = [
        [{ clientId: 'c1', grantTypes: [] }, /grantTypes/],
        [{ clientId: 'c2', grantTypes: ['implicit'] }, /grantTypes/],
        [{ clientId: 'c3', grantTypes: ['authorization_code'] }, /redirectUris is required/],
        [{ clientId: 'c4', grantTypes: ['authorization_code'], redirectUris: ['https://a.example/cb#frag'] }, /redirectUris/],
        [{ clientId: 'c5', grantTypes: ['authorization_code'], redirectUris: ['/relative'] }, /redirectUris/],
        [{ clientId: 'c6', public: true, grantTypes: ['client_credentials'] }, /public client/],
        [{ clientId: 'has space', grantTypes: ['password'] }, /clientId/],
        [{ clientId: 'c7', grantTypes: ['password'], secret: 'chosen' }, /Unknown member 'secret'/],
        [{ clientId: 'c8', grantTypes: ['password'], signingAlg: 'HS256' }, /signingAlg/],
      ];
      for (const [body, pattern] of cases) {
        const res = await admin(s, 'POST', CLIENTS, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.json.error, 'invalid_request');
        assert.match(res.json.error_description, pattern);
      }
      assert.equal((await admin(s, 'POST', CLIENTS, { clientId: 'photoz-rs', grantTypes: ['password'] })).status, 409);
      const ids = (await s.deps.store.clients.list('demo')).map((c) => c.clientId);
      for (const id of ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'has space']) assert.ok(!ids.includes(id), id);
      assert.equal((await admin(s, 'GET', `${CLIENTS}/nope`)).status, 404);
    });

    it('updates only the members given, checked as a whole; redirect URIs match exactly at once', async () => {
      const created = await admin(s, 'POST', CLIENTS, { clientId: 'web', grantTypes: ['authorization_code'], redirectUris: ['https://web.example/cb'], umaScopes: ['view'] });
      assert.equal(created.status, 201, created.body);
      assert.equal(await authorizeStatus(s, 'web', 'https://web.example/cb'), 200);
      const res = await admin(s, 'PATCH', `${CLIENTS}/web`, { name: 'Web app', redirectUris: ['https://web.example/callback', 'https://web.example/callback'], signingAlg: 'RS256', rptRefreshTokens: false });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json, { ...created.json.client, name: 'Web app', redirectUris: ['https://web.example/callback'], signingAlg: 'RS256', rptRefreshTokens: false });
      assert.deepEqual((await admin(s, 'GET', `${CLIENTS}/web`)).json, res.json);
      assert.equal(await authorizeStatus(s, 'web', 'https://web.example/cb'), 400, 'the replaced redirect URI is refused');
      assert.equal(await authorizeStatus(s, 'web', 'https://web.example/callback'), 200);
      assert.equal(await authorizeStatus(s, 'web', 'https://web.example/callback/'), 400, 'matched exactly');
      const back = await admin(s, 'PATCH', `${CLIENTS}/web`, { signingAlg: null, umaScopes: [] });
      assert.equal(back.json.signingAlg, null);
      assert.deepEqual(back.json.umaScopes, []);
      const stored = (await s.deps.store.clients.get('demo', 'web'))!;
      assert.equal(stored.secretHash, sha256(created.json.secret), 'the secret is untouched');
    });

    it('refuses a bad update with 400 (nothing changed) and an unknown client with 404 in the documented shape', async () => {
      const before = await admin(s, 'GET', `${CLIENTS}/web`);
      const cases: Array<[unknown, RegExp]> = [
        [{ redirectUris: ['https://web.example/cb#frag'] }, /redirectUris/],
        [{ redirectUris: ['/relative'] }, /redirectUris/],
        [{ redirectUris: [] }, /redirectUris is required with authorization_code/],
        [{ grantTypes: [] }, /grantTypes/],
        [{ grantTypes: ['implicit'] }, /grantTypes/],
        [{ name: '' }, /name/],
        [{ signingAlg: 'HS256' }, /signingAlg/],
        [{ rptRefreshTokens: 'no' }, /rptRefreshTokens/],
        [{ clientId: 'renamed' }, /Unknown member 'clientId'/],
        [{ public: true }, /Unknown member 'public'/],
        [[], /object/],
      ];
      for (const [body, pattern] of cases) {
        const res = await admin(s, 'PATCH', `${CLIENTS}/web`, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.json.error, 'invalid_request');
        assert.match(res.json.error_description, pattern);
      }
      assert.deepEqual((await admin(s, 'GET', `${CLIENTS}/web`)).json, before.json);
      for (const [method, url] of [['PATCH', `${CLIENTS}/nope`], ['POST', `${CLIENTS}/nope/rotate-secret`]] as const) {
        const missing = await admin(s, method, url, method === 'PATCH' ? { name: 'x' } : {});
        assert.equal(missing.status, 404, url);
        assert.deepEqual(Object.keys(missing.json).sort(), ['error', 'error_description']);
        assert.equal(missing.json.error, 'not_found');
        assert.match(missing.json.error_description, /Client nope not found/);
      }
      assert.equal((await admin(s, 'PATCH', '/admin/realms/nowhere/clients/web', { name: 'x' })).status, 404);
    });

    it('disabling stops client authentication and the client’s tokens at once; enabling restores authentication', async () => {
      const pat = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.equal(pat.status, 200);
      const res = await admin(s, 'POST', `${CLIENTS}/photoz-rs/disable`);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.disabled, true);
      const refused = await postForm(s.app, DEMO.token, { grant_type: 'client_credentials' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.equal(refused.status, 401);
      assert.equal(refused.json.error, 'invalid_client');
      assert.equal((await request(s.app, 'GET', DEMO.resourceSet, { headers: { authorization: bearer(pat.json.access_token) } })).status, 401);
      assert.equal((await admin(s, 'POST', `${CLIENTS}/photoz-rs/enable`)).json.disabled, false);
      assert.equal((await postForm(s.app, DEMO.token, { grant_type: 'client_credentials' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) })).status, 200);
      assert.equal((await request(s.app, 'GET', DEMO.resourceSet, { headers: { authorization: bearer(pat.json.access_token) } })).status, 401, 'revoked stays revoked');
    });

    it('refuses to delete a client that registered resources; deletes one that did not', async () => {
      const pat = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      const created = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer(pat.json.access_token) }, body: { name: 'doc', resource_scopes: ['read'] } });
      assert.equal(created.status, 201, created.body);
      const refused = await admin(s, 'DELETE', `${CLIENTS}/photoz-rs`);
      assert.equal(refused.status, 409);
      assert.ok(await s.deps.store.clients.get('demo', 'photoz-rs'));
      assert.equal((await admin(s, 'DELETE', `${CLIENTS}/spa`)).status, 204);
      assert.equal(await s.deps.store.clients.get('demo', 'spa'), null);
      assert.equal((await admin(s, 'DELETE', `${CLIENTS}/spa`)).status, 404);
    });
  });

  describe(`admin API client secret rotation (${dialect})`, () => {
    let s: TestSteward;
    // A frozen clock: a second ticking over during a slow run must not move the grace boundary.
    const base = Math.floor(Date.now() / 1000);
    let offset = 0;
    const clock = { now: () => base + offset };
    before(async () => {
      s = await startAdminSteward(dialect, { clock });
    });
    after(() => s?.close());

    const authenticates = async (clientId: string, secret: string) => {
      const res = await postForm(s.app, DEMO.token, { grant_type: 'client_credentials' }, { authorization: basic(clientId, secret) });
      if (res.status !== 200) assert.equal(res.json.error, 'invalid_client', res.body);
      return res.status === 200;
    };

    it('the replaced secret works until its grace ends, then only the new one; hashes only are stored', async () => {
      const first = (await admin(s, 'POST', CLIENTS, { clientId: 'job', grantTypes: ['client_credentials'] })).json.secret as string;
      const res = await admin(s, 'POST', `${CLIENTS}/job/rotate-secret`, { graceSeconds: 60 });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.headers['cache-control'], 'no-store');
      const second = res.json.secret as string;
      assert.match(second, /^[A-Za-z0-9_-]{43}$/);
      assert.notEqual(second, first);
      assert.equal(res.json.previousSecretValidUntil, clock.now() + 60);
      assert.equal(res.json.client.clientId, 'job');
      const stored = (await s.deps.store.clients.get('demo', 'job'))!;
      assert.equal(stored.secretHash, sha256(second));
      assert.deepEqual(stored.previousSecret, { hash: sha256(first), until: res.json.previousSecretValidUntil });
      assert.ok(!JSON.stringify(stored).includes(first) && !JSON.stringify(stored).includes(second), 'no secret in clear');
      assert.ok(!(await admin(s, 'GET', `${CLIENTS}/job`)).body.includes(sha256(first)));

      assert.equal(await authenticates('job', first), true, 'within the grace period');
      assert.equal(await authenticates('job', second), true);
      assert.equal(await authenticates('job', 'not-the-secret'), false);
      offset += 59;
      assert.equal(await authenticates('job', first), true, 'one second before the end');
      offset += 1;
      assert.equal(await authenticates('job', first), false, 'at the end of the grace period');
      assert.equal(await authenticates('job', second), true);
    });

    it('leaves a replaced secret out of the realm export, which imports again', async () => {
      await admin(s, 'POST', `${CLIENTS}/job/rotate-secret`, { graceSeconds: 600 });
      assert.ok((await s.deps.store.clients.get('demo', 'job'))!.previousSecret);
      const doc = (await admin(s, 'GET', '/admin/realms/demo/export')).json;
      const job = doc.clients.find((c: { clientId: string }) => c.clientId === 'job');
      assert.equal(job.secretHash, (await s.deps.store.clients.get('demo', 'job'))!.secretHash);
      assert.ok(!('previousSecret' in job));
      const imported = await admin(s, 'POST', '/admin/realms/import', { ...doc, realm: { ...doc.realm, id: 'copy' } });
      assert.equal(imported.status, 201, imported.body);
    });

    it('defaults to a day of grace; 0 stops the replaced secret at once, and a rotation ends the grace of the one before', async () => {
      const first = (await admin(s, 'POST', CLIENTS, { clientId: 'svc', grantTypes: ['client_credentials'] })).json.secret as string;
      const byDefault = await admin(s, 'POST', `${CLIENTS}/svc/rotate-secret`);
      assert.equal(byDefault.status, 200, byDefault.body);
      assert.equal(byDefault.json.previousSecretValidUntil, clock.now() + 86_400);
      assert.equal(await authenticates('svc', first), true);
      const third = await admin(s, 'POST', `${CLIENTS}/svc/rotate-secret`, { graceSeconds: 0 });
      assert.equal(third.json.previousSecretValidUntil, null);
      assert.equal(await authenticates('svc', first), false, 'the secret replaced earlier stopped');
      assert.equal(await authenticates('svc', byDefault.json.secret), false, 'grace 0: stopped at once');
      assert.equal(await authenticates('svc', third.json.secret), true);
      assert.equal((await s.deps.store.clients.get('demo', 'svc'))!.previousSecret, undefined);
    });

    it('refuses a public client, a bad grace and an unknown member with 400, changing nothing', async () => {
      await admin(s, 'POST', CLIENTS, { clientId: 'pub', public: true, grantTypes: ['password'] });
      const cases: Array<[string, unknown, RegExp]> = [
        ['pub', {}, /public/],
        ['job', { graceSeconds: -1 }, /grace/],
        ['job', { graceSeconds: 2_592_001 }, /grace/],
        ['job', { graceSeconds: 1.5 }, /graceSeconds/],
        ['job', { graceSeconds: '60' }, /graceSeconds/],
        ['job', { grace: 60 }, /Unknown member 'grace'/],
      ];
      const before = await s.deps.store.clients.get('demo', 'job');
      for (const [clientId, body, pattern] of cases) {
        const res = await admin(s, 'POST', `${CLIENTS}/${clientId}/rotate-secret`, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.json.error, 'invalid_request');
        assert.match(res.json.error_description, pattern);
      }
      assert.deepEqual(await s.deps.store.clients.get('demo', 'job'), before);
      assert.equal((await s.deps.store.clients.get('demo', 'pub'))!.secretHash, null);
    });
  });
}
