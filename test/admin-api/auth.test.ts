/** The admin API's authentication: off without a configured token hash, 401 without or with a wrong token. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { bearer, request } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';
import { ADMIN, ADMIN_TOKEN, startAdminSteward } from './fixture.ts';

describe('admin API authentication', () => {
  let off: TestSteward;
  before(async () => {
    off = await startAdminSteward('sqlite', { adminToken: null });
  });
  after(() => off?.close());

  it('answers 404 to everything, the right token included, when no token hash is configured', async () => {
    for (const url of ['/admin/realms', '/admin/realms/demo/users', '/admin/realms/demo/keys']) {
      const res = await request(off.app, 'GET', url, { headers: ADMIN });
      assert.equal(res.status, 404, url);
      assert.equal(res.json.error, 'not_found');
    }
    assert.equal((await request(off.app, 'POST', '/admin/realms', { headers: ADMIN, body: { id: 'x' } })).status, 404);
    assert.equal((await off.deps.store.realms.get('x')), null);
  });

  for (const dialect of dialects) {
    describe(dialect, () => {
      let s: TestSteward;
      before(async () => {
        s = await startAdminSteward(dialect);
      });
      after(() => s?.close());

      it('refuses a request without a token with 401 and a Bearer challenge', async () => {
        const res = await request(s.app, 'GET', '/admin/realms');
        assert.equal(res.status, 401);
        assert.equal(res.json.error, 'invalid_token');
        assert.match(String(res.headers['www-authenticate']), /^Bearer realm="admin"/);
      });

      it('refuses a wrong, empty, or differently-cased token and a Basic header', async () => {
        for (const authorization of [bearer('wrong'), bearer(ADMIN_TOKEN.toUpperCase()), bearer(`${ADMIN_TOKEN}x`), 'Bearer ', `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`]) {
          const res = await request(s.app, 'GET', '/admin/realms', { headers: { authorization } });
          assert.equal(res.status, 401, authorization);
          assert.equal(res.json.error, 'invalid_token');
        }
        // Refused writes leave nothing behind.
        const res = await request(s.app, 'POST', '/admin/realms', { headers: { authorization: bearer('wrong') }, body: { id: 'sneaky' } });
        assert.equal(res.status, 401);
        assert.equal(await s.deps.store.realms.get('sneaky'), null);
      });

      it('accepts the token whose SHA-256 is configured', async () => {
        const res = await request(s.app, 'GET', '/admin/realms', { headers: ADMIN });
        assert.equal(res.status, 200, res.body);
        assert.deepEqual(res.json.map((r: { id: string }) => r.id), ['demo']);
      });

      it('answers 404 for an unknown or malformed realm', async () => {
        for (const realm of ['nope', 'UPPER', 'a%00b']) {
          const res = await request(s.app, 'GET', `/admin/realms/${realm}/users`, { headers: ADMIN });
          assert.equal(res.status, 404, realm);
          assert.equal(res.json.error, 'not_found');
        }
      });
    });
  }
});
