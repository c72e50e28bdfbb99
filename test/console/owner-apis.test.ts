/**
 * The owner APIs the account console reads besides the policies, on both stores: the owner's resource
 * sets (query, search, sort, paging, one resource with its policy), "shared with me" (owner, scopes,
 * expiry, client restriction, re-shares, what disappears), and the share dialog's exact person lookup
 * (exact only, nothing revealed otherwise, look-alike warnings, rate limit). Also the account-console
 * client every realm gets.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addGroupMember, createGroup } from '@steward/core';
import { addUser } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { bearer, request } from '../helpers/http.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { assertCrest, policyUrl, registerResource, session, signIn, userAccessToken } from '../owner-policies/fixture.ts';
import { UmaWorld } from '../uma-grant/fixture.ts';
import { Browser, locationParams, pkcePair } from '../authorization-code/browser.ts';
import { DEMO, postForm } from '../helpers/http.ts';

const BASE = '/json/realms/root/realms/demo/users';
const sets = (user: string, query = '_queryFilter=true') => `${BASE}/${user}/oauth2/resources/sets?${query}`;
const shared = (user: string) => `${BASE}/${user}/uma/sharedWithMe`;
const lookup = (user: string, identity: string) => `${BASE}/${user}/uma/lookup?identity=${encodeURIComponent(identity)}`;

for (const dialect of dialects) {
  describe(`console owner APIs (${dialect})`, () => {
    let s: TestSteward;
    let alice: string;
    let bob: string;
    let chris: string;
    const clock = new TestClock();
    const ids: Record<string, string> = {};

    before(async () => {
      s = await startTestSteward(dialect, { clock });
      alice = await signIn(s, 'alice');
      bob = await signIn(s, 'bob');
      chris = await signIn(s, 'chris');
      ids.bank = await registerResource(s, 'alice', { name: 'Bank account', scopes: ['view', 'pay'] });
      ids.album = await registerResource(s, 'alice', { name: 'Photo album', scopes: ['view', 'download'] });
      ids.zoo = await registerResource(s, 'alice', { name: 'Zoo tickets', scopes: ['view'] });
      ids.notes = await registerResource(s, 'bob', { name: 'Bob notes', scopes: ['read'] });
    });
    after(async () => s?.close());

    async function share(owner: string, token: string, id: string, permissions: unknown[]) {
      const res = await request(s.app, 'PUT', policyUrl(owner, id), { body: { policyId: id, permissions }, headers: session(token) });
      assert.ok(res.status === 200 || res.status === 201, res.body);
    }

    it('lists only the owner\'s resources, sorted by name, with type, icon, scopes and policy', async () => {
      const res = await request(s.app, 'GET', sets('alice', '_queryFilter=true&_totalPagedResultsPolicy=EXACT'), { headers: session(alice) });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json.result.map((r: any) => r.name), ['Bank account', 'Photo album', 'Zoo tickets']);
      assert.equal(res.json.resultCount, 3);
      assert.equal(res.json.totalPagedResults, 3);
      assert.equal(res.json.remainingPagedResults, 0);
      assert.equal(res.json.pagedResultsCookie, null);
      const bank = res.json.result[0];
      assert.deepEqual(Object.keys(bank).sort(), ['_id', 'description', 'icon_uri', 'name', 'policy', 'resourceOwnerId', 'resourceServer', 'scopes', 'type']);
      assert.equal(bank._id, ids.bank);
      assert.deepEqual(bank.scopes, ['view', 'pay']);
      assert.equal(bank.resourceServer, 'photoz-rs');
      assert.equal(bank.resourceOwnerId, 'alice');
      assert.equal(bank.policy, null);
      const mine = await request(s.app, 'GET', sets('bob'), { headers: session(bob) });
      assert.deepEqual(mine.json.result.map((r: any) => r._id), [ids.notes]);
    });

    it('searches, filters, sorts and pages', async () => {
      const get = async (query: string) => (await request(s.app, 'GET', sets('alice', query), { headers: session(alice) })).json;
      assert.deepEqual((await get('_queryFilter=true&search=ALBUM')).result.map((r: any) => r.name), ['Photo album']);
      assert.deepEqual((await get('_queryFilter=true&search=nothing')).result, []);
      assert.deepEqual((await get(`_queryFilter=${encodeURIComponent('name eq "Zoo tickets"')}`)).result.map((r: any) => r._id), [ids.zoo]);
      assert.deepEqual((await get(`_queryFilter=${encodeURIComponent('resourceServer eq "other"')}`)).result, []);
      assert.deepEqual((await get('_queryFilter=true&_sortKeys=-name')).result.map((r: any) => r.name), ['Zoo tickets', 'Photo album', 'Bank account']);
      const page = await get('_queryFilter=true&_pageSize=2&_pagedResultsOffset=1&_totalPagedResultsPolicy=ESTIMATE');
      assert.deepEqual(page.result.map((r: any) => r.name), ['Photo album', 'Zoo tickets']);
      assert.equal(page.remainingPagedResults, 0);
      assert.equal(page.totalPagedResults, 3);
      const first = await get('_queryFilter=true&_pageSize=1&_totalPagedResultsPolicy=EXACT');
      assert.equal(first.remainingPagedResults, 2);
      assert.equal((await get('_queryFilter=true&_pageSize=1')).remainingPagedResults, -1, 'not counted unless asked');
      const names: string[] = [];
      for (let cookie = '', round = 0; round < 5; round++) {
        const next = await get(`_queryFilter=true&_sortKeys=-name&_pageSize=1${cookie ? `&_pagedResultsCookie=${cookie}` : ''}`);
        names.push(...next.result.map((r: any) => r.name));
        if (next.pagedResultsCookie === null) break;
        cookie = next.pagedResultsCookie;
      }
      assert.deepEqual(names, ['Zoo tickets', 'Photo album', 'Bank account']);
      assert.deepEqual((await get('_queryFilter=false')).result, []);
    });

    it('refuses bad queries with CREST errors', async () => {
      const bad = async (query: string, message: RegExp) => assertCrest(await request(s.app, 'GET', sets('alice', query), { headers: session(alice) }), 400, 'Bad Request', message);
      await bad('', /_queryFilter is required/);
      await bad(`_queryFilter=${encodeURIComponent('owner eq "x"')}`, /not queryable/);
      await bad('_queryFilter=true&_sortKeys=owner', /not sortable/);
      await bad('_queryFilter=true&_pageSize=-1', /_pageSize/);
      await bad('_queryFilter=true&_bogus=1', /Unsupported query parameter _bogus/);
      await bad('_queryFilter=true&_queryFilter=false', /repeated/);
      await bad(`_queryFilter=true&search=${'x'.repeat(300)}`, /search/);
    });

    it('reads one resource with the policy that shares it, and 404s another owner\'s', async () => {
      await share('alice', alice, ids.bank, [{ subject: 'bob', scopes: ['view'], conditions: [{ type: 'Expiration', expirationDate: clock.now() + 86_400 }] }]);
      const res = await request(s.app, 'GET', `${BASE}/alice/oauth2/resources/sets/${ids.bank}`, { headers: session(alice) });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.policy._id, ids.bank);
      assert.equal(typeof res.json.policy._rev, 'string');
      assert.deepEqual(res.json.policy.permissions, [{ subject: 'bob', scopes: ['view'], conditions: [{ type: 'Expiration', expirationDate: clock.now() + 86_400 }] }]);
      assertCrest(await request(s.app, 'GET', `${BASE}/alice/oauth2/resources/sets/${ids.notes}`, { headers: session(alice) }), 404, 'Not Found');
      assertCrest(await request(s.app, 'GET', `${BASE}/alice/oauth2/resources/sets/nope`, { headers: session(alice) }), 404, 'Not Found');
    });

    it('is the user\'s own: 401 without credentials, 403 under another user, 405 for writes', async () => {
      assertCrest(await request(s.app, 'GET', sets('alice')), 401, 'Unauthorized');
      assertCrest(await request(s.app, 'GET', sets('alice'), { headers: session(bob) }), 403, 'Forbidden');
      assertCrest(await request(s.app, 'GET', `${BASE}/alice/oauth2/resources/sets/${ids.bank}`, { headers: session(bob) }), 403, 'Forbidden');
      assertCrest(await request(s.app, 'GET', shared('alice'), { headers: session(bob) }), 403, 'Forbidden');
      assertCrest(await request(s.app, 'GET', lookup('alice', 'bob'), { headers: session(bob) }), 403, 'Forbidden');
      assertCrest(await request(s.app, 'DELETE', `${BASE}/alice/oauth2/resources/sets/${ids.bank}`, { headers: session(alice) }), 405, 'Method Not Allowed');
      assertCrest(await request(s.app, 'POST', shared('alice'), { headers: session(alice) }), 405, 'Method Not Allowed');
      assertCrest(await request(s.app, 'GET', '/json/realms/root/realms/nope/users/alice/uma/sharedWithMe', { headers: session(alice) }), 404, 'Not Found');
    });

    it('accepts the user\'s own bearer token with the sharing scope, not one without it', async () => {
      const token = await userAccessToken(s, 'alice');
      assert.equal((await request(s.app, 'GET', sets('alice'), { headers: { authorization: bearer(token) } })).status, 200);
      const signInOnly = await userAccessToken(s, 'alice', 'openid');
      assertCrest(await request(s.app, 'GET', sets('alice'), { headers: { authorization: bearer(signInOnly) } }), 401, 'Unauthorized');
    });

    it('lists what others share with the user: owner, scopes, expiry, client restriction', async () => {
      await share('alice', alice, ids.album, [{ subject: 'bob', scopes: ['download'], conditions: [{ type: 'ClientId', clientIds: ['photoz-client'] }] }]);
      const res = await request(s.app, 'GET', shared('bob'), { headers: session(bob) });
      assert.equal(res.status, 200, res.body);
      // Ordered by resource id (the keyset order of the list).
      assert.deepEqual(res.json.result.map((r: any) => r._id), [ids.bank, ids.album].sort());
      const bank = res.json.result.find((r: any) => r._id === ids.bank);
      const album = res.json.result.find((r: any) => r._id === ids.album);
      assert.equal(bank._id, ids.bank);
      assert.equal(bank.resourceOwner, 'alice');
      assert.deepEqual(bank.sharedBy, ['alice']);
      assert.deepEqual(bank.permissions, ['view']);
      assert.equal(bank.expirationDate, clock.now() + 86_400);
      assert.equal(bank.clientIds, undefined);
      assert.equal(bank.reshareAllowed, true);
      assert.deepEqual(album.clientIds, ['photoz-client']);
      assert.equal(album.expirationDate, undefined);
      // The owner sees none of her own resources there; chris sees nothing yet.
      assert.deepEqual((await request(s.app, 'GET', shared('alice'), { headers: session(alice) })).json.result, []);
      assert.deepEqual((await request(s.app, 'GET', shared('chris'), { headers: session(chris) })).json, { result: [], resultCount: 0, pagedResultsCookie: null, totalPagedResultsPolicy: 'NONE', totalPagedResults: -1, remainingPagedResults: 0 });
    });

    it('shows re-shares to the party named, with who re-shared, and the sharer\'s own re-share', async () => {
      await share('bob', bob, ids.bank, [{ subject: 'chris', scopes: ['view'] }]);
      const chrisList = (await request(s.app, 'GET', shared('chris'), { headers: session(chris) })).json.result;
      assert.deepEqual(chrisList.map((r: any) => [r.name, r.resourceOwner, r.sharedBy, r.permissions]), [['Bank account', 'alice', ['bob'], ['view']]]);
      const bobBank = (await request(s.app, 'GET', shared('bob'), { headers: session(bob) })).json.result.find((r: any) => r._id === ids.bank);
      assert.deepEqual(bobBank.resharedWith, ['chris']);
    });

    it('drops a share once it expires or is revoked', async () => {
      clock.advance(86_400);
      // Sessions last an hour: sign in again after the day has passed.
      [alice, bob, chris] = [await signIn(s, 'alice'), await signIn(s, 'bob'), await signIn(s, 'chris')];
      assert.deepEqual((await request(s.app, 'GET', shared('bob'), { headers: session(bob) })).json.result.map((r: any) => r.name), ['Photo album']);
      assert.deepEqual((await request(s.app, 'GET', shared('chris'), { headers: session(chris) })).json.result, [], 'a re-share holds no more than its sharer');
      assert.equal((await request(s.app, 'DELETE', policyUrl('alice', ids.album), { headers: session(alice) })).status, 200);
      assert.deepEqual((await request(s.app, 'GET', shared('bob'), { headers: session(bob) })).json.result, []);
    });

    it('looks up a person by exact username or e-mail only, revealing nothing else', async () => {
      const find = async (identity: string) => {
        const res = await request(s.app, 'GET', lookup('alice', identity), { headers: session(alice) });
        assert.equal(res.status, 200, res.body);
        return res.json;
      };
      assert.deepEqual(await find('bob'), { found: true, username: 'bob', displayName: 'bob', matchedBy: 'username' });
      assert.deepEqual(await find('bob@example.com'), { found: true, username: 'bob', displayName: 'bob', matchedBy: 'email' });
      assert.deepEqual(await find('BOB@example.com'), { found: true, username: 'bob', displayName: 'bob', matchedBy: 'email' });
      for (const miss of ['Bob', 'bo', 'b', 'bob ', '*', 'bob@example', '@example.com', 'alice', 'nobody@example.com']) {
        assert.deepEqual(await find(miss), miss === 'bob ' ? { found: true, username: 'bob', displayName: 'bob', matchedBy: 'username' } : { found: false }, miss);
      }
      assertCrest(await request(s.app, 'GET', `${BASE}/alice/uma/lookup`, { headers: session(alice) }), 400, 'Bad Request', /identity is required/);
      assertCrest(await request(s.app, 'GET', lookup('alice', 'x'.repeat(300)), { headers: session(alice) }), 400, 'Bad Request');
    });

    it('warns when a found name could be mistaken for another', async () => {
      await addUser(s.deps, 'demo', { username: 'b0b', password: 'Secret-Pass-1' });
      await addUser(s.deps, 'demo', { username: 'bоb', password: 'Secret-Pass-1' }); // Cyrillic о
      const b0b = (await request(s.app, 'GET', lookup('alice', 'b0b'), { headers: session(alice) })).json;
      assert.equal(b0b.found, true);
      assert.match(b0b.warning, /digit 0 or 1/);
      const cyrillic = (await request(s.app, 'GET', lookup('alice', 'bоb'), { headers: session(alice) })).json;
      assert.equal(cyrillic.username, 'bоb');
      assert.match(cyrillic.warning, /another alphabet/);
      assert.equal((await request(s.app, 'GET', lookup('alice', 'bob'), { headers: session(alice) })).json.warning, undefined);
    });

    it('limits lookups per user and window with 429 and Retry-After', async () => {
      const dave = await signIn(s, 'dave');
      let last = await request(s.app, 'GET', lookup('dave', 'bob'), { headers: session(dave) });
      for (let i = 1; i <= 60 && last.status === 200; i++) last = await request(s.app, 'GET', lookup('dave', `x${i}`), { headers: session(dave) });
      assertCrest(last, 429, 'Too Many Requests');
      assert.ok(Number(last.headers['retry-after']) >= 1);
      // Another user is not affected.
      assert.equal((await request(s.app, 'GET', lookup('alice', 'bob'), { headers: session(alice) })).status, 200);
    });

    it('lists the user\'s own access requests to other owners with their state', async () => {
      const w = new UmaWorld(s);
      [alice, bob] = [await signIn(s, 'alice'), await signIn(s, 'bob')];
      assert.deepEqual((await request(s.app, 'GET', `${BASE}/bob/uma/myRequests`, { headers: session(bob) })).json, { result: [], resultCount: 0, pagedResultsCookie: null, totalPagedResultsPolicy: 'NONE', totalPagedResults: -1, remainingPagedResults: 0 });
      const submitted = await w.grantAs('bob', { ticket: await w.ticket('alice', [[ids.zoo, ['view']]]) });
      assert.equal(submitted.json.error, 'request_submitted', submitted.body);
      const mine = async () => (await request(s.app, 'GET', `${BASE}/bob/uma/myRequests`, { headers: session(bob) })).json.result;
      const [pending] = await mine();
      assert.equal(pending.resource, 'Zoo tickets');
      assert.equal(pending.resourceId, ids.zoo);
      assert.equal(pending.owner, 'alice');
      assert.deepEqual(pending.permissions, ['view']);
      assert.equal(pending.status, 'pending');
      assert.equal(pending.when, clock.now() * 1000);
      assert.equal(await s.deps.store.accessRequests.answer('demo', await w.userId('alice'), pending._id, 'denied', clock.now()), true);
      assert.equal((await mine())[0].status, 'denied');
      // The owner does not see it among her own requests; others may not read Bob's list.
      assert.deepEqual((await request(s.app, 'GET', `${BASE}/alice/uma/myRequests`, { headers: session(alice) })).json.result, []);
      assertCrest(await request(s.app, 'GET', `${BASE}/bob/uma/myRequests`, { headers: session(alice) }), 403, 'Forbidden');
      assertCrest(await request(s.app, 'DELETE', `${BASE}/bob/uma/myRequests`, { headers: session(bob) }), 405, 'Method Not Allowed');
    });

    it('finds groups the owner may share with, and lists what is shared with a group to its members', async () => {
      [alice, bob, chris] = [await signIn(s, 'alice'), await signIn(s, 'bob'), await signIn(s, 'chris')];
      const family = await createGroup(s.deps, { realm: 'demo', name: 'family', visible: true });
      await createGroup(s.deps, { realm: 'demo', name: 'secret-club' });
      await addGroupMember(s.deps, { realm: 'demo', groupId: family.id, userId: (await s.deps.store.users.findByUsername('demo', 'chris'))!.id });
      const find = async (identity: string) => (await request(s.app, 'GET', lookup('alice', identity), { headers: session(alice) })).json;
      assert.deepEqual(await find('group:family'), { found: true, username: 'group:family', displayName: 'Group family', matchedBy: 'group' });
      assert.deepEqual(await find('group:secret-club'), { found: false }, 'a hidden group the owner is not in looks unknown');
      assert.deepEqual(await find('group:nope'), { found: false });
      await share('alice', alice, ids.zoo, [{ subject: 'group:family', scopes: ['view'] }]);
      const chrisList = (await request(s.app, 'GET', shared('chris'), { headers: session(chris) })).json.result;
      assert.deepEqual(chrisList.map((r: any) => [r.name, r.resourceOwner, r.permissions]), [['Zoo tickets', 'alice', ['view']]]);
      assert.deepEqual((await request(s.app, 'GET', shared('bob'), { headers: session(bob) })).json.result, []);
    });

    it('signs the console in as its public client: code with PKCE, owner APIs with the token, refresh without a secret', async () => {
      const redirect = `${s.baseUrl}/realms/demo/account/`;
      const { verifier, challenge } = pkcePair();
      const browser = new Browser(s.app);
      const params = { client_id: 'account-console', redirect_uri: redirect, response_type: 'code', scope: 'openid sharing', state: 'st', code_challenge: challenge, code_challenge_method: 'S256' };
      const { hidden } = await browser.authorize(params);
      const back = await browser.submit(hidden, { action: 'allow', username: 'bob', password: DEMO.password });
      assert.equal(back.status, 303, back.body);
      assert.ok(String(back.headers.location).startsWith(redirect));
      const code = locationParams(back).get('code')!;
      const tokens = await postForm(s.app, DEMO.token, { grant_type: 'authorization_code', client_id: 'account-console', code, redirect_uri: redirect, code_verifier: verifier });
      assert.equal(tokens.status, 200, tokens.body);
      assert.equal(tokens.json.scope, 'openid sharing');
      assert.equal(typeof tokens.json.id_token, 'string');
      const mine = await request(s.app, 'GET', sets('bob'), { headers: { authorization: bearer(tokens.json.access_token) } });
      assert.equal(mine.status, 200, mine.body);
      const refreshed = await postForm(s.app, DEMO.token, { grant_type: 'refresh_token', client_id: 'account-console', refresh_token: tokens.json.refresh_token });
      assert.equal(refreshed.status, 200, refreshed.body);
      assert.equal((await request(s.app, 'GET', shared('bob'), { headers: { authorization: bearer(refreshed.json.access_token) } })).status, 200);
      // Without PKCE, or to another redirect URI, the console's client gets nothing.
      const noPkce = await browser.get(`/realms/demo/protocol/openid-connect/auth?${new URLSearchParams({ ...params, code_challenge: '', code_challenge_method: '' }).toString().replace(/&code_challenge=&code_challenge_method=/, '')}`);
      assert.equal(noPkce.status, 302);
      assert.equal(locationParams(noPkce).get('error'), 'invalid_request');
      const elsewhere = await browser.get(`/realms/demo/protocol/openid-connect/auth?${new URLSearchParams({ ...params, redirect_uri: `${s.baseUrl}/realms/demo/account/x` })}`);
      assert.equal(elsewhere.status, 400);
    });

    it('registers the public account-console client in every realm: PKCE, exact redirect URI, no secret', async () => {
      const client = await s.deps.store.clients.get('demo', 'account-console');
      assert.ok(client);
      assert.equal(client.secretHash, null);
      assert.deepEqual(client.redirectUris, [`${s.baseUrl}/realms/demo/account/`]);
      assert.deepEqual(client.grantTypes, ['authorization_code', 'refresh_token']);
    });
  });
}
