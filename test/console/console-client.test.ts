/**
 * The account console's client follows the realm's start-up: a realm created without it gets it, and
 * its redirect URI moves with STEWARD_BASE_URL; a disabled one stays disabled.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createSteward, loadConfig } from '@steward/server';
import { dialects, freshDatabaseUrl } from '../../packages/store/test/databases.ts';

const CONSOLE = 'account-console';

async function start(url: string, baseUrl: string) {
  return createSteward(loadConfig({}, { databaseUrl: url, port: 8080, baseUrl, demo: true, logLevel: 'silent' }), { logLevel: 'silent' });
}

for (const dialect of dialects) {
  describe(`account console client at start (${dialect})`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    });
    const open = async (url: string, baseUrl: string) => {
      const steward = await start(url, baseUrl);
      cleanups.push(() => steward.close());
      return steward;
    };

    it('is added to a realm that lacks it, and its redirect URI follows the base URL', async () => {
      const db = await freshDatabaseUrl(dialect);
      cleanups.push(db.drop);
      const first = await open(db.url, 'http://127.0.0.1:8080');
      assert.deepEqual((await first.deps.store.clients.get('demo', CONSOLE))?.redirectUris, ['http://127.0.0.1:8080/realms/demo/account/']);
      assert.equal(await first.deps.store.clients.delete('demo', CONSOLE), true);
      await first.close();

      const second = await open(db.url, 'https://auth.example.org');
      const client = await second.deps.store.clients.get('demo', CONSOLE);
      assert.deepEqual(client?.redirectUris, ['https://auth.example.org/realms/demo/account/']);
      assert.equal(client?.secretHash, null);
      await second.deps.store.clients.update({ ...client!, disabled: true });
      await second.close();

      const third = await open(db.url, 'https://sso.example.org');
      const moved = await third.deps.store.clients.get('demo', CONSOLE);
      assert.deepEqual(moved?.redirectUris, ['https://sso.example.org/realms/demo/account/']);
      assert.equal(moved?.disabled, true, 'an administrator\'s disabling is kept');
      await third.close();
    });
  });
}
