/** The shared store suite on PostgreSQL: a fresh database per test, and races across two pools. */
import { openStore } from '@steward/store';
import { storeSuite } from './store-suite.ts';
import { dialects, freshDatabaseUrl } from './databases.ts';

if (dialects.includes('postgres')) {
  storeSuite('store on postgres', async () => {
    const db = await freshDatabaseUrl('postgres');
    const store = await openStore(db.url);
    return {
      store,
      openAnother: () => openStore(db.url, { migrate: false }),
      async cleanup() {
        await store.close();
        await db.drop();
      },
    };
  });
}
