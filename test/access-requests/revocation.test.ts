/**
 * Immediate revocation, on both stores, seen from a second node on the same database: deleting a
 * resource, narrowing or deleting a policy, and an `Expiration` passing make the affected RPTs
 * introspect inactive at once (or list only the permissions that remain), and the history says so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects, freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { bearer, request } from '../helpers/http.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { Owner, policyUrl, rptPermissions, UmaWorld } from './fixture.ts';

for (const dialect of dialects) {
  describe(`immediate revocation (${dialect})`, () => {
    const clock = new TestClock();
    let db: { url: string; drop(): Promise<void> };
    let s: TestSteward;
    /** A second node on the same database. */
    let other: TestSteward;
    let w: UmaWorld;
    let w2: UmaWorld;
    let alice: Owner;

    before(async () => {
      db = await freshDatabaseUrl(dialect);
      s = await startTestSteward(dialect, { clock, databaseUrl: db.url });
      other = await startTestSteward(dialect, { clock, databaseUrl: db.url, demo: false });
      w = new UmaWorld(s);
      w2 = new UmaWorld(other);
      alice = await Owner.signIn(s, 'alice');
    });
    after(async () => {
      await other?.close();
      await s?.close();
      await db?.drop();
    });

    /** Bob's RPT for these resources and scopes (the policies must allow them). */
    async function rptFor(permissions: Array<[string, string[]]>): Promise<string> {
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', permissions) });
      assert.equal(res.status, 200, res.body);
      return res.json.access_token;
    }

    async function activeOnOtherNode(rpt: string): Promise<any> {
      const res = await w2.introspect(rpt);
      assert.equal(res.status, 200, res.body);
      return res.json;
    }

    it('deleting a resource revokes every RPT on it at once', async () => {
      const r = await w.resource('alice', ['view'], 'Doomed');
      const keep = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      await w.share('alice', keep, [{ subject: 'bob', scopes: ['view'] }]);
      const rpt = await rptFor([[r, ['view']], [keep, ['view']]]);
      assert.equal((await activeOnOtherNode(rpt)).active, true);
      const del = await request(s.app, 'DELETE', `/realms/demo/authz/protection/resource_set/${r}`, { headers: { authorization: bearer(await w.pat('alice')) } });
      assert.equal(del.status, 204, del.body);
      assert.deepEqual(await activeOnOtherNode(rpt), { active: false });
      const history = await alice.history({ _queryFilter: `resourceSetId eq "${r}"`, _sortKeys: 'eventTime' });
      const deleted = history.json.result.find((e: any) => e.type === 'resource.deleted');
      assert.equal(deleted.resourceSetName, 'Doomed');
      assert.equal(deleted.detail.revokedGrants, 1);
      assert.ok(history.json.result.some((e: any) => e.type === 'share.revoked' && e.requestingPartyId === 'bob'));
    });

    it('narrowing a policy revokes the RPTs holding the withdrawn scope', async () => {
      const r = await w.resource('alice', ['view', 'print']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view', 'print'] }]);
      const rpt = await rptFor([[r, ['view', 'print']]]);
      assert.deepEqual(rptPermissions(rpt), [[r, ['view', 'print']]]);
      const put = await request(s.app, 'PUT', policyUrl('alice', r), { headers: alice.headers, body: { policyId: r, permissions: [{ subject: 'bob', scopes: ['view'] }] } });
      assert.equal(put.status, 200, put.body);
      assert.deepEqual(await activeOnOtherNode(rpt), { active: false });
      const revoked = await alice.history({ _queryFilter: `resourceSetId eq "${r}" and type eq "share.revoked"` });
      assert.deepEqual(revoked.json.result.map((e: any) => [e.requestingPartyId, e.scopes]), [['bob', ['print']]]);
      // What remains can be had again.
      assert.deepEqual(rptPermissions(await rptFor([[r, ['view']]])), [[r, ['view']]]);
    });

    it('an Expiration passing drops that permission at once: the RPT lists what remains, then nothing', async () => {
      const soon = await w.resource('alice', ['view']);
      const later = await w.resource('alice', ['view']);
      const now = clock.now();
      await w.share('alice', soon, [{ subject: 'bob', scopes: ['view'], conditions: { expiresAt: now + 60 } }]);
      await w.share('alice', later, [{ subject: 'bob', scopes: ['view'], conditions: { expiresAt: now + 120 } }]);
      const rpt = await rptFor([[soon, ['view']], [later, ['view']]]);
      const before = await activeOnOtherNode(rpt);
      assert.equal(before.active, true);
      assert.deepEqual(before.permissions.map((p: any) => p.resource_id).sort(), [soon, later].sort());
      clock.advance(60);
      const between = await activeOnOtherNode(rpt);
      assert.equal(between.active, true);
      assert.deepEqual(between.permissions.map((p: any) => p.resource_id), [later]);
      clock.advance(60);
      assert.deepEqual(await activeOnOtherNode(rpt), { active: false });
    });
  });
}
