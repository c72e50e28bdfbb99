/**
 * Conformance gaps of an RPT's life after the UMA grant, on both stores: an upgrade that repeats a
 * permission (UMA Grant §3.3.5.1), refreshing an RPT without a new authorization assessment (§3.6),
 * and revoking an RPT, its refresh token and a PCT (§3.7, RFC 7009) as seen by introspection and by
 * the grant. Every token here comes from the grant over HTTP, none from the store.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertTokenResponse, refreshGrant } from '../oauth-grants/fixture.ts';
import { assertError, payload, rptPermissions, UmaWorld } from '../uma-grant/fixture.ts';

for (const dialect of dialects) {
  describe(`conformance: RPT upgrade, refresh and revocation (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;

    before(async () => {
      s = await startTestSteward(dialect);
      w = new UmaWorld(s);
    });
    after(async () => s?.close());

    const revoke = (params: Record<string, string>) => postForm(s.app, DEMO.revoke, params, { authorization: basic(DEMO.client.id, DEMO.client.secret) });

    /** A resource of alice shared with bob for `scopes`. */
    async function shared(scopes: string[]): Promise<string> {
      const r = await w.resource('alice', scopes);
      await w.share('alice', r, [{ subject: 'bob', scopes }]);
      return r;
    }

    /** Bob's client obtains an RPT for these permissions of alice's; returns the token response. */
    async function granted(permissions: Array<[string, string[]]>): Promise<Reply['json']> {
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', permissions) });
      assert.equal(res.status, 200, res.body);
      return res.json;
    }

    function assertRevoked200(res: Reply): void {
      assert.equal(res.status, 200, res.body);
      assert.equal(res.body, '');
    }

    it('upgrades without duplicate scopes when the new ticket repeats a permission the RPT holds', async () => {
      const a = await shared(['view', 'print']);
      const b = await shared(['view']);
      const old = (await granted([[a, ['view']], [b, ['view']]])).access_token;
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[a, ['print', 'view']], [b, ['view']]]), rpt: old });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.upgraded, true);
      assert.deepEqual(rptPermissions(res.json.access_token), [[a, ['view', 'print']], [b, ['view']]]);
      const seen = await w.introspect(res.json.access_token);
      assert.deepEqual(seen.json.permissions.map((p: any) => [p.resource_id, p.resource_scopes]), [[a, ['view', 'print']], [b, ['view']]]);
    });

    it('refreshes an RPT with the same permissions and no new assessment, even after the resource stopped offering a scope', async () => {
      const a = await shared(['view', 'print']);
      const first = await granted([[a, ['view', 'print']]]);
      assert.equal(typeof first.refresh_token, 'string');
      // The resource server withdraws `print` from the resource: a new assessment would no longer grant it...
      const owner = await w.userId('alice');
      const resource = (await s.deps.store.resources.get('demo', owner, a))!;
      assert.ok(await s.deps.store.resources.update({ ...resource, scopes: ['view'] }));
      const fresh = assertTokenResponse(await w.grantAs('bob', { ticket: await w.ticket('alice', [[a, ['view']]]) }), undefined);
      assert.deepEqual(rptPermissions(fresh.access_token), [[a, ['view']]]);
      // ...but a refresh runs none (UMA Grant §3.6). (The owner removing the share is different: that
      // revokes the grant, refresh token included, which §6.1 allows — see test/owner-policies/revocation.test.ts.)
      const refreshed = assertTokenResponse(await refreshGrant(s, first.refresh_token), undefined);
      assert.equal(refreshed.scope, undefined);
      assert.notEqual(refreshed.access_token, first.access_token);
      assert.equal(payload(refreshed.access_token).sub, await w.userId('bob'));
      assert.deepEqual(rptPermissions(refreshed.access_token), [[a, ['view', 'print']]]);
      assert.equal((await w.introspect(refreshed.access_token)).json.active, true);
      // The client may narrow the per-resource scopes of the new RPT with `scope`.
      const narrowed = assertTokenResponse(await refreshGrant(s, refreshed.refresh_token, 'print'), undefined);
      assert.deepEqual(rptPermissions(narrowed.access_token), [[a, ['print']]]);
    });

    it('revokes an RPT at the revocation endpoint: it then introspects {"active":false} and cannot be upgraded', async () => {
      const a = await shared(['view']);
      const { access_token: rpt } = await granted([[a, ['view']]]);
      assert.equal((await w.introspect(rpt)).json.active, true);
      assertRevoked200(await revoke({ token: rpt, token_type_hint: 'access_token' }));
      const seen = await w.introspect(rpt);
      assert.equal(seen.status, 200);
      assert.deepEqual(seen.json, { active: false });
      assertError(await w.grantAs('bob', { ticket: await w.ticket('alice', [[a, ['view']]]), rpt }), 400, 'invalid_grant');
    });

    it("revokes an RPT's refresh token with its grant: the RPT turns inactive and the refresh token is refused", async () => {
      const a = await shared(['view']);
      const first = await granted([[a, ['view']]]);
      assertRevoked200(await revoke({ token: first.refresh_token, token_type_hint: 'refresh_token' }));
      assert.deepEqual((await w.introspect(first.access_token)).json, { active: false });
      assertError(await refreshGrant(s, first.refresh_token), 400, 'invalid_grant');
    });

    it('revokes a PCT with token_type_hint=pct: it no longer identifies the requesting party', async () => {
      const a = await shared(['view']);
      const { pct } = await granted([[a, ['view']]]);
      const withPct = await w.grant({ ticket: await w.ticket('alice', [[a, ['view']]]), pct });
      assert.equal(withPct.status, 200, withPct.body);
      assertRevoked200(await revoke({ token: pct, token_type_hint: 'pct' }));
      const t = await w.ticket('alice', [[a, ['view']]]);
      const res = await w.grant({ ticket: t, pct });
      assertError(res, 403, 'need_info');
      assert.notEqual(res.json.ticket, t);
    });
  });
}
