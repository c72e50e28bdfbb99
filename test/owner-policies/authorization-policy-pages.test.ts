/**
 * @module test/owner-policies/authorization-policy-pages
 * The per-permission authorization policies (`/users/{user}/policies?_queryFilter=true`) answer a page
 * at a time, ordered by resource id then subject: by cookie every permission is seen exactly once; a
 * small offset skips; a cookie from another list is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compareText } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { UmaWorld } from '../uma-grant/fixture.ts';
import { assertCrest, session, signIn } from './fixture.ts';

const list = (query: string) => `/json/realms/root/realms/demo/users/alice/policies?_queryFilter=true${query}`;

for (const dialect of dialects) {
  describe(`owner policies: authorization policies page by page (${dialect})`, () => {
    let s: TestSteward;
    let alice: string;
    const expected: string[] = [];
    before(async () => {
      s = await startTestSteward(dialect);
      const w = new UmaWorld(s);
      alice = await signIn(s, 'alice');
      // Seven policies naming one to three subjects: 14 authorization policies.
      const subjects = ['bob', 'chris', 'dave'];
      for (let i = 0; i < 7; i++) {
        const r = await w.resource('alice', ['view']);
        const named = subjects.slice(0, 1 + (i % 3));
        await w.share('alice', r, named.map((subject) => ({ subject, scopes: ['view'] })));
        for (const subject of named) expected.push(`${r}~${subject}`);
      }
      expected.sort((a, b) => {
        const [ra, sa] = a.split('~') as [string, string];
        const [rb, sb] = b.split('~') as [string, string];
        return compareText(ra, rb) || compareText(sa, sb);
      });
    });
    after(async () => s?.close());

    const get = (query: string) => request(s.app, 'GET', list(query), { headers: session(alice) });

    it('pages by cookie through every permission once, by resource id then subject', async () => {
      const seen: string[] = [];
      let cookie: string | null = null;
      let pages = 0;
      do {
        const res = await get(`&_pageSize=3${cookie ? `&_pagedResultsCookie=${encodeURIComponent(cookie)}` : ''}`);
        assert.equal(res.status, 200, res.body);
        assert.ok(res.json.resultCount <= 3);
        assert.equal(res.json.totalPagedResults, -1);
        seen.push(...res.json.result.map((p: { _id: string }) => p._id));
        cookie = res.json.pagedResultsCookie;
        assert.equal(res.json.remainingPagedResults, cookie === null ? 0 : -1);
        pages++;
      } while (cookie !== null && pages < 20);
      assert.deepEqual(seen, expected);
      assert.ok(pages >= 5, `${pages} pages`);
    });

    it('a small offset skips that many; without paging parameters the default page holds them all', async () => {
      const skipped = await get('&_pageSize=4&_pagedResultsOffset=5');
      assert.equal(skipped.status, 200, skipped.body);
      assert.deepEqual(skipped.json.result.map((p: { _id: string }) => p._id), expected.slice(5, 9));
      const all = await get('');
      assert.deepEqual(all.json.result.map((p: { _id: string }) => p._id), expected);
      assert.equal(all.json.pagedResultsCookie, null);
    });

    it('refuses a cookie of another list, a cookie with an offset, and a page size too big', async () => {
      const other = await request(s.app, 'GET', '/json/realms/root/realms/demo/users/alice/uma/policies?_queryFilter=true&_pageSize=1', { headers: session(alice) });
      const foreign = other.json.pagedResultsCookie as string;
      assert.ok(foreign);
      assertCrest(await get(`&_pagedResultsCookie=${encodeURIComponent(foreign)}`), 400, 'Bad Request');
      const mine = (await get('&_pageSize=1')).json.pagedResultsCookie as string;
      assertCrest(await get(`&_pagedResultsCookie=${encodeURIComponent(mine)}&_pagedResultsOffset=2`), 400, 'Bad Request');
      assertCrest(await get('&_pageSize=1001'), 400, 'Bad Request');
      assertCrest(await get('&_sortKeys=id'), 400, 'Bad Request');
    });
  });
}
