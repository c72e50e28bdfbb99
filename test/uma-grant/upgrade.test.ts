/**
 * RPT upgrade (UMA Grant §3.3.5.1), on both stores: the union of old and new permissions, `upgraded`,
 * revocation of the old RPT, expired RPTs, another client's RPT, the refusal's description (revoked
 * or expired apart from another client's), and old permissions re-assessed against the current
 * policies.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { purgeExpired, UMA_GRANT_TYPE } from '@steward/core';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { assertError, payload, rptPermissions, UmaWorld } from './fixture.ts';

const OTHER = { id: 'other-app', secret: 'other-app-secret' };
const GRAVITEE = { id: 'gravitee-app', secret: 'gravitee-app-secret' };
const NOT_THE_CLIENTS = 'The rpt is not a valid RPT issued to this client';
const REVOKED_OR_EXPIRED = 'The rpt was revoked or has expired';

for (const dialect of dialects) {
  describe(`UMA grant: RPT upgrade (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    const clock = new TestClock();

    before(async () => {
      s = await startTestSteward(dialect, { clock });
      w = new UmaWorld(s);
      await addClient(s.deps, 'demo', { clientId: OTHER.id, secret: OTHER.secret, grantTypes: [UMA_GRANT_TYPE] });
      await addClient(s.deps, 'demo', { clientId: GRAVITEE.id, secret: GRAVITEE.secret, grantTypes: [UMA_GRANT_TYPE], umaScopes: ['phone', 'address'] });
    });
    after(async () => s?.close());

    /** A resource of `owner` shared with bob for `scopes`. */
    async function shared(scopes: string[], owner = 'alice'): Promise<string> {
      const r = await w.resource(owner, scopes);
      await w.share(owner, r, [{ subject: 'bob', scopes }]);
      return r;
    }

    async function rptFor(permissions: Array<[string, string[]]>, owner = 'alice', client = undefined as undefined | { id: string; secret: string }): Promise<string> {
      const res = await w.grantAs('bob', { ticket: await w.ticket(owner, permissions) }, client);
      assert.equal(res.status, 200, res.body);
      return res.json.access_token;
    }

    it('issues the union, says upgraded:true, and revokes the old RPT', async () => {
      const a = await shared(['view', 'print']);
      const b = await shared(['view']);
      const old = await rptFor([[a, ['view']]]);
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[a, ['print']], [b, ['view']]]), rpt: old });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.upgraded, true);
      assert.notEqual(res.json.access_token, old);
      assert.deepEqual(rptPermissions(res.json.access_token), [[a, ['view', 'print']], [b, ['view']]]);
      assert.equal((await w.record(old))?.revoked, true);
      assert.equal((await w.introspect(old)).json.active, false);
      assert.equal((await w.introspect(res.json.access_token)).json.active, true);
      const refresh = await w.record(res.json.refresh_token);
      assert.deepEqual(refresh?.data.permissions?.map((p) => [p.resourceId, p.scopes]), [[a, ['view', 'print']], [b, ['view']]]);
    });

    it('follows the Gravitee example: rpt R1{profile} + ticket R2{email} + scope=phone', async () => {
      const r1 = await shared(['profile']);
      const r2 = await shared(['phone', 'email', 'address']);
      const old = await rptFor([[r1, ['profile']]], 'alice', GRAVITEE);
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[r2, ['email']]]), scope: 'phone', rpt: old }, GRAVITEE);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.upgraded, true);
      assert.deepEqual(rptPermissions(res.json.access_token), [[r1, ['profile']], [r2, ['email', 'phone']]]);
    });

    it('refuses the old RPT once it was upgraded (it is revoked), saying so', async () => {
      const a = await shared(['view']);
      const old = await rptFor([[a, ['view']]]);
      assert.equal((await w.grantAs('bob', { ticket: await w.ticket('alice', [[a, ['view']]]), rpt: old })).status, 200);
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[a, ['view']]]), rpt: old });
      assertError(res, 400, 'invalid_grant');
      assert.equal(res.json.error_description, REVOKED_OR_EXPIRED);
    });

    it('says "revoked or has expired" for the client’s own revoked RPT or one purged after it expired, and "not issued to this client" for another client’s, whatever its state', async () => {
      const a = await shared(['view']);
      const revoked = await rptFor([[a, ['view']]]);
      const theirsRevoked = await rptFor([[a, ['view']]], 'alice', OTHER);
      const expiring = await rptFor([[a, ['view']]]);
      const theirsExpiring = await rptFor([[a, ['view']]], 'alice', OTHER);
      assert.ok(await s.deps.store.tokens.revoke('demo', payload(revoked).jti));
      assert.ok(await s.deps.store.tokens.revoke('demo', payload(theirsRevoked).jti));
      const described = async (rpt: string): Promise<string> => {
        const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[a, ['view']]]), rpt });
        assertError(res, 400, 'invalid_grant');
        return res.json.error_description;
      };
      assert.equal(await described(revoked), REVOKED_OR_EXPIRED);
      assert.equal(await described(theirsRevoked), NOT_THE_CLIENTS);
      // Expired and purged: the record is gone, the signature still holds.
      clock.advance(301);
      await purgeExpired(s.deps, { batch: 1000 });
      assert.equal(await w.record(expiring), null);
      assert.equal(await described(expiring), REVOKED_OR_EXPIRED);
      assert.equal(await described(theirsExpiring), NOT_THE_CLIENTS);
      // Not an RPT, or not ours at all.
      assert.equal(await described(await w.pat('alice')), NOT_THE_CLIENTS);
      assert.equal(await described(await w.idToken('bob')), NOT_THE_CLIENTS);
      assert.equal(await described('garbage'), NOT_THE_CLIENTS);
    });

    it('upgrades an expired RPT of the same client', async () => {
      const a = await shared(['view']);
      const b = await shared(['view']);
      const old = await rptFor([[a, ['view']]]);
      clock.advance(301);
      assert.equal((await w.introspect(old)).json.active, false);
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[b, ['view']]]), rpt: old });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.upgraded, true);
      assert.deepEqual(rptPermissions(res.json.access_token), [[a, ['view']], [b, ['view']]]);
    });

    it('refuses another client’s RPT, or a token that is not an RPT, with invalid_grant and spends the ticket', async () => {
      const a = await shared(['view']);
      const theirs = await rptFor([[a, ['view']]], 'alice', OTHER);
      const t = await w.ticket('alice', [[a, ['view']]]);
      assertError(await w.grantAs('bob', { ticket: t, rpt: theirs }), 400, 'invalid_grant');
      assertError(await w.grantAs('bob', { ticket: t }), 400, 'invalid_grant');
      assertError(await w.grantAs('bob', { ticket: await w.ticket('alice', [[a, ['view']]]), rpt: await w.pat('alice') }), 400, 'invalid_grant');
      assertError(await w.grantAs('bob', { ticket: await w.ticket('alice', [[a, ['view']]]), rpt: 'garbage' }), 400, 'invalid_grant');
      assert.equal((await w.record(theirs))?.revoked, false);
    });

    it('drops an old permission whose policy was removed, and says upgraded:false', async () => {
      const a = await shared(['view']);
      const b = await shared(['view']);
      const old = await rptFor([[a, ['view']]]);
      await w.unshare('alice', a);
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[b, ['view']]]), rpt: old });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.upgraded, false);
      assert.deepEqual(rptPermissions(res.json.access_token), [[b, ['view']]]);
    });

    it('keeps what is still allowed of an old permission whose policy shrank, with upgraded:false', async () => {
      const a = await shared(['view', 'print']);
      const b = await shared(['view']);
      const old = await rptFor([[a, ['view', 'print']]]);
      await w.share('alice', a, [{ subject: 'bob', scopes: ['view'] }]);
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[b, ['view']]]), rpt: old });
      assert.equal(res.json.upgraded, false);
      assert.deepEqual(rptPermissions(res.json.access_token), [[a, ['view']], [b, ['view']]]);
    });

    it('re-assesses old permissions of another owner', async () => {
      const mine = await shared(['view'], 'chris');
      const a = await shared(['view']);
      const old = await rptFor([[mine, ['view']]], 'chris');
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[a, ['view']]]), rpt: old });
      assert.equal(res.json.upgraded, true);
      assert.deepEqual(rptPermissions(res.json.access_token), [[mine, ['view']], [a, ['view']]]);
    });

    it('does not upgrade when the new permissions are refused, and leaves the old RPT alone', async () => {
      const a = await shared(['view']);
      const old = await rptFor([[a, ['view']]]);
      const denied = await w.resource('alice', ['view']);
      assertError(await w.grantAs('bob', { ticket: await w.ticket('alice', [[denied, ['view']]]), rpt: old }), 403, 'request_submitted');
      assert.equal((await w.record(old))?.revoked, false);
    });
  });
}
