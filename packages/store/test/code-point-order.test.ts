/**
 * "Shared with me" continues each subject's list of resource ids after the last id it showed and
 * merges the lists in the core's code point order (compareText): the store must list them in that
 * order too, whatever the database's collation. Checked on SQLite, on PostgreSQL, and on a PostgreSQL
 * database collating by an ICU locale (where "a1" sorts before "B1", and punctuation and case weigh less).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compareText, type Store } from '@steward/core';
import { openStore } from '@steward/store';
import { dialects, freshDatabaseUrl } from './databases.ts';

// Ids whose code point order differs from case-insensitive, punctuation-blind and UTF-16 orders.
const IDS = ['B1', 'a1', 'a-2', 'a2', 'A 3', 'a_3', 'Z', 'zz', '\uff01', '\u{1f600}', 'é', 'e\u0301', '0', '~'];

const cases: Array<{ dialect: 'sqlite' | 'postgres'; icuLocale: string | undefined }> = dialects.flatMap((d) => (d === 'postgres' ? [{ dialect: d, icuLocale: undefined }, { dialect: d, icuLocale: 'en-US' }] : [{ dialect: d, icuLocale: undefined }]) as Array<{ dialect: 'sqlite' | 'postgres'; icuLocale: string | undefined }>);

for (const { dialect, icuLocale } of cases) {
  describe(`resources naming a subject, in code point order (${dialect}${icuLocale ? `, ICU ${icuLocale} collation` : ''})`, () => {
    let store: Store;
    let drop: () => Promise<void>;

    before(async () => {
      const fresh = await freshDatabaseUrl(dialect, icuLocale ? { icuLocale } : {});
      drop = fresh.drop;
      store = await openStore(fresh.url);
      for (const [i, id] of IDS.entries()) {
        const owner = `owner-${i % 3}`;
        await store.policies.create({ realm: 'r', id, owner, rev: '1', permissions: [{ subject: 'bob', scopes: ['view'] }], createdAt: 1, updatedAt: 1 });
      }
    });
    after(async () => {
      await store?.close();
      await drop?.();
    });

    it('pages through every id once, each page continuing after the last id in code point order', async () => {
      const seen: string[] = [];
      let last: string | undefined;
      for (;;) {
        const page = await store.policies.pageResourcesNaming('r', 'bob', last, 3);
        seen.push(...page);
        if (page.length < 3) break;
        last = page.at(-1);
      }
      assert.deepEqual(seen, [...IDS].sort(compareText));
    });
  });
}

describe('compareText', () => {
  it('orders by code point: characters above U+FFFF after U+E000–U+FFFF, unlike <', () => {
    assert.ok(compareText('\uff01', '\u{1f600}') < 0);
    assert.ok('\u{1f600}' < '\uff01');
    assert.ok(compareText('B', 'a') < 0);
    assert.ok(compareText('a', 'ab') < 0);
    assert.equal(compareText('same', 'same'), 0);
    assert.deepEqual(['\u{10000}', '\ue000', 'z', '\ud7ff'].sort(compareText), ['z', '\ud7ff', '\ue000', '\u{10000}']);
  });
});
