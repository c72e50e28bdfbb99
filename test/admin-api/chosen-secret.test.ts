/**
 * A client secret chosen by the code creating the client (the demo realm's published secrets): the
 * core's `createClient` checks it like every other field, stores only its SHA-256, and the client
 * authenticates with it at the token endpoint. The admin API never takes one: secrets it hands out are
 * generated. Both stores.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient, isStewardError } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';
import { admin, startAdminSteward } from './fixture.ts';

const invalid = (e: unknown) => isStewardError(e) && e.code === 'invalid_request';

for (const dialect of dialects) {
  describe(`a client secret chosen in code (${dialect})`, () => {
    let s: TestSteward;
    before(async () => {
      s = await startAdminSteward(dialect);
    });
    after(() => s?.close());

    it('is stored as its SHA-256 and authenticates the client', async () => {
      const secret = 'chosen-secret-0123456789';
      const created = await createClient(s.deps, 'demo', { clientId: 'chosen', grantTypes: ['client_credentials'] }, { secret });
      assert.equal(created.secret, secret);
      assert.equal((await s.deps.store.clients.get('demo', 'chosen'))?.secretHash, s.deps.digest.sha256(secret));
      const ok = await postForm(s.app, DEMO.token, { grant_type: 'client_credentials' }, { authorization: basic('chosen', secret) });
      assert.equal(ok.status, 200, ok.body);
      const wrong = await postForm(s.app, DEMO.token, { grant_type: 'client_credentials' }, { authorization: basic('chosen', `${secret}x`) });
      assert.equal(wrong.status, 401, wrong.body);
    });

    it('is refused when too short or too long, or for a public client; nothing is written', async () => {
      await assert.rejects(createClient(s.deps, 'demo', { clientId: 'short', grantTypes: ['client_credentials'] }, { secret: 'fifteen-chars-x' }), invalid);
      await assert.rejects(createClient(s.deps, 'demo', { clientId: 'long', grantTypes: ['client_credentials'] }, { secret: 'x'.repeat(256) }), invalid);
      await assert.rejects(createClient(s.deps, 'demo', { clientId: 'open', public: true, grantTypes: ['password'] }, { secret: 'a-public-client-secret' }), invalid);
      for (const id of ['short', 'long', 'open']) assert.equal(await s.deps.store.clients.get('demo', id), null);
    });

    it('cannot be sent to the admin API', async () => {
      const res = await admin(s, 'POST', '/admin/realms/demo/clients', { clientId: 'sent', grantTypes: ['client_credentials'], secret: 'chosen-secret-0123456789' });
      assert.equal(res.status, 400, res.body);
      assert.equal(await s.deps.store.clients.get('demo', 'sent'), null);
    });
  });
}
