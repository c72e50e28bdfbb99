/**
 * Groups over HTTP, on both stores: the admin API for groups and members, sharing with `group:{name}`
 * (all members and only them, membership read at each grant), a group subject never taken for a user
 * with the same-looking name, groups the owner cannot see, and bad input.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addUser } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertError, rptPermissions, UmaWorld } from '../uma-grant/fixture.ts';
import { admin, assertOAuthError, enableAdmin, ownerSession, putPolicy, scopeView } from '../scopes/fixture.ts';

for (const dialect of dialects) {
  describe(`groups (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    let alice: string;
    const ids: Record<string, string> = {};

    async function group(name: string, members: string[], visible = false): Promise<string> {
      const res = await admin(s, 'POST', '/admin/realms/demo/groups', { name, visible });
      assert.equal(res.status, 201, res.body);
      assert.equal(res.json.subject, `group:${name}`);
      for (const m of members) assert.equal((await admin(s, 'PUT', `/admin/realms/demo/groups/${res.json.id}/members/${ids[m]}`)).status, 204);
      return res.json.id;
    }

    async function grantAs(username: string, resourceId: string, scope: string) {
      return w.grantAs(username, { ticket: await w.ticket('alice', [[resourceId, [scope]]]) });
    }

    async function grantView(username: string, resourceId: string) {
      return w.grantAs(username, { ticket: await w.ticket('alice', [[resourceId, ['view']]]) });
    }

    before(async () => {
      s = await startTestSteward(dialect);
      enableAdmin(s);
      w = new UmaWorld(s);
      for (const u of ['alice', 'bob', 'chris', 'dave']) ids[u] = await w.userId(u);
      alice = await ownerSession(s, 'alice');
    });
    after(async () => s?.close());

    it('sharing with a group grants every member and only them; membership changes count at the next grant', async () => {
      const team = await group('team', ['bob', 'chris'], true);
      const r = await w.resource('alice', ['view', 'edit']);
      assert.equal((await putPolicy(s, 'demo', alice, 'alice', r, [{ subject: 'group:team', scopes: ['view'] }])).status, 201);
      for (const member of ['bob', 'chris']) {
        const res = await grantView(member, r);
        assert.equal(res.status, 200, res.body);
        assert.deepEqual(rptPermissions(res.json.access_token), [[r, ['view']]]);
      }
      assertError(await grantView('dave', r), 403, 'request_submitted');
      // Edit is not shared with the group.
      assertError(await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['edit']]]) }), 403, 'request_submitted');

      assert.equal((await admin(s, 'DELETE', `/admin/realms/demo/groups/${team}/members/${ids.chris}`)).status, 204);
      assert.equal((await admin(s, 'PUT', `/admin/realms/demo/groups/${team}/members/${ids.dave}`)).status, 204);
      assertError(await grantView('chris', r), 403, 'request_submitted');
      assert.equal((await grantView('dave', r)).status, 200);
      assert.deepEqual((await admin(s, 'GET', `/admin/realms/demo/groups/${team}/members`)).json, [ids.bob, ids.dave].sort());

      // The requesting party's scope view counts the group too.
      const bob = await ownerSession(s, 'bob');
      assert.deepEqual((await scopeView(s, 'demo', bob, 'bob', r)).json, { role: 'requesting_party', template: [], policy: ['view'] });
    });

    it('a member\'s RPT survives a change of the owner\'s policy that still shares with the group', async () => {
      const club = await group('club', ['bob'], true);
      const r = await w.resource('alice', ['view', 'edit']);
      await putPolicy(s, 'demo', alice, 'alice', r, [{ subject: 'group:club', scopes: ['view'] }]);
      const rpt = (await grantView('bob', r)).json.access_token;
      assert.equal((await w.introspect(rpt)).json.active, true);
      await putPolicy(s, 'demo', alice, 'alice', r, [{ subject: 'group:club', scopes: ['view'] }, { subject: 'dave', scopes: ['edit'] }]);
      assert.equal((await w.introspect(rpt)).json.active, true);
      // Taking view away from the group revokes it.
      await putPolicy(s, 'demo', alice, 'alice', r, [{ subject: 'group:club', scopes: ['edit'] }]);
      assert.equal((await w.introspect(rpt)).json.active, false);
      // A group a policy names is not deleted (a new group of that name would hold the share).
      assertOAuthError(await admin(s, 'DELETE', `/admin/realms/demo/groups/${club}`), 409, 'conflict', /Policies share resources with group:club/);
      assert.equal((await grantAs('bob', r, 'edit')).status, 200);
      await putPolicy(s, 'demo', alice, 'alice', r, [{ subject: 'dave', scopes: ['edit'] }]);
      assert.equal((await admin(s, 'DELETE', `/admin/realms/demo/groups/${club}`)).status, 204);
      assertError(await grantAs('bob', r, 'edit'), 403, 'request_submitted');
    });

    it('a group subject is never taken for a user whose name looks like it', async () => {
      await addUser(s.deps, 'demo', { username: 'group:crew', password: 'pw-0123456789' });
      await group('crew', ['bob'], true);
      const r = await w.resource('alice', ['view']);
      await putPolicy(s, 'demo', alice, 'alice', r, [{ subject: 'group:crew', scopes: ['view'] }]);
      assertError(await grantView('group:crew', r), 403, 'request_submitted');
      assert.equal((await grantView('bob', r)).status, 200);
    });

    it('an owner shares only with groups she can see: visible ones and her own', async () => {
      await group('hidden', ['bob']);
      const mine = await group('book-club', ['alice', 'chris']);
      const r = await w.resource('alice', ['view']);
      const refused = await putPolicy(s, 'demo', alice, 'alice', r, [{ subject: 'group:hidden', scopes: ['view'] }]);
      assert.equal(refused.status, 400, refused.body);
      assert.equal(refused.json.message, "Invalid UMA policy permission. Unknown subject, 'group:hidden'.");
      assert.equal((await putPolicy(s, 'demo', alice, 'alice', r, [{ subject: 'group:nonesuch', scopes: ['view'] }])).status, 400);
      assert.equal((await putPolicy(s, 'demo', alice, 'alice', r, [{ subject: 'group:book-club', scopes: ['view'] }])).status, 201);
      assert.equal((await grantView('chris', r)).status, 200);
      assert.equal((await admin(s, 'GET', `/admin/realms/demo/groups/${mine}`)).json.name, 'book-club');
    });

    it('a requesting party may re-share with a group: its members get what the sharer holds', async () => {
      await group('crew-b', ['chris'], true);
      const r = await w.resource('alice', ['view', 'edit']);
      await putPolicy(s, 'demo', alice, 'alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const bob = await ownerSession(s, 'bob');
      const reshare = await putPolicy(s, 'demo', bob, 'bob', r, [{ subject: 'group:crew-b', scopes: ['view'] }]);
      assert.equal(reshare.status, 201, reshare.body);
      const res = await grantView('chris', r);
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(rptPermissions(res.json.access_token), [[r, ['view']]]);
      assertError(await grantView('dave', r), 403, 'request_submitted');
    });

    it('a member re-shares what she holds through a group; leaving the group ends the re-share at the next grant', async () => {
      const ops = await group('ops', ['bob'], true);
      const r = await w.resource('alice', ['view', 'edit']);
      await putPolicy(s, 'demo', alice, 'alice', r, [{ subject: 'group:ops', scopes: ['view'] }]);
      const bob = await ownerSession(s, 'bob');
      assertError(await w.grantAs('chris', { ticket: await w.ticket('alice', [[r, ['view']]]) }), 403, 'request_submitted');
      // Bob may re-share only what the group holds.
      assert.equal((await putPolicy(s, 'demo', bob, 'bob', r, [{ subject: 'chris', scopes: ['edit'] }])).status, 400);
      assert.equal((await putPolicy(s, 'demo', bob, 'bob', r, [{ subject: 'chris', scopes: ['view'] }])).status, 201);
      assert.equal((await grantView('chris', r)).status, 200);
      assert.equal((await admin(s, 'DELETE', `/admin/realms/demo/groups/${ops}/members/${ids.bob}`)).status, 204);
      assertError(await grantView('chris', r), 403, 'request_submitted');
    });

    it('bad input: names like user names, bad characters, duplicates, unknown users and groups', async () => {
      assertOAuthError(await admin(s, 'POST', '/admin/realms/demo/groups', { name: 'bob' }), 400, 'invalid_request', /Group name 'bob' is the username of a user of this realm/);
      assertOAuthError(await admin(s, 'POST', '/admin/realms/demo/groups', { name: 'bob@example.com' }), 400, 'invalid_request', /^name 'bob@example.com' is not allowed/);
      assertOAuthError(await admin(s, 'POST', '/admin/realms/demo/groups', { name: 'x:y' }), 400, 'invalid_request', /is not allowed/);
      assertOAuthError(await admin(s, 'POST', '/admin/realms/demo/groups', { name: 'Team' }), 400, 'invalid_request', /is not allowed/);
      assertOAuthError(await admin(s, 'POST', '/admin/realms/demo/groups', { visible: true }), 400, 'invalid_request', /name is required/);
      assertOAuthError(await admin(s, 'POST', '/admin/realms/demo/groups', { name: 'ok', visible: 'yes' }), 400, 'invalid_request', /visible must be true or false/);
      const g = await group('dup', []);
      assertOAuthError(await admin(s, 'POST', '/admin/realms/demo/groups', { name: 'dup' }), 409, 'conflict', /Group 'dup' already exists/);
      assertOAuthError(await admin(s, 'PUT', `/admin/realms/demo/groups/${g}/members/no-such-user`), 404, 'not_found', /User no-such-user not found/);
      assertOAuthError(await admin(s, 'PUT', `/admin/realms/demo/groups/no-such-group/members/${ids.bob}`), 404, 'not_found', /Group no-such-group not found/);
      assertOAuthError(await admin(s, 'DELETE', `/admin/realms/demo/groups/${g}/members/${ids.bob}`), 404, 'not_found', /is not a member of group dup/);
      assertOAuthError(await admin(s, 'GET', '/admin/realms/nowhere/groups'), 404, 'not_found');
      const list = await admin(s, 'GET', '/admin/realms/demo/groups');
      assert.ok(list.json.some((x: any) => x.name === 'dup'));
      assert.ok(!list.json.some((x: any) => x.name === 'bob'));
    });
  });
}
