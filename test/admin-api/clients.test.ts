/**
 * Admin API clients: create (secret shown once, stored as SHA-256), list, get, disable (authentication
 * and tokens stop at once), enable, delete (refused while it registered resources), bad input; both stores.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';
import { admin, startAdminSteward } from './fixture.ts';

const CLIENTS = '/admin/realms/demo/clients';

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
}
