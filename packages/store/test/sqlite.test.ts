/** The shared store suite on SQLite: a fresh database file per test. */
import { openStore } from '@steward/store';
import { storeSuite } from './store-suite.ts';
import { dialects, freshDatabaseUrl } from './databases.ts';

if (dialects.includes('sqlite')) {
  storeSuite('store on sqlite', async () => {
    const db = await freshDatabaseUrl('sqlite');
    const store = await openStore(db.url);
    return {
      store,
      dialect: 'sqlite',
      openAnother: () => openStore(db.url, { migrate: false }),
      async cleanup() {
        await store.close();
        await db.drop();
      },
    };
  });
}
