/**
 * Interactive claims gathering by plain HTTP with a cookie jar, on both stores (UMA Grant §3.3.2,
 * §3.3.3, §3.3.5): need_info sends the user to the claims interaction endpoint; she signs in and
 * confirms; the client trades the new ticket for an RPT naming her; with her consent the grant also
 * returns a PCT, which later stands in for the claims, only for its own client, until revoked or expired.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UMA_GRANT_TYPE } from '@steward/core';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm, request } from '../helpers/http.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { assertError, payload, UmaWorld, type ClientCreds } from '../uma-grant/fixture.ts';
import { assertPage, CALLBACK, CLAIMS, claimsUrl, gatherClaims, hiddenFields, Jar, location, signIn, signInPage } from './fixture.ts';
import { accessRequestsOf } from '../../packages/store/test/helpers/lists.ts';

const OTHER = { id: 'other-app', secret: 'other-app-secret' };
const SINGLE = { id: 'single-app', secret: 'single-app-secret' };
const SINGLE_CALLBACK = 'https://app.example/claims/cb?from=steward';

for (const dialect of dialects) {
  describe(`claims gathering over HTTP (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    const clock = new TestClock();

    before(async () => {
      s = await startTestSteward(dialect, { clock });
      w = new UmaWorld(s);
      await addClient(s.deps, 'demo', { clientId: OTHER.id, secret: OTHER.secret, grantTypes: [UMA_GRANT_TYPE], claimsRedirectUris: ['https://other.example/cb'] });
      await addClient(s.deps, 'demo', { clientId: SINGLE.id, secret: SINGLE.secret, name: 'Single <App>', grantTypes: [UMA_GRANT_TYPE], claimsRedirectUris: [SINGLE_CALLBACK] });
    });
    after(async () => s?.close());

    /** A resource of alice shared with bob for view, and the need_info ticket the client alone gets for it. */
    async function needInfo(client: ClientCreds = DEMO.client, name?: string): Promise<{ r: string; t: string; redirectUser: string }> {
      const r = await w.resource('alice', ['view'], name);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const res = await w.grant({ ticket: await w.ticket('alice', [[r, ['view']]]) }, client);
      assertError(res, 403, 'need_info');
      return { r, t: res.json.ticket, redirectUser: res.json.redirect_user };
    }

    it('sends the user from need_info through sign-in and consent back to the client with a new ticket, which gets an RPT naming her', async () => {
      const { r, t, redirectUser } = await needInfo(DEMO.client, 'Holiday photos');
      const discovery = await request(s.app, 'GET', '/realms/demo/.well-known/uma2-configuration');
      assert.equal(redirectUser, `${w.issuer}/uma/claims`);
      assert.equal(discovery.json.claims_interaction_endpoint, redirectUser);

      const jar = new Jar(s.app);
      const page = await jar.request('GET', claimsUrl({ client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK, state: 'st-1' }));
      assertPage(page, 200, /Sign in to continue/);
      assert.match(page.body, /Photoz client/);
      assert.doesNotMatch(page.body, /alice|Holiday photos/, 'the owner and her resources are shown only once signed in');
      assert.match(String(page.headers['content-security-policy']), /form-action 'self' http:\/\/127\.0\.0\.1:3001;/);
      assert.equal(page.headers['cache-control'], 'no-store');
      assert.ok(jar.get('steward_claims_csrf_demo'), 'the page sets its CSRF cookie');
      assert.equal(jar.cookies.get('steward_claims_csrf_demo')?.path, CLAIMS);

      const consent = await signIn(jar, hiddenFields(page.body));
      assert.ok(jar.get('steward_session_demo'), 'signing in opens a session');
      const back = location(await jar.request('POST', CLAIMS, { ...consent, action: 'allow' }));
      assert.equal(back.origin + back.pathname, CALLBACK);
      assert.deepEqual([...back.searchParams.keys()], ['authorization_state', 'ticket', 'state']);
      assert.equal(back.searchParams.get('authorization_state'), 'claims_submitted');
      assert.equal(back.searchParams.get('state'), 'st-1');
      const next = back.searchParams.get('ticket')!;
      assert.match(next, /^[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
      assert.notEqual(next, t);
      assert.equal(jar.get('steward_claims_csrf_demo'), undefined, 'the answer ends the form');

      assertError(await w.grant({ ticket: t }), 400, 'invalid_grant');
      const granted = await w.grant({ ticket: next });
      assert.equal(granted.status, 200, granted.body);
      const rpt = payload(granted.json.access_token);
      assert.equal(rpt.sub, await w.userId('bob'));
      assert.deepEqual(rpt.permissions, [{ resource_id: r, resource_scopes: ['view'] }]);
      assert.ok(granted.json.refresh_token);
      assert.equal(granted.json.pct, undefined, 'no PCT without consent to be remembered');
      assertError(await w.grant({ ticket: next }), 400, 'invalid_grant');
    });

    it('returns a PCT with consent: bound to the client, lasting the realm\'s pctLifetime, standing in for the claims, revocable', async () => {
      const { t } = await needInfo();
      const back = await gatherClaims(new Jar(s.app), { client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK }, { remember: true });
      assert.equal(back.searchParams.get('state'), null, 'no state sent, none returned');
      const granted = await w.grant({ ticket: back.searchParams.get('ticket')! });
      assert.equal(granted.status, 200, granted.body);
      const pct = granted.json.pct;
      assert.match(pct, /^[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
      const record = await w.record(pct);
      const realm = await s.deps.store.realms.get('demo');
      assert.equal(record?.kind, 'pct');
      assert.equal(record?.clientId, DEMO.client.id);
      assert.equal(record?.subject, await w.userId('bob'));
      assert.equal(record!.expiresAt - record!.createdAt, realm!.settings.pctLifetime);

      // Next time the client brings the PCT instead of sending bob through the pages again.
      const { r: r2 } = await needInfo();
      const again = await w.grant({ ticket: await w.ticket('alice', [[r2, ['view']]]), pct });
      assert.equal(again.status, 200, again.body);
      assert.equal(payload(again.json.access_token).sub, await w.userId('bob'));
      assert.equal(again.json.pct, pct);

      // Another client cannot use it.
      assertError(await w.grant({ ticket: await w.ticket('alice', [[r2, ['view']]]), pct }, OTHER), 400, 'invalid_grant');
      assertError(await postForm(s.app, DEMO.revoke, { token: pct, token_type_hint: 'pct' }, { authorization: basic(OTHER.id, OTHER.secret) }), 400, 'unauthorized_client');

      // Revoked by its client: it identifies nobody any more, and nothing is granted.
      const revoked = await postForm(s.app, DEMO.revoke, { token: pct, token_type_hint: 'pct' }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
      assert.equal(revoked.status, 200, revoked.body);
      assertError(await w.grant({ ticket: await w.ticket('alice', [[r2, ['view']]]), pct }), 403, 'need_info');
    });

    it('takes a signed-in browser straight to the consent page; the claims of whoever confirms are what the grant assesses', async () => {
      const jar = new Jar(s.app);
      const first = await needInfo();
      await signIn(jar, await signInPage(jar, { client_id: DEMO.client.id, ticket: first.t, claims_redirect_uri: CALLBACK }), 'chris');
      const consent = await jar.request('GET', claimsUrl({ client_id: DEMO.client.id, ticket: first.t, claims_redirect_uri: CALLBACK }));
      assertPage(consent, 200, /Signed in as <strong>chris<\/strong>/);
      const back = location(await jar.request('POST', CLAIMS, { ...hiddenFields(consent.body), action: 'allow' }));
      // chris is not shared with: the owner is asked (demo records access requests).
      const res = await w.grant({ ticket: back.searchParams.get('ticket')! });
      assertError(res, 403, 'request_submitted');
      const pending = await accessRequestsOf(s.deps.store, 'demo', await w.userId('alice'), 'pending');
      const chris = await w.userId('chris');
      assert.ok(pending.some((p) => p.resourceId === first.r && p.requester === chris && p.clientId === DEMO.client.id), 'a pending request by chris');
    });

    it('sends access_denied when the user refuses, and spends the ticket', async () => {
      const jar = new Jar(s.app);
      const { t } = await needInfo();
      const consent = await signIn(jar, await signInPage(jar, { client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK, state: 'no' }));
      const back = location(await jar.request('POST', CLAIMS, { ...consent, action: 'deny' }));
      assert.equal(back.origin + back.pathname, CALLBACK);
      assert.equal(back.searchParams.get('error'), 'access_denied');
      assert.equal(back.searchParams.get('state'), 'no');
      assert.equal(back.searchParams.get('ticket'), null);
      assertError(await w.grant({ ticket: t }), 400, 'invalid_grant');
    });

    it('cancels from the sign-in page the same way, without signing in', async () => {
      const jar = new Jar(s.app);
      const { t } = await needInfo();
      const fields = await signInPage(jar, { client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK });
      const back = location(await jar.request('POST', CLAIMS, { ...fields, action: 'deny' }));
      assert.equal(back.searchParams.get('error'), 'access_denied');
      assert.equal(jar.get('steward_session_demo'), undefined);
      assertError(await w.grant({ ticket: t }), 400, 'invalid_grant');
    });

    it('uses the only registered claims redirect URI when none is sent, keeping its query; the claims serve that client only', async () => {
      const { t } = await needInfo(SINGLE);
      const jar = new Jar(s.app);
      const page = await jar.request('GET', claimsUrl({ client_id: SINGLE.id, ticket: t, state: 'a b&c' }));
      assertPage(page, 200, /Single &lt;App&gt;/);
      const consent = await signIn(jar, hiddenFields(page.body));
      const back = location(await jar.request('POST', CLAIMS, { ...consent, action: 'allow' }));
      assert.equal(back.origin + back.pathname, 'https://app.example/claims/cb');
      assert.equal(back.searchParams.get('from'), 'steward');
      assert.equal(back.searchParams.get('state'), 'a b&c');
      assert.ok(String(back).startsWith(`${SINGLE_CALLBACK}&authorization_state=claims_submitted&ticket=`));
      // Gathered for single-app: photoz-client presenting that ticket is treated as anonymous.
      assertError(await w.grant({ ticket: back.searchParams.get('ticket')! }, DEMO.client), 403, 'need_info');

      const second = await needInfo(SINGLE);
      const again = await gatherClaims(jar, { client_id: SINGLE.id, ticket: second.t });
      const granted = await w.grant({ ticket: again.searchParams.get('ticket')! }, SINGLE);
      assert.equal(granted.status, 200, granted.body);
      assert.equal(payload(granted.json.access_token).sub, await w.userId('bob'));
    });

    it('works for a public client with a registered claims redirect URI; its PCT is bound to it like any other', async () => {
      const PUBLIC: ClientCreds = { id: 'public-app' };
      await addClient(s.deps, 'demo', { clientId: PUBLIC.id, grantTypes: [UMA_GRANT_TYPE], claimsRedirectUris: ['http://127.0.0.1:3002/cb'] });
      const { r, t } = await needInfo(PUBLIC);
      const back = await gatherClaims(new Jar(s.app), { client_id: PUBLIC.id, ticket: t }, { remember: true });
      assert.equal(back.origin + back.pathname, 'http://127.0.0.1:3002/cb');
      const granted = await w.grant({ ticket: back.searchParams.get('ticket')! }, PUBLIC);
      assert.equal(granted.status, 200, granted.body);
      assert.ok(granted.json.pct);
      assertError(await w.grant({ ticket: await w.ticket('alice', [[r, ['view']]]), pct: granted.json.pct }), 400, 'invalid_grant');
      const again = await w.grant({ ticket: await w.ticket('alice', [[r, ['view']]]), pct: granted.json.pct }, PUBLIC);
      assert.equal(again.status, 200, again.body);
    });

    // Moves the clock: keep last.
    it('no longer accepts a PCT once it has expired', async () => {
      const { t } = await needInfo();
      const back = await gatherClaims(new Jar(s.app), { client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK }, { remember: true });
      const pct = (await w.grant({ ticket: back.searchParams.get('ticket')! })).json.pct;
      assert.ok(pct);
      const realm = await s.deps.store.realms.get('demo');
      clock.advance(realm!.settings.pctLifetime);
      const { r } = await needInfo();
      const res = await w.grant({ ticket: await w.ticket('alice', [[r, ['view']]]), pct });
      assertError(res, 403, 'need_info');
    });
  });
}
