/**
 * The kit's access reports against a real Steward over HTTP, on both stores: a permitted request
 * becomes a `resource.accessed` entry in the owner's audit history, named by the RPT's jti with the
 * scopes used; reports go in batches (250 requests, at most 3 calls), one call per PAT; the queue is
 * bounded; a report the AS refuses does not sink its batch; and with Steward down the protected
 * request still answers at once while the counters tell what was lost.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../store/test/databases.ts';
import { bearer, DEMO, request } from '../../../test/helpers/http.ts';
import { startTestSteward, type TestSteward } from '../../../test/helpers/steward.ts';
import { Owner } from '../../../test/access-requests/fixture.ts';
import { createUmaEnforcer, type UmaEnforcer, type UmaEnforcerOptions } from '../src/index.ts';
import { fastifyApp, type TestApp } from './apps.ts';
import { alicePat, aliceSharesWithBob, bobRpt, registerResource, rsPat, rsSharesWithBob, ticketOf } from './steward-world.ts';

const REALM = 'photos';
const RS = { clientId: DEMO.rs.id, clientSecret: DEMO.rs.secret };

/** A fetch that records the calls to the access report endpoint (their bearer and body) and can fail them. */
function watchedFetch() {
  const calls: Array<{ authorization: string; reports: any[] }> = [];
  const state = { mode: 'up' as 'up' | 'refuse' | 'hang', hanging: 0 };
  const watched: typeof fetch = async (input, init) => {
    const url = String(input);
    if (!url.endsWith('/authz/protection/access')) return fetch(input, init);
    calls.push({ authorization: String(new Headers(init?.headers).get('authorization')), reports: JSON.parse(String(init?.body)) });
    if (state.mode === 'refuse') throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    if (state.mode === 'hang') {
      state.hanging++;
      return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => (state.hanging--, reject(init.signal!.reason))));
    }
    return fetch(input, init);
  };
  return { fetch: watched, calls, state };
}

