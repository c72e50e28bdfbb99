/**
 * An owner with more resources than SQLite binds parameters in one statement (32,766), over real HTTP
 * on both stores: "My resources" pages through every one with the cookie, each id exactly once, a page
 * at a time; the UMA resource list (Fed Authz §3.2.5) answers the whole list, streamed; Keycloak's
 * `first`/`max` answer one page. Seeded straight into the database (not one HTTP call each).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect } from '../../packages/store/src/connect.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';

const COUNT = 33_000;
const PAGE = 1000;

for (const dialect of dialects) {
  describe(`owner lists past the parameter limit, over HTTP (${dialect})`, () => {
    let s: TestSteward;
    let seeded: Set<string>;
    let sso: string;

    before(async () => {
      s = await startTestSteward(dialect, { listen: true });
      const alice = await s.deps.store.users.findByUsername(DEMO.realm, 'alice');
      assert.ok(alice);
      seeded = new Set();
      const { db } = connect(s.deps.config.databaseUrl, { poolSize: 1 });
      try {
        const now = Math.floor(Date.now() / 1000);
        for (let at = 0; at < COUNT; at += 500) {
          const rows = Array.from({ length: Math.min(500, COUNT - at) }, (_, k) => {
            const i = at + k;
            const id = `seed-${String(i).padStart(6, '0')}-${(i * 7919) % 1000}`;
            seeded.add(id);
            // Every tenth unnamed (sorted by id), names repeating, so ties need the id.
            return { realm: DEMO.realm, id, owner: alice.id, resource_server: 'photoz-rs', name: i % 10 === 0 ? null : `Item ${i % 997}`, type: null, icon_uri: null, description: null, scopes: '["view"]', extra: '{}', created_at: now - (i % 50), updated_at: now };
          });
          await db.insertInto('resources').values(rows).execute();
        }
      } finally {
        await db.destroy();
      }
      const res = await fetch(`${s.baseUrl}/json/realms/root/realms/demo/authenticate`, {
        method: 'POST',
        headers: { 'x-openam-username': 'alice', 'x-openam-password': DEMO.password, 'accept-api-version': 'resource=2.0, protocol=1.0' },
      });
      assert.equal(res.status, 200);
      sso = ((await res.json()) as { tokenId: string }).tokenId;
    });
    after(async () => s?.close());

    async function getJson(url: string, headers: Record<string, string>): Promise<{ status: number; json: any; ms: number }> {
      const started = performance.now();
      const res = await fetch(url, { headers });
      const json = await res.json();
      return { status: res.status, json, ms: performance.now() - started };
    }

    it('"My resources" pages through every resource with the cookie, each exactly once', async () => {
      const seen = new Set<string>();
      const times: number[] = [];
      let cookie: string | null = null;
      let pages = 0;
      let previous: string | null = null;
      do {
        const query = new URLSearchParams({ _queryFilter: 'true', _pageSize: String(PAGE) });
        if (cookie) query.set('_pagedResultsCookie', cookie);
        const res = await getJson(`${s.baseUrl}/json/realms/root/realms/demo/users/alice/oauth2/resources/sets?${query}`, { 'iplanetdirectorypro': sso, 'accept-api-version': 'resource=1.0' });
        assert.equal(res.status, 200, JSON.stringify(res.json));
        times.push(res.ms);
        for (const r of res.json.result) {
          assert.ok(!seen.has(r._id), `${r._id} returned twice`);
          seen.add(r._id);
          const key = `${r.name}\u0000${r._id}`;
          if (previous !== null) assert.ok(previous < key, 'in name order, then id');
          previous = key;
        }
        assert.equal(res.json.totalPagedResults, -1);
        cookie = res.json.pagedResultsCookie;
        pages++;
        assert.ok(pages <= COUNT / PAGE + 2, 'ends');
      } while (cookie !== null);
      for (const id of seeded) assert.ok(seen.has(id), `${id} missing`);
      assert.equal(seen.size, COUNT, 'alice has only the seeded resources');
      times.sort((a, b) => a - b);
      console.log(`# ${dialect}: ${pages} pages of ${PAGE}, median ${times[times.length >> 1]!.toFixed(1)} ms`);
      const counted = await getJson(`${s.baseUrl}/json/realms/root/realms/demo/users/alice/oauth2/resources/sets?_queryFilter=true&_pageSize=1&_totalPagedResultsPolicy=ESTIMATE`, { 'iplanetdirectorypro': sso, 'accept-api-version': 'resource=1.0' });
      assert.equal(counted.json.totalPagedResults, 10_000, 'ESTIMATE counts no further than 10,000');
    });

    it('the UMA resource list answers every id, streamed; first/max one page', async () => {
      const token = await fetch(`${s.issuer}/protocol/openid-connect/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${DEMO.rs.id}:${DEMO.rs.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }),
      });
      assert.equal(token.status, 200);
      const pat = ((await token.json()) as { access_token: string }).access_token;
      const all = await getJson(`${s.issuer}/authz/protection/resource_set`, { authorization: `Bearer ${pat}` });
      assert.equal(all.status, 200);
      assert.ok(Array.isArray(all.json));
      assert.equal(new Set(all.json).size, all.json.length, 'each id once');
      assert.deepEqual(new Set(all.json), seeded);
      const page = await getJson(`${s.issuer}/authz/protection/resource_set?first=30000&max=100`, { authorization: `Bearer ${pat}` });
      assert.deepEqual(page.json, all.json.slice(30_000, 30_100));
    });
  });
}
