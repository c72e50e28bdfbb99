/**
 * Records kept in a data folder survive a restart of the records server; the owners' PATs do not
 * (memory only), so requesting parties get 403 until the owner uses her application once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dialects } from '../../../packages/store/test/databases.ts';
import { startTestSteward, type TestSteward } from '../../../test/helpers/steward.ts';
import { createRecordsServer } from '../src/index.ts';
import { challengeTicket, ownerToken, RS } from './steward-calls.ts';

for (const dialect of dialects) {
  describe(`records server: restart with a data folder (${dialect})`, () => {
    let s: TestSteward;
    let dir: string;
    const start = () => createRecordsServer({ issuer: s.issuer, baseUrl: 'http://records.test', clientId: RS.id, clientSecret: RS.secret, dataDir: dir });

    before(async () => {
      s = await startTestSteward(dialect, { listen: true });
      dir = await mkdtemp(join(tmpdir(), 'records-rs-'));
    });
    after(async () => {
      await s?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('keeps records across a restart, and asks for tickets again once the owner is back', async () => {
      const alice = { authorization: `Bearer ${await ownerToken(s.issuer, 'alice')}` };
      const first = await start();
      const created = await first.inject({ method: 'POST', url: '/manage/resources', headers: alice, payload: { name: 'Savings', type: 'finance', content: { balance: 5 } } });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().meta.id;
      await first.close();
      const saved = JSON.parse(await readFile(join(dir, 'records.json'), 'utf8'));
      assert.equal(saved[0].meta.id, id);
      assert.equal(JSON.stringify(saved).includes(alice.authorization.slice(7)), false, 'no PAT on disk');

      const second = await start();
      try {
        const noPat = await second.inject({ method: 'GET', url: `/records/${id}/content` });
        assert.equal(noPat.statusCode, 403, noPat.body);
        const read = await second.inject({ method: 'GET', url: `/manage/resources/${id}`, headers: alice });
        assert.deepEqual(read.json().content, { balance: 5 });
        const challenged = await second.inject({ method: 'GET', url: `/records/${id}/content` });
        assert.equal(challenged.statusCode, 401, challenged.body);
        challengeTicket(challenged.headers['www-authenticate'], s.issuer);
      } finally {
        await second.close();
      }
    });
  });
}