for (const dialect of dialects) {
  describe(`@steward/rs access reports against Steward (${dialect})`, () => {
    let s: TestSteward;
    let alice: Owner;
    let ownerPat: string;
    let serverPat: string;
    let aliceAlbum: string;
    let rsAlbum: string;
    let aliceRpt: string;
    let rsRpt: string;
    let stopped = false;
    const apps: TestApp[] = [];
    const enforcers: UmaEnforcer[] = [];

    /** A Fastify app protected by a fresh enforcer (JWKS mode) with these options. */
    async function protect(options: Partial<UmaEnforcerOptions>): Promise<{ app: TestApp; enforcer: UmaEnforcer }> {
      const enforcer = createUmaEnforcer({ issuer: s.issuer, realm: REALM, timeoutMs: 2000, ...RS, ...options });
      const app = await fastifyApp(enforcer);
      enforcers.push(enforcer);
      apps.push(app);
      return { app, enforcer };
    }

    /** Bob's RPT for `view` on a resource, through the app's challenge. */
    async function rptFor(app: TestApp, resourceId: string): Promise<string> {
      const first = await app.call('GET', `/albums/${resourceId}`);
      assert.equal(first.status, 401);
      return bobRpt(s, ticketOf(first.headers['www-authenticate'], REALM, s.issuer));
    }

    async function accesses(filter = ''): Promise<{ total: number; result: any[] }> {
      const res = await alice.history({ _queryFilter: `type eq "resource.accessed"${filter}`, _sortKeys: '-eventTime', _pageSize: '10', _totalPagedResultsPolicy: 'EXACT' });
      assert.equal(res.status, 200, res.body);
      return { total: res.json.totalPagedResults, result: res.json.result };
    }

    before(async () => {
      s = await startTestSteward(dialect, { listen: true });
      alice = await Owner.signIn(s, 'alice');
      ownerPat = await alicePat(s);
      serverPat = await rsPat(s);
      aliceAlbum = await registerResource(s, ownerPat, "Alice's album", ['view', 'pay']);
      await aliceSharesWithBob(s, aliceAlbum, ['view']);
      rsAlbum = await registerResource(s, serverPat, 'The shop album', ['view', 'pay']);
      await rsSharesWithBob(s, rsAlbum, ['view']);
      const { app } = await protect({ reportAccess: false });
      aliceRpt = await rptFor(app, aliceAlbum);
      rsRpt = await rptFor(app, rsAlbum);
    });
    after(async () => {
      await Promise.all(apps.map((a) => a.close()));
      await Promise.all(enforcers.map((e) => e.close()));
      if (!stopped) await s?.close();
    });

    it('a permitted request is in the owner\'s history: the RPT\'s jti names Bob, with the scopes used', async () => {
      const watch = watchedFetch();
      // The owner's PAT, supplied per resource by the app.
      const { app, enforcer } = await protect({ pat: ({ resourceId }) => (assert.equal(resourceId, aliceAlbum), ownerPat), fetch: watch.fetch });
      const before = (await accesses()).total;
      const res = await app.call('GET', `/albums/${aliceAlbum}`, { rpt: aliceRpt });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      await enforcer.accessReports.flush();
      assert.equal(watch.calls.length, 1);
      const jti = JSON.parse(Buffer.from(aliceRpt.split('.')[1]!, 'base64url').toString()).jti;
      assert.deepEqual(watch.calls[0]!.reports.map(({ time, ...rest }) => rest), [{ resource_id: aliceAlbum, rpt: jti, scopes: ['view'] }]);
      assert.equal(watch.calls[0]!.authorization, bearer(ownerPat));
      const history = await accesses();
      assert.equal(history.total, before + 1);
      const entry = history.result[0];
      assert.deepEqual([entry.resourceSetId, entry.requestingPartyId, entry.clientId, entry.scopes, entry.detail.resourceServer], [aliceAlbum, 'bob', 'photoz-client', ['view'], 'photoz-rs']);
      assert.ok(Math.abs(entry.eventTime - Date.now()) < 10_000, 'recorded at the time of the access');
      assert.deepEqual(enforcer.accessReports.stats(), { reported: 1, dropped: 0, failed: 0, skipped: 0, pending: 0 });
    });

    it('250 requests make at most 3 calls with the resource server\'s own PAT', async () => {
      const watch = watchedFetch();
      const { app, enforcer } = await protect({ fetch: watch.fetch, reportAccess: { flushIntervalMs: 60_000 } });
      const before = (await accesses()).total;
      for (let i = 0; i < 250; i++) {
        const res = await app.call('GET', `/albums/${i % 2 === 0 ? aliceAlbum : rsAlbum}`, { rpt: i % 2 === 0 ? aliceRpt : rsRpt });
        assert.equal(res.status, 200);
      }
      await enforcer.close();
      assert.ok(watch.calls.length <= 3, `${watch.calls.length} calls`);
      assert.deepEqual(watch.calls.map((c) => c.reports.length), [100, 100, 50]);
      assert.equal(new Set(watch.calls.map((c) => c.authorization)).size, 1, 'one PAT, obtained by client_credentials');
      assert.deepEqual(enforcer.accessReports.stats(), { reported: 250, dropped: 0, failed: 0, skipped: 0, pending: 0 });
      assert.equal((await accesses()).total, before + 125, 'Alice\'s half is in her history');
    });

    it('groups reports by PAT: one call per owner\'s PAT', async () => {
      const watch = watchedFetch();
      const pat = ({ resourceId }: { resourceId: string }) => (resourceId === aliceAlbum ? ownerPat : serverPat);
      const { app, enforcer } = await protect({ pat, fetch: watch.fetch, reportAccess: { flushIntervalMs: 60_000 } });
      for (const [album, rpt] of [[aliceAlbum, aliceRpt], [rsAlbum, rsRpt], [aliceAlbum, aliceRpt]] as const) {
        assert.equal((await app.call('GET', `/albums/${album}`, { rpt })).status, 200);
      }
      await enforcer.accessReports.flush();
      const byPat = new Map(watch.calls.map((c) => [c.authorization, c.reports.map((r) => r.resource_id)]));
      assert.equal(watch.calls.length, 2);
      assert.deepEqual(byPat.get(bearer(ownerPat)), [aliceAlbum, aliceAlbum]);
      assert.deepEqual(byPat.get(bearer(serverPat)), [rsAlbum]);
      assert.equal(enforcer.accessReports.stats().reported, 3);
    });

    it('the queue is bounded: beyond maxQueue new reports are dropped and counted', async () => {
      const watch = watchedFetch();
      const { app, enforcer } = await protect({ fetch: watch.fetch, reportAccess: { maxQueue: 5, flushIntervalMs: 60_000 } });
      for (let i = 0; i < 8; i++) assert.equal((await app.call('GET', `/albums/${aliceAlbum}`, { rpt: aliceRpt })).status, 200);
      assert.deepEqual(enforcer.accessReports.stats(), { reported: 0, dropped: 3, failed: 0, skipped: 0, pending: 5 });
      await enforcer.accessReports.flush();
      assert.deepEqual(watch.calls.map((c) => c.reports.length), [5]);
      assert.deepEqual(enforcer.accessReports.stats(), { reported: 5, dropped: 3, failed: 0, skipped: 0, pending: 0 });
    });

    it('a report the AS refuses (its resource deleted meanwhile) does not sink the others of its batch', async () => {
      const watch = watchedFetch();
      const { app, enforcer } = await protect({ fetch: watch.fetch, reportAccess: { flushIntervalMs: 60_000 } });
      const doomed = await registerResource(s, ownerPat, 'Soon gone', ['view']);
      await aliceSharesWithBob(s, doomed, ['view']);
      const doomedRpt = await rptFor(app, doomed);
      const before = (await accesses()).total;
      for (const [album, rpt] of [[aliceAlbum, aliceRpt], [doomed, doomedRpt], [aliceAlbum, aliceRpt], [aliceAlbum, aliceRpt]] as const) {
        assert.equal((await app.call('GET', `/albums/${album}`, { rpt })).status, 200);
      }
      const gone = await request(s.app, 'DELETE', `${DEMO.resourceSet}/${doomed}`, { headers: { authorization: bearer(ownerPat) } });
      assert.equal(gone.status, 204, gone.body);
      await enforcer.accessReports.flush();
      const stats = enforcer.accessReports.stats();
      assert.deepEqual([stats.reported, stats.failed], [3, 1]);
      assert.match(stats.lastError ?? '', /HTTP 404 not_found/);
      assert.equal((await accesses()).total, before + 3);
    });

    it('with Steward not answering, the protected request answers at once; the report is retried, then counted failed', async () => {
      const watch = watchedFetch();
      const { app, enforcer } = await protect({ fetch: watch.fetch, timeoutMs: 1500, reportAccess: { batchSize: 1, maxAttempts: 2, retryDelayMs: 10 } });
      assert.equal((await app.call('GET', `/albums/${aliceAlbum}`, { rpt: aliceRpt })).status, 200, 'discovery and keys are cached');
      await enforcer.accessReports.flush();
      watch.state.mode = 'hang';
      const started = Date.now();
      const res = await app.call('GET', `/albums/${aliceAlbum}`, { rpt: aliceRpt });
      assert.equal(res.status, 200);
      assert.ok(Date.now() - started < 1000, 'not held up by the report');
      assert.equal(watch.state.hanging, 1, 'the report was sent and is still unanswered when the request is answered');
      watch.state.mode = 'refuse';
      await enforcer.accessReports.flush();
      const stats = enforcer.accessReports.stats();
      assert.deepEqual([stats.reported, stats.failed, stats.pending], [1, 1, 0]);
      assert.equal(watch.calls.length, 3, 'the first report, then the second one twice (maxAttempts 2)');
      assert.match(stats.lastError ?? '', /unreachable/);
    });

    it('reportAccess: false sends nothing', async () => {
      const watch = watchedFetch();
      const { app, enforcer } = await protect({ fetch: watch.fetch, reportAccess: false });
      assert.equal((await app.call('GET', `/albums/${aliceAlbum}`, { rpt: aliceRpt })).status, 200);
      await enforcer.close();
      assert.equal(watch.calls.length, 0);
    });
    it('with Steward stopped, permitted requests still answer and close() gives up the reports', async () => {
      const watch = watchedFetch();
      // Without the revocation stream: with it, JWKS mode introspects while the stream is down, so with
      // Steward stopped the requests would be refused (403, unreachable) rather than answered.
      const { app, enforcer } = await protect({ fetch: watch.fetch, revocationEvents: false, reportAccess: { flushIntervalMs: 60_000, retryDelayMs: 60_000 } });
      assert.equal((await app.call('GET', `/albums/${aliceAlbum}`, { rpt: aliceRpt })).status, 200);
      await enforcer.accessReports.flush();
      await s.close();
      stopped = true;
      for (let i = 0; i < 3; i++) assert.equal((await app.call('GET', `/albums/${aliceAlbum}`, { rpt: aliceRpt })).status, 200);
      assert.equal(enforcer.accessReports.stats().pending, 3);
      const flushing = enforcer.accessReports.flush();
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(watch.calls.length, 2, 'the batch was tried once and now waits a minute to be retried');
      const started = Date.now();
      await enforcer.close();
      await flushing;
      assert.ok(Date.now() - started < 5000, 'close() cuts the retry delay short');
      const stats = enforcer.accessReports.stats();
      assert.deepEqual([stats.reported, stats.dropped, stats.failed, stats.pending], [1, 0, 3, 0]);
      assert.match(stats.lastError ?? '', /unreachable/);
      assert.equal(watch.calls.length, 3, 'one last attempt at close');
    });

  });
}
