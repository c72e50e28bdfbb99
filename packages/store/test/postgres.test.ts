/**
 * The shared store suite on PostgreSQL, and races across two pools. One database is created and
 * migrated for the whole file; before each test every Steward table is emptied (TRUNCATE), so each
 * test still starts from an empty, fully migrated database without paying for a new one.
 */
import { after } from 'node:test';
import pg from 'pg';
import { openStore } from '@steward/store';
import { storeSuite } from './store-suite.ts';
import { dialects, freshDatabaseUrl } from './databases.ts';

if (dialects.includes('postgres')) {
  let database: Promise<{ url: string; drop(): Promise<void> }> | null = null;
  const migrated = (): Promise<{ url: string; drop(): Promise<void> }> =>
    (database ??= freshDatabaseUrl('postgres').then(async (db) => {
      await (await openStore(db.url)).close();
      return db;
    }));

  after(async () => {
    if (database) await (await database).drop();
  });

  storeSuite('store on postgres', async () => {
    const db = await migrated();
    await emptyAllTables(db.url);
    const store = await openStore(db.url);
    return {
      store,
      dialect: 'postgres',
      openAnother: () => openStore(db.url, { migrate: false }),
      async cleanup() {
        await store.close();
      },
    };
  });
}

/**
 * Empties every table but the migration bookkeeping and the store version (a one-row table the
 * migrations create), in one statement. TRUNCATE fires no row trigger; each test opens a new store,
 * so no cache outlives it.
 */
async function emptyAllTables(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT quote_ident(tablename) AS name FROM pg_tables
        WHERE schemaname = 'public' AND tablename NOT LIKE 'steward_migration%' AND tablename <> 'steward_store_version'`,
    );
    if (rows.length > 0) await client.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')} RESTART IDENTITY CASCADE`);
  } finally {
    await client.end();
  }
}
