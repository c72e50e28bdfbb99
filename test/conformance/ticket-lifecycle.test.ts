/**
 * Conformance gaps of the UMA grant at the token endpoint, on both stores: a ticket is spent by any
 * presentation (UMA Grant §5.5), a successor ticket comes only with need_info / request_submitted
 * (§3.3.6), empty parameters count as omitted (RFC 6749 §3.2), confidential clients authenticate
 * (§2.3), the success response's headers and its PCT (§3.3.5, §5.4), error_description's character set
 * (RFC 6749 §5.2), and the owner's approval through her policy API followed by polling (§3.3.6).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, postForm, request, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { policyUrl, session, signIn } from '../owner-policies/fixture.ts';
import { assertError, ID_TOKEN, payload, rptPermissions, STRICT_APP, strictRealm, UMA, UmaWorld } from '../uma-grant/fixture.ts';

/** RFC 6749 §5.2: error and error_description use only %x20-21 / %x23-5B / %x5D-7E. */
const ERROR_CHARS = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

/** An error that hands out no successor ticket (UMA Grant §3.3.6: only need_info and request_submitted do). */
function assertNoTicket(res: Reply, status: number, error: string): void {
  assertError(res, status, error);
  assert.equal(res.json.ticket, undefined, res.body);
  assert.equal(res.headers.pragma, 'no-cache');
}

for (const dialect of dialects) {
  describe(`conformance: tickets at the token endpoint (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;

    before(async () => {
      s = await startTestSteward(dialect);
      w = new UmaWorld(s);
    });
    after(async () => s?.close());

    /** A resource of alice shared with bob for view, and a ticket for it. */
    async function sharedTicket(): Promise<{ r: string; t: string }> {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      return { r, t: await w.ticket('alice', [[r, ['view']]]) };
    }

    it('spends the presented ticket on request_submitted: presenting it again is invalid_grant', async () => {
      const r = await w.resource('alice', ['view']);
      const t = await w.ticket('alice', [[r, ['view']]]);
      const submitted = await w.grantAs('bob', { ticket: t });
      assertError(submitted, 403, 'request_submitted');
      assert.notEqual(submitted.json.ticket, t);
      assertNoTicket(await w.grantAs('bob', { ticket: t }), 400, 'invalid_grant');
    });

    it('answers invalid_request, invalid_grant and invalid_scope without a successor ticket', async () => {
      assertNoTicket(await w.grantAs('bob', {}), 400, 'invalid_request');
      assertNoTicket(await w.grantAs('bob', { ticket: 'no-such-ticket' }), 400, 'invalid_grant');
      const { t } = await sharedTicket();
      assertNoTicket(await w.grantAs('bob', { ticket: t, scope: 'delete' }), 400, 'invalid_scope');
    });

    it('treats parameters sent without a value as omitted: an empty ticket is missing; empty scope, rpt and pct are ignored', async () => {
      assertNoTicket(await w.grantAs('bob', { ticket: '' }), 400, 'invalid_request');
      const { r, t } = await sharedTicket();
      const res = await w.grantAs('bob', { ticket: t, scope: '', rpt: '', pct: '' });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.upgraded, undefined);
      assert.deepEqual(rptPermissions(res.json.access_token), [[r, ['view']]]);
    });

    it('requires a confidential client to authenticate: its client_id alone is invalid_client', async () => {
      const { t } = await sharedTicket();
      const res = await postForm(s.app, DEMO.token, { grant_type: UMA, client_id: DEMO.client.id, ticket: t, claim_token: await w.idToken('bob'), claim_token_format: ID_TOKEN });
      assertNoTicket(res, 401, 'invalid_client');
      assert.equal(res.json.access_token, undefined);
    });

    it('answers a granted RPT as JSON with Cache-Control: no-store and Pragma: no-cache, and a PCT that is opaque and unguessable', async () => {
      const first = await w.grantAs('bob', { ticket: (await sharedTicket()).t });
      assert.equal(first.status, 200, first.body);
      assert.match(String(first.headers['content-type']), /^application\/json/);
      assert.match(String(first.headers['cache-control']), /no-store/);
      assert.equal(first.headers.pragma, 'no-cache');
      // {time-ordered id}.{43 base64url characters: 256 bits}; an opaque string discloses no claims of the party.
      assert.match(first.json.pct, /^[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
      const second = await w.grantAs('bob', { ticket: (await sharedTicket()).t });
      assert.match(second.json.pct, /^[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
      assert.notEqual(second.json.pct, first.json.pct);
    });

    it('keeps error_description within the characters RFC 6749 §5.2 allows when it echoes a requested scope', async () => {
      const { t } = await sharedTicket();
      const res = await w.grantAs('bob', { ticket: t, scope: 'vi"ew\\ caf\u00e9 \u2603' });
      assertNoTicket(res, 400, 'invalid_scope');
      assert.match(res.json.error, ERROR_CHARS);
      assert.equal(typeof res.json.error_description, 'string');
      assert.match(res.json.error_description, ERROR_CHARS, res.json.error_description);
    });

    it('grants when the client polls with the successor ticket after the owner shared through her policy API', async () => {
      const r = await w.resource('alice', ['view', 'print']);
      const submitted = await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view']]]) });
      assertError(submitted, 403, 'request_submitted');
      assert.ok(Number.isInteger(submitted.json.interval) && submitted.json.interval > 0, submitted.body);
      const put = await request(s.app, 'PUT', policyUrl('alice', r), {
        headers: session(await signIn(s, 'alice'), { 'if-none-match': '*' }),
        body: { policyId: r, permissions: [{ subject: 'bob', scopes: ['view'] }] },
      });
      assert.equal(put.status, 201, put.body);
      const granted = await w.grant({ ticket: submitted.json.ticket });
      assert.equal(granted.status, 200, granted.body);
      assert.equal(payload(granted.json.access_token).sub, await w.userId('bob'));
      assert.deepEqual(rptPermissions(granted.json.access_token), [[r, ['view']]]);
      assertNoTicket(await w.grant({ ticket: submitted.json.ticket }), 400, 'invalid_grant');
    });
  });

  describe(`conformance: tickets in a realm without access requests (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    const APP = STRICT_APP;

    before(async () => {
      s = await startTestSteward(dialect);
      w = await strictRealm(s);
    });
    after(async () => s?.close());

    it('spends the ticket on request_denied: presenting it again is invalid_grant, even once the owner shares', async () => {
      const r = await w.resource('alice', ['view']);
      const t = await w.ticket('alice', [[r, ['view']]]);
      assertNoTicket(await w.grantAs('bob', { ticket: t }, APP), 403, 'request_denied');
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      assertNoTicket(await w.grantAs('bob', { ticket: t }, APP), 400, 'invalid_grant');
    });
  });
}
