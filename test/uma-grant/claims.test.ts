/**
 * Identifying the requesting party in the UMA grant, on both stores: claim tokens (ID tokens),
 * `need_info` with a rotated ticket, PCTs, `request_submitted` with a pending request for the owner,
 * and `request_denied` in a realm without access requests.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { issueAccessToken, UMA_GRANT_TYPE, opaqueKey } from '@steward/core';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, request } from '../helpers/http.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { assertError, ID_TOKEN, payload, STRICT_APP, strictRealm, UmaWorld } from './fixture.ts';
import { accessRequestsOf } from '../../packages/store/test/helpers/lists.ts';

const OTHER = { id: 'other-app', secret: 'other-app-secret' };
const NEED_INFO_CLAIMS = (issuer: string) => [
  {
    claim_token_format: ['http://openid.net/specs/openid-connect-core-1_0.html#IDToken', ID_TOKEN],
    claim_type: 'id_token',
    name: 'sub',
    friendly_name: 'requesting party',
    issuer: [issuer],
  },
];

for (const dialect of dialects) {
  describe(`UMA grant: requesting party and claims (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    const clock = new TestClock();

    before(async () => {
      s = await startTestSteward(dialect, { clock });
      w = new UmaWorld(s);
      await addClient(s.deps, 'demo', { clientId: OTHER.id, secret: OTHER.secret, grantTypes: [UMA_GRANT_TYPE] });
    });
    after(async () => s?.close());

    /** A resource of alice shared with bob for view, and a ticket for it. */
    async function sharedTicket(): Promise<{ r: string; t: string }> {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      return { r, t: await w.ticket('alice', [[r, ['view']]]) };
    }

    function assertNeedInfo(res: Awaited<ReturnType<UmaWorld['grant']>>, old: string): string {
      assertError(res, 403, 'need_info');
      assert.ok(typeof res.json.ticket === 'string' && res.json.ticket.length >= 43);
      assert.notEqual(res.json.ticket, old);
      assert.deepEqual(res.json.required_claims, NEED_INFO_CLAIMS(w.issuer));
      assert.equal(res.json.redirect_user, `${w.issuer}/uma/claims`);
      return res.json.ticket;
    }

    it('answers need_info with a new ticket when the client alone asks for a resource shared with users; the new ticket and an ID token then succeed', async () => {
      const { r, t } = await sharedTicket();
      const next = assertNeedInfo(await w.grant({ ticket: t }), t);
      assertError(await w.grant({ ticket: t }), 400, 'invalid_grant');
      const res = await w.grantAs('bob', { ticket: next });
      assert.equal(res.status, 200, res.body);
      assert.equal(payload(res.json.access_token).sub, await w.userId('bob'));
      assert.deepEqual(payload(res.json.access_token).permissions, [{ resource_id: r, resource_scopes: ['view'] }]);
    });

    it('serves a page, not a 404, at redirect_user', async () => {
      const res = await request(s.app, 'GET', '/realms/demo/uma/claims');
      assert.equal(res.status, 400);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.match(res.body, /client_id is required/);
      assert.equal(res.headers.location, undefined);
    });

    it('answers need_info for an unknown claim_token_format, an ID token of another client, an access token, garbage and an expired ID token', async () => {
      const bobs = await w.idToken('bob');
      const forRs = await w.idToken('bob', DEMO.rs.id);
      const realm = await s.deps.store.realms.get('demo');
      const client = await s.deps.store.clients.get('demo', DEMO.client.id);
      assert.ok(realm && client);
      const access = (await issueAccessToken(s.deps, { realm, client, subject: await w.userId('bob'), scope: 'openid', grantId: 'g' })).token;
      const cases: Array<[string, string]> = [
        [bobs, 'urn:ietf:params:oauth:token-type:saml2'],
        [forRs, ID_TOKEN],
        [access, ID_TOKEN],
        ['not.a.jwt', ID_TOKEN],
      ];
      for (const [claim_token, claim_token_format] of cases) {
        const { t } = await sharedTicket();
        const next = assertNeedInfo(await w.grant({ ticket: t, claim_token, claim_token_format }), t);
        assert.equal((await w.grantAs('bob', { ticket: next })).status, 200, claim_token_format);
      }
      const stale = await w.idToken('bob');
      clock.advance(301);
      const { t } = await sharedTicket();
      assertNeedInfo(await w.grant({ ticket: t, claim_token: stale, claim_token_format: ID_TOKEN }), t);
    });

    it('accepts the PCT it issued in place of a claim token, and refuses another client’s PCT', async () => {
      const first = await w.grantAs('bob', { ticket: (await sharedTicket()).t });
      assert.equal(first.status, 200, first.body);
      const pct = first.json.pct;
      const again = await w.grant({ ticket: (await sharedTicket()).t, pct });
      assert.equal(again.status, 200, again.body);
      assert.equal(payload(again.json.access_token).sub, await w.userId('bob'));
      assert.equal(again.json.pct, pct);
      assertError(await w.grant({ ticket: (await sharedTicket()).t, pct }, OTHER), 400, 'invalid_grant');
    });

    it('treats an unknown or revoked PCT as absent', async () => {
      const { t } = await sharedTicket();
      assertNeedInfo(await w.grant({ ticket: t, pct: 'no-such-pct' }), t);
      const first = await w.grantAs('bob', { ticket: (await sharedTicket()).t });
      assert.ok(await s.deps.store.tokens.revoke('demo', opaqueKey(s.deps, first.json.pct)));
      const { t: t2 } = await sharedTicket();
      assertNeedInfo(await w.grant({ ticket: t2, pct: first.json.pct }), t2);
    });

    it('treats a PCT whose user no longer exists as absent', async () => {
      const pct = 'pct-of-a-user-who-is-gone';
      const now = s.deps.clock.now();
      await s.deps.store.tokens.insert({
        realm: 'demo', id: opaqueKey(s.deps, pct), kind: 'pct', clientId: DEMO.client.id, subject: 'gone-user-id', grantId: 'g-gone',
        createdAt: now, expiresAt: now + 3600, revoked: false, data: { claims: { sub: 'gone-user-id', preferred_username: 'bob' } },
      });
      const { t } = await sharedTicket();
      assertNeedInfo(await w.grant({ ticket: t, pct }), t);
    });

    it('answers request_submitted, records one pending request however often asked, and grants once the owner approves', async () => {
      const r = await w.resource('alice', ['view', 'print']);
      const t = await w.ticket('alice', [[r, ['view', 'print']]]);
      const res = await w.grantAs('bob', { ticket: t });
      assertError(res, 403, 'request_submitted');
      assert.equal(res.json.interval, 5);
      assert.ok(res.json.ticket && res.json.ticket !== t);
      assert.equal(res.json.required_claims, undefined);
      const again = await w.grant({ ticket: res.json.ticket });
      assertError(again, 403, 'request_submitted');
      assert.notEqual(again.json.ticket, res.json.ticket);
      const pending = await accessRequestsOf(s.deps.store, 'demo', await w.userId('alice'), 'pending');
      const mine = pending.filter((p) => p.resourceId === r);
      assert.equal(mine.length, 1);
      assert.deepEqual(mine[0]!.scopes, ['view', 'print']);
      assert.equal(mine[0]!.requester, await w.userId('bob'));
      assert.equal(mine[0]!.clientId, DEMO.client.id);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view', 'print'] }]);
      // Polling with the successor alone is enough: it remembers who asked.
      const granted = await w.grant({ ticket: again.json.ticket });
      assert.equal(granted.status, 200, granted.body);
      assert.equal(payload(granted.json.access_token).sub, await w.userId('bob'));
      assert.deepEqual(payload(granted.json.access_token).permissions, [{ resource_id: r, resource_scopes: ['view', 'print'] }]);
    });

    it('ignores claims a successor ticket gathered for another client', async () => {
      const r = await w.resource('alice', ['view']);
      const submitted = await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view']]]) });
      assertError(submitted, 403, 'request_submitted');
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      assertNeedInfo(await w.grant({ ticket: submitted.json.ticket }, OTHER), submitted.json.ticket);
    });
  });

  describe(`UMA grant in a realm without access requests (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    const APP = STRICT_APP;

    before(async () => {
      s = await startTestSteward(dialect);
      w = await strictRealm(s);
    });
    after(async () => s?.close());

    it('answers request_denied without a ticket, and records nothing', async () => {
      const r = await w.resource('alice', ['view']);
      for (const res of [await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view']]]) }, APP), await w.grant({ ticket: await w.ticket('alice', [[r, ['view']]]) }, APP)]) {
        assertError(res, 403, 'request_denied');
        assert.equal(res.json.ticket, undefined);
      }
      assert.deepEqual(await accessRequestsOf(s.deps.store, 'strict', await w.userId('alice')), []);
    });

    it('still grants what a policy shares', async () => {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view']]]) }, APP);
      assert.equal(res.status, 200, res.body);
      assert.equal(payload(res.json.access_token).iss, s.deps.issuer('strict'));
    });
  });
}
