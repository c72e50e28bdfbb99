/**
 * Bad input at the claims interaction endpoint, on both stores (UMA Grant §3.3.2, §5.1, §5.5): a wrong
 * client or claims redirect URI is a page and never a redirect; a missing, forged or replayed CSRF token
 * is a 403 page that reads and spends nothing; a bad ticket goes back to the client as an error; and
 * in every case nothing is granted by mistake.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UMA_GRANT_TYPE } from '@steward/core';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO } from '../helpers/http.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { assertError, STRICT_APP, strictRealm, UmaWorld } from '../uma-grant/fixture.ts';
import { assertPage, CALLBACK, CLAIMS, claimsUrl, gatherClaims, Jar, location, signIn, signInPage } from './fixture.ts';

const NO_UMA = { id: 'no-uma', secret: 'no-uma-secret' };
const NO_CALLBACKS = { id: 'no-callbacks', secret: 'no-callbacks-secret' };

for (const dialect of dialects) {
  describe(`claims gathering: bad input (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    const clock = new TestClock();

    before(async () => {
      s = await startTestSteward(dialect, { clock });
      w = new UmaWorld(s);
      await addClient(s.deps, 'demo', { clientId: NO_UMA.id, secret: NO_UMA.secret, grantTypes: ['client_credentials'], claimsRedirectUris: ['https://no-uma.example/cb'] });
      await addClient(s.deps, 'demo', { clientId: NO_CALLBACKS.id, secret: NO_CALLBACKS.secret, grantTypes: [UMA_GRANT_TYPE], redirectUris: ['https://no-callbacks.example/cb'] });
    });
    after(async () => s?.close());

    /** A need_info ticket for a resource of alice shared with bob. */
    async function needInfo(): Promise<string> {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const res = await w.grant({ ticket: await w.ticket('alice', [[r, ['view']]]) });
      assertError(res, 403, 'need_info');
      return res.json.ticket;
    }

    /** The ticket was neither spent nor granted: presenting it at the token endpoint still says need_info. */
    async function assertUnspent(t: string): Promise<void> {
      assertError(await w.grant({ ticket: t }), 403, 'need_info');
    }

    it('shows a page, never a redirect, for a missing, unknown or repeated client', async () => {
      const t = await needInfo();
      const urls = [
        claimsUrl({ ticket: t, claims_redirect_uri: CALLBACK, state: 's' }),
        claimsUrl({ client_id: 'nobody', ticket: t, claims_redirect_uri: CALLBACK, state: 's' }),
        claimsUrl({ client_id: DEMO.client.id.toUpperCase(), ticket: t, claims_redirect_uri: CALLBACK }),
        claimsUrl({ client_id: 'x'.repeat(300), ticket: t, claims_redirect_uri: CALLBACK }),
        `${claimsUrl({ client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK })}&client_id=${DEMO.client.id}`,
      ];
      for (const url of urls) assertPage(await new Jar(s.app).request('GET', url), 400, /Cannot continue/);
      await assertUnspent(t);
    });

    it('shows a page, never a redirect, for a claims redirect URI that is not exactly registered, and spends nothing', async () => {
      const t = await needInfo();
      const nearMisses = [
        'https://evil.example/claims-callback',
        'https://evil.example/?next=http://127.0.0.1:3001/claims-callback',
        `${CALLBACK}/`,
        `${CALLBACK}x`,
        `${CALLBACK}/extra`,
        `${CALLBACK}?x=1`,
        `${CALLBACK}#fragment`,
        `${CALLBACK}%2F..`,
        ` ${CALLBACK}`,
        CALLBACK.slice(0, -1),
        CALLBACK.replace('http:', 'HTTP:'),
        CALLBACK.replace('claims-callback', 'Claims-Callback'),
        CALLBACK.replace('127.0.0.1:3001', '127.0.0.1:30011'),
        CALLBACK.replace('127.0.0.1:3001', '127.0.0.1:3001.evil.example'),
        CALLBACK.replace('http://', 'http://evil.example@'),
        CALLBACK.replace('http:', 'https:'),
        '//127.0.0.1:3001/claims-callback',
        '/claims-callback',
        // An ordinary redirect URI of the same client is not a claims redirect URI.
        'http://127.0.0.1:3001/callback',
      ];
      for (const uri of nearMisses) {
        const res = await new Jar(s.app).request('GET', claimsUrl({ client_id: DEMO.client.id, ticket: t, claims_redirect_uri: uri, state: 's' }));
        assertPage(res, 400, /claims_redirect_uri is not registered/);
        assert.ok(!res.body.includes('evil.example'), 'the page does not link to the URI');
      }
      const pages = [
        // Two registered: one must be named. None registered: nothing to fall back on.
        claimsUrl({ client_id: DEMO.client.id, ticket: t }),
        claimsUrl({ client_id: NO_CALLBACKS.id, ticket: t }),
        claimsUrl({ client_id: NO_CALLBACKS.id, ticket: t, claims_redirect_uri: 'https://no-callbacks.example/cb' }),
        `${claimsUrl({ client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK })}&claims_redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
      ];
      for (const url of pages) assertPage(await new Jar(s.app).request('GET', url), 400);

      // The same checks on the form: a page, and the ticket is not spent even with a valid CSRF token.
      const jar = new Jar(s.app);
      const fields = await signInPage(jar, { client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK });
      const consent = await signIn(jar, fields);
      assertPage(await jar.request('POST', CLAIMS, { ...consent, claims_redirect_uri: 'https://evil.example/cb', action: 'allow' }), 400);
      assertPage(await jar.request('POST', CLAIMS, { ...consent, claims_redirect_uri: 'https://evil.example/cb', action: 'deny' }), 400);
      assertPage(await jar.request('POST', CLAIMS, { ...consent, client_id: 'nobody', action: 'allow' }), 400);
      await assertUnspent(t);
    });

    it('refuses a missing, forged or foreign CSRF token with a 403 page, signing in no one and spending nothing', async () => {
      const t = await needInfo();
      const jar = new Jar(s.app);
      const fields = await signInPage(jar, { client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK });
      const csrf = fields.csrf!;
      const forged = 'A'.repeat(43);
      const attempts: Array<[string, Record<string, string | undefined>, Record<string, string>]> = [
        ['no field', { ...fields, csrf: undefined }, {}],
        ['a forged field', { ...fields, csrf: forged }, {}],
        ['a field one character off', { ...fields, csrf: csrf.slice(0, -1) + (csrf.endsWith('A') ? 'B' : 'A') }, {}],
        // A cross-site form cannot read the cookie: it brings its own token and none of ours.
        ['no cookie', fields, { cookie: '' }],
        ['a forged cookie and field pair from another browser', { ...fields, csrf: forged }, { cookie: `steward_claims_csrf_demo=${'B'.repeat(43)}` }],
        ['the cookie of another path', fields, { cookie: `steward_csrf_demo=${csrf}` }],
      ];
      for (const [what, form, headers] of attempts) {
        const other = new Jar(s.app);
        const target = headers.cookie === undefined ? jar : other;
        for (const action of ['signin', 'allow', 'deny']) {
          const res = await target.request('POST', CLAIMS, { ...form, action, username: 'bob', password: DEMO.password }, headers);
          assertPage(res, 403, /could not be verified/);
          assert.equal(res.headers['set-cookie'], undefined, `${what} (${action}): no cookie set`);
        }
      }
      assert.equal(jar.get('steward_session_demo'), undefined, 'no one signed in');
      await assertUnspent(t);
    });

    it('refuses a replayed form: the answer clears the CSRF cookie, and a replay with the old cookie finds the ticket spent', async () => {
      const t = await needInfo();
      const jar = new Jar(s.app);
      const consent = await signIn(jar, await signInPage(jar, { client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK }));
      const back = location(await jar.request('POST', CLAIMS, { ...consent, action: 'allow' }));
      const next = back.searchParams.get('ticket');
      assert.ok(next);
      assertPage(await jar.request('POST', CLAIMS, { ...consent, action: 'allow' }), 403, /could not be verified/);
      // Replayed with the old cookie as well: the ticket is gone, the client hears so, no new ticket.
      jar.set('steward_claims_csrf_demo', consent.csrf!, CLAIMS);
      const replay = location(await jar.request('POST', CLAIMS, { ...consent, action: 'allow' }));
      assert.equal(replay.origin + replay.pathname, CALLBACK);
      assert.equal(replay.searchParams.get('error'), 'invalid_request');
      assert.match(replay.searchParams.get('error_description')!, /unknown, expired or already used/);
      assert.equal(replay.searchParams.get('ticket'), null);
      // The one successor still works, once.
      const granted = await w.grant({ ticket: next });
      assert.equal(granted.status, 200, granted.body);
    });

    it('answers a double submission (two confirms at once) with exactly one successor ticket', async () => {
      const t = await needInfo();
      const jar = new Jar(s.app);
      const consent = await signIn(jar, await signInPage(jar, { client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK }));
      const answers = await Promise.all([0, 1, 2].map(() => jar.request('POST', CLAIMS, { ...consent, action: 'allow' })));
      const tickets = answers.map((res) => location(res).searchParams.get('ticket')).filter((x) => x !== null);
      assert.equal(tickets.length, 1, 'one successor');
      assert.equal(answers.filter((res) => location(res).searchParams.get('error') === 'invalid_request').length, 2);
      assert.equal((await w.grant({ ticket: tickets[0]! })).status, 200);
    });

    it('sends a missing, unknown, spent or foreign-realm ticket back to the client as invalid_request, with state', async () => {
      const jar = new Jar(s.app);
      const strict = await strictRealm(s);
      const foreign = await strict.ticket('alice', [[await strict.resource('alice', ['view']), ['view']]]);
      const spent = await needInfo();
      assertError(await w.grant({ ticket: spent }), 403, 'need_info');
      for (const ticket of [undefined, 'no-such-ticket', spent, foreign, 'x'.repeat(600)]) {
        const back = location(await jar.request('GET', claimsUrl({ client_id: DEMO.client.id, ticket, claims_redirect_uri: CALLBACK, state: 'keep' })), 302);
        assert.equal(back.origin + back.pathname, CALLBACK);
        assert.equal(back.searchParams.get('error'), 'invalid_request');
        assert.equal(back.searchParams.get('state'), 'keep');
        assert.equal(back.searchParams.get('ticket'), null);
        assert.match(back.searchParams.get('error_description')!, ticket === undefined ? /ticket is required/ : /unknown, expired or already used/);
      }
      // The other realm's ticket is untouched there.
      assertError(await strict.grant({ ticket: foreign }, STRICT_APP), 403, 'request_denied');
    });

    it('sends other errors after a valid claims redirect URI back to the client: a client without the UMA grant, a repeated parameter, an overlong state', async () => {
      const t = await needInfo();
      const jar = new Jar(s.app);
      const noUma = location(await jar.request('GET', claimsUrl({ client_id: NO_UMA.id, ticket: t, state: 'z' })), 302);
      assert.equal(String(noUma).split('?')[0], 'https://no-uma.example/cb');
      assert.equal(noUma.searchParams.get('error'), 'unauthorized_client');
      assert.equal(noUma.searchParams.get('state'), 'z');
      const repeated = location(await jar.request('GET', `${claimsUrl({ client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK })}&ticket=${t}`), 302);
      assert.equal(repeated.searchParams.get('error'), 'invalid_request');
      const long = location(await jar.request('GET', claimsUrl({ client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK, state: 's'.repeat(2049) })), 302);
      assert.equal(long.searchParams.get('error'), 'invalid_request');
      assert.equal(long.searchParams.get('state'), null);
      await assertUnspent(t);
    });

    it('asks again for a wrong password or a missing session, refuses an unknown action, and escapes what it echoes', async () => {
      const t = await needInfo();
      const jar = new Jar(s.app);
      const fields = await signInPage(jar, { client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK, state: '"><script>alert(1)</script>' });
      const wrong = await jar.request('POST', CLAIMS, { ...fields, action: 'signin', username: 'bob<b>', password: 'wrong' });
      assertPage(wrong, 401, /Invalid username or password/);
      assert.ok(!wrong.body.includes('<script>') && !wrong.body.includes('bob<b>'), 'escaped');
      assert.match(wrong.body, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
      assert.equal(jar.get('steward_session_demo'), undefined);
      assertPage(await jar.request('POST', CLAIMS, { ...fields, action: 'signin' }), 401, /Please sign in/);
      assertPage(await jar.request('POST', CLAIMS, { ...fields, action: 'allow' }), 401, /Please sign in/);
      assertPage(await jar.request('POST', CLAIMS, { ...fields, action: 'grant-everything' }), 400, /Unknown action/);
      assertPage(await jar.request('POST', CLAIMS, { ...fields }), 400, /Unknown action/);
      const notForm = await jar.app.inject({ method: 'POST', url: CLAIMS, payload: '{}', headers: { 'content-type': 'application/json' } });
      assert.equal(notForm.statusCode, 400);
      assert.match(String(notForm.headers['content-type']), /^text\/html/);
      assertPage(await jar.request('GET', '/realms/nowhere/uma/claims'), 404);
      await assertUnspent(t);
    });

    // Moves the clock: keep last.
    it('sends a ticket that expired while the page was open back as an error, and grants nothing', async () => {
      const t = await needInfo();
      const jar = new Jar(s.app);
      const consent = await signIn(jar, await signInPage(jar, { client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK, state: 'late' }));
      const realm = await s.deps.store.realms.get('demo');
      clock.advance(realm!.settings.ticketLifetime);
      const back = location(await jar.request('POST', CLAIMS, { ...consent, action: 'allow', remember: 'yes' }));
      assert.equal(back.searchParams.get('error'), 'invalid_request');
      assert.equal(back.searchParams.get('state'), 'late');
      assert.equal(back.searchParams.get('ticket'), null);
      assertError(await w.grant({ ticket: t }), 400, 'invalid_grant');
      // A fresh one still works end to end.
      const fresh = await gatherClaims(jar, { client_id: DEMO.client.id, ticket: await needInfo(), claims_redirect_uri: CALLBACK });
      assert.equal((await w.grant({ ticket: fresh.searchParams.get('ticket')! })).status, 200);
    });
  });
}
