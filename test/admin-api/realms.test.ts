/** Admin API realms: create (with keys), get, list, refusals; on both stores. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { request } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';
import { admin, startAdminSteward } from './fixture.ts';

for (const dialect of dialects) {
  describe(`admin API realms (${dialect})`, () => {
    let s: TestSteward;
    before(async () => {
      s = await startAdminSteward(dialect);
    });
    after(() => s?.close());

    it('creates a realm with its signing keys and settings; serves its discovery at once', async () => {
      const res = await admin(s, 'POST', '/admin/realms', { id: 'acme', displayName: 'Acme', settings: { signingAlg: 'RS256', rptLifetime: 120 } });
      assert.equal(res.status, 201, res.body);
      assert.equal(res.headers.location, '/admin/realms/acme');
      assert.equal(res.json.settings.signingAlg, 'RS256');
      assert.equal(res.json.settings.rptLifetime, 120);
      assert.equal(res.json.settings.ticketLifetime, 300, 'defaults for the rest');
      assert.deepEqual((await admin(s, 'GET', '/admin/realms/acme')).json, res.json);
      assert.deepEqual((await admin(s, 'GET', '/admin/realms')).json.map((r: { id: string }) => r.id), ['acme', 'demo']);
      const certs = await request(s.app, 'GET', '/realms/acme/protocol/openid-connect/certs');
      assert.deepEqual(certs.json.keys.map((k: { alg: string }) => k.alg).sort(), ['ES256', 'RS256']);
      const keys = await admin(s, 'GET', '/admin/realms/acme/keys');
      assert.deepEqual(keys.json.map((k: { state: string }) => k.state), ['active', 'active']);
    });

    it('refuses a taken id with 409 and bad input with 400, writing nothing', async () => {
      assert.equal((await admin(s, 'POST', '/admin/realms', { id: 'acme' })).status, 409);
      const cases: Array<[unknown, RegExp]> = [
        [{ id: 'Bad Id' }, /Realm id/],
        [{}, /id is required/],
        [{ id: 'x1', settings: { colour: 'red' } }, /unknown member 'colour'/],
        [{ id: 'x2', settings: { rptLifetime: -1 } }, /rptLifetime/],
        [{ id: 'x3', settings: { signingAlg: 'none' } }, /signingAlg/],
        [{ id: 'x4', owner: 'me' }, /Unknown member 'owner'/],
        ['"acme"', /object/],
      ];
      for (const [body, pattern] of cases) {
        const res = await admin(s, 'POST', '/admin/realms', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.json.error, 'invalid_request');
        assert.match(res.json.error_description, pattern);
      }
      assert.deepEqual((await s.deps.store.realms.list()).map((r) => r.id), ['acme', 'demo']);
    });
  });
}
