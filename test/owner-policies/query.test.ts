/**
 * Querying the owner's UMA policies (ForgeRock AM's UMA policies REST API, "Query UMA policies"): AM's documented curl example (query
 * string and form body), filters, sorting, paging, refusals in CREST shape, and who may query.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { bearer, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertCrest, bobViewComment, policyUrl, registerResource, session, signIn, userAccessToken, userId } from './fixture.ts';

const COLLECTION = '/json/realms/root/realms/demo/users/alice/uma/policies';

function query(params: Record<string, string>): string {
  return `${COLLECTION}?${new URLSearchParams(params).toString()}`;
}

for (const dialect of dialects) {
  describe(`owner policies: query (${dialect})`, () => {
    let steward: TestSteward;
    let alice: string;
    /** Photo Album (photoz-rs): bob view+comment, chris view — AM's documented policy. */
    let album: string;
    /** Medical Record (UMA-Resource-Server): bob view. */
    let medical: string;
    /** Zebra Notes (photoz-rs): chris view. */
    let zebra: string;

    const get = (url: string, headers = session(alice)) => request(steward.app, 'GET', url, { headers });
    const ids = (res: { json: any }) => res.json.result.map((p: any) => p._id);

    before(async () => {
      steward = await startTestSteward(dialect);
      alice = await signIn(steward, 'alice');
      album = await registerResource(steward, 'alice');
      zebra = await registerResource(steward, 'alice', { name: 'Zebra Notes', scopes: ['view'] });
      // A resource of another resource server (AM's documented "UMA-Resource-Server"), straight into the store.
      medical = 'medical-record-0001';
      const now = Math.floor(Date.now() / 1000);
      await steward.deps.store.resources.insert({
        realm: 'demo', id: medical, owner: await userId(steward, 'alice'), resourceServer: 'UMA-Resource-Server', name: 'Medical Record',
        type: null, iconUri: null, description: null, scopes: ['view', 'comment'], extra: {}, createdAt: now, updatedAt: now,
      });
      await registerResource(steward, 'alice', { name: 'Unshared', scopes: ['view'] });
      const put = async (id: string, body: unknown) => assert.equal((await request(steward.app, 'PUT', policyUrl('alice', id), { body, headers: session(alice) })).status, 201);
      await put(album, { policyId: album, permissions: [{ subject: 'bob', scopes: ['view', 'comment'] }, { subject: 'chris', scopes: ['view'] }] });
      await put(medical, bobViewComment(medical));
      await put(zebra, { policyId: zebra, permissions: [{ subject: 'chris', scopes: ['view'] }] });
      // bob's own policy never shows among alice's.
      const bob = await signIn(steward, 'bob');
      const bobs = await registerResource(steward, 'bob');
      const res = await request(steward.app, 'PUT', policyUrl('bob', bobs), { body: { policyId: bobs, permissions: [{ subject: 'chris', scopes: ['view'] }] }, headers: session(bob) });
      assert.equal(res.status, 201);
    });
    after(() => steward.close());

    it('answers AM\'s documented example: the first of the policies naming bob, with the read representation', async () => {
      const res = await get(query({ _sortKeys: 'policyId,name', _pageSize: '1', _pagedResultsOffset: '0', _queryFilter: 'permissions/subject eq "bob"' }));
      assert.equal(res.status, 200, res.body);
      assert.equal(res.headers['content-api-version'], 'resource=1.0');
      const first = [album, medical].sort()[0]!;
      assert.deepEqual(Object.keys(res.json), ['result', 'resultCount', 'pagedResultsCookie', 'totalPagedResultsPolicy', 'totalPagedResults', 'remainingPagedResults']);
      assert.equal(res.json.resultCount, 1);
      assert.equal(typeof res.json.pagedResultsCookie, 'string', 'another page follows');
      assert.equal(res.json.totalPagedResultsPolicy, 'NONE');
      assert.equal(res.json.totalPagedResults, -1);
      assert.equal(res.json.remainingPagedResults, -1);
      const read = await get(policyUrl('alice', first));
      assert.deepEqual(res.json.result, [read.json]);
    });

    it('answers the same when curl sends the parameters as a form body (--data-urlencode without -G)', async () => {
      const body = new URLSearchParams({ _sortKeys: 'policyId,name', _pageSize: '1', _pagedResultsOffset: '0', _queryFilter: 'permissions/subject eq "bob"' }).toString();
      const res = await request(steward.app, 'GET', COLLECTION, { body, headers: session(alice, { 'content-type': 'application/x-www-form-urlencoded' }) });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(ids(res), [[album, medical].sort()[0]]);
      assert.equal(res.json.remainingPagedResults, -1);
    });

    it('reads AM\'s documented URL-encoded AND filter (+ for spaces)', async () => {
      const res = await get(`${COLLECTION}?_queryFilter=resourceServer+eq+%22UMA-Resource-Server%22+AND+permissions%2Fsubject+eq+%22bob%22`);
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(ids(res), [medical]);
      assert.deepEqual(res.json.result[0], { _id: medical, _rev: res.json.result[0]._rev, policyId: medical, name: 'Medical Record', permissions: [{ subject: 'bob', scopes: ['view', 'comment'] }] });
      assert.equal(res.json.remainingPagedResults, 0);
    });

    it('matches everything with true (ordered by policyId) and nothing with false', async () => {
      const all = await get(query({ _queryFilter: 'true' }));
      assert.equal(all.status, 200, all.body);
      assert.deepEqual(ids(all), [album, medical, zebra].sort());
      assert.equal(all.json.resultCount, 3);
      const none = await get(query({ _queryFilter: 'false' }));
      assert.deepEqual(none.json, { result: [], resultCount: 0, pagedResultsCookie: null, totalPagedResultsPolicy: 'NONE', totalPagedResults: -1, remainingPagedResults: 0 });
    });

    it('filters on resourceServer and groups with parentheses', async () => {
      assert.deepEqual(ids(await get(query({ _queryFilter: 'resourceServer eq "photoz-rs"' }))).sort(), [album, zebra].sort());
      const grouped = await get(query({ _queryFilter: '(permissions/subject eq "chris") and (/resourceServer eq "photoz-rs" and true)' }));
      assert.deepEqual(ids(grouped).sort(), [album, zebra].sort());
      assert.deepEqual(ids(await get(query({ _queryFilter: 'permissions/subject eq "dave"' }))), []);
      assert.deepEqual(ids(await get(query({ _queryFilter: 'permissions/subject eq "alice"' }))), []);
    });

    it('sorts by name and policyId, ascending or descending', async () => {
      const names = async (keys: string) => (await get(query({ _queryFilter: 'true', _sortKeys: keys }))).json.result.map((p: any) => p.name);
      assert.deepEqual(await names('name'), ['Medical Record', 'Photo Album', 'Zebra Notes']);
      assert.deepEqual(await names('+name'), ['Medical Record', 'Photo Album', 'Zebra Notes']);
      assert.deepEqual(await names('-name'), ['Zebra Notes', 'Photo Album', 'Medical Record']);
      assert.deepEqual(ids(await get(query({ _queryFilter: 'true', _sortKeys: '-policyId' }))), [album, medical, zebra].sort().reverse());
    });

    it('pages with _pageSize and _pagedResultsOffset, counting what remains', async () => {
      const page = async (size: string, offset: string) => (await get(query({ _queryFilter: 'true', _sortKeys: 'name', _pageSize: size, _pagedResultsOffset: offset, _totalPagedResultsPolicy: 'EXACT' }))).json;
      const first = await page('2', '0');
      assert.deepEqual(first.result.map((p: any) => p.name), ['Medical Record', 'Photo Album']);
      assert.equal(first.remainingPagedResults, 1);
      const second = await page('2', '2');
      assert.deepEqual(second.result.map((p: any) => p.name), ['Zebra Notes']);
      assert.equal(second.resultCount, 1);
      assert.equal(second.remainingPagedResults, 0);
      assert.deepEqual((await page('2', '10')).result, []);
      assert.equal((await page('0', '1')).resultCount, 2);
      assert.equal(first.totalPagedResults, 3);
      const byCookie = (await get(query({ _queryFilter: 'true', _sortKeys: 'name', _pageSize: '2', _pagedResultsCookie: first.pagedResultsCookie }))).json;
      assert.deepEqual(byCookie.result.map((p: any) => p.name), ['Zebra Notes']);
      assert.equal(byCookie.pagedResultsCookie, null);
      const wrongOrder = await get(query({ _queryFilter: 'true', _sortKeys: '-name', _pagedResultsCookie: first.pagedResultsCookie }));
      assert.equal(wrongOrder.status, 400, 'a cookie of another order is refused');
    });

    it('refuses bad queries with 400 and a CREST body naming the problem', async () => {
      assertCrest(await get(query({ _queryFilter: '/badField eq "x"' })), 400, 'Bad Request', "'/badField' not queryable");
      assertCrest(await get(query({ _queryFilter: 'name eq "Photo Album"' })), 400, 'Bad Request', "'/name' not queryable");
      assertCrest(await get(query({ _queryFilter: 'permissions/subject co "b"' })), 400, 'Bad Request', /operator 'co' is not supported/);
      assertCrest(await get(query({ _queryFilter: 'true or false' })), 400, 'Bad Request', /'or' is not supported/);
      assertCrest(await get(query({ _queryFilter: '(permissions/subject eq "bob"' })), 400, 'Bad Request', /ends too early/);
      assertCrest(await get(query({ _queryFilter: 'resourceServer eq "open' })), 400, 'Bad Request', /unterminated string/);
      assertCrest(await get(query({ _queryFilter: `${'('.repeat(100)}true${')'.repeat(100)}` })), 400, 'Bad Request', /nest deeper/);
      assertCrest(await get(query({ _queryFilter: 'x'.repeat(5000) })), 400, 'Bad Request', /longer than 2048/);
      assertCrest(await get(COLLECTION), 400, 'Bad Request', /_queryFilter is required/);
      assertCrest(await get(query({ _queryFilter: 'true', _sortKeys: 'resourceServer' })), 400, 'Bad Request', /'\/resourceServer' not sortable/);
      assertCrest(await get(query({ _queryFilter: 'true', _pageSize: '-1' })), 400, 'Bad Request', '_pageSize must be a non-negative integer');
      assertCrest(await get(query({ _queryFilter: 'true', _pagedResultsOffset: 'abc' })), 400, 'Bad Request', '_pagedResultsOffset must be a non-negative integer');
      assertCrest(await get(query({ _queryFilter: 'true', _fields: 'name' })), 400, 'Bad Request', 'Unsupported query parameter _fields');
      assertCrest(await get(`${COLLECTION}?_queryFilter=true&_pageSize=1&_pageSize=2`), 400, 'Bad Request', 'Parameter _pageSize is repeated');
      // A parameter CREST does not reserve is ignored.
      assert.equal((await get(query({ _queryFilter: 'true', foo: 'bar' }))).status, 200);
    });

    it('lets the owner (session or own sharing token) and an administrator query; refuses others', async () => {
      const all = query({ _queryFilter: 'true' });
      const expected = ids(await get(all));
      assert.deepEqual(ids(await get(all, { authorization: bearer(await userAccessToken(steward, 'alice')) })), expected);
      const admin = await signIn(steward, 'amAdmin');
      const byAdmin = await get(all, session(admin));
      assert.equal(byAdmin.status, 200, byAdmin.body);
      assert.deepEqual(ids(byAdmin), expected);
      assertCrest(await get(query({ _queryFilter: 'true' }).replace('/users/alice/', '/users/nobody/'), session(admin)), 404, 'Not Found');
      assertCrest(await get(all, session(await signIn(steward, 'bob'))), 403, 'Forbidden');
      assertCrest(await get(all, {}), 401, 'Unauthorized', 'Access Denied');
      assertCrest(await get(all, session('not-a-session')), 401, 'Unauthorized');
    });

    it('refuses other methods on the collection', async () => {
      assertCrest(await request(steward.app, 'POST', COLLECTION, { body: {}, headers: session(alice) }), 405, 'Method Not Allowed');
      assertCrest(await request(steward.app, 'DELETE', COLLECTION, { headers: session(alice) }), 405, 'Method Not Allowed');
    });
  });
}
