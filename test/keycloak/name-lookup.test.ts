/**
 * Names in Keycloak's ticketless grant (`permission=<name>#scope`) resolve only among the audience
 * resource server's resources that the requesting party owns or that the resource server registered
 * as its own — never through someone else's share (docs/keycloak.md). A third party registering a
 * same-named resource and sharing it can neither capture a user's lookup nor break the resource
 * server's lookup of its own resource. Shared resources are named by id.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { issueAccessToken, UMA_GRANT_TYPE } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { UmaWorld } from '../uma-grant/fixture.ts';

for (const dialect of dialects) {
  describe(`ticketless grant: names resolve among the party's and the resource server's own resources (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    let rsPat: string;

    before(async () => {
      s = await startTestSteward(dialect);
      w = new UmaWorld(s);
      const pat = await postForm(s.app, DEMO.token, { grant_type: 'client_credentials', scope: 'uma_protection' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.equal(pat.status, 200, pat.body);
      rsPat = pat.json.access_token;
    });
    after(async () => s?.close());

    /** The user's token at photoz-rs, as keycloak-connect's enforcer forwards it. */
    async function tokenOf(username: string): Promise<string> {
      const realm = (await s.deps.store.realms.get('demo'))!;
      const client = (await s.deps.store.clients.get('demo', DEMO.rs.id))!;
      return (await issueAccessToken(s.deps, { realm, client, subject: await w.userId(username), scope: 'openid', grantId: s.deps.random.uuid(), username })).token;
    }

    /** The enforcer's question in permissions mode: for `username`, or for photoz-rs itself. */
    async function ask(permission: string, username?: string): Promise<Reply> {
      const form = { grant_type: UMA_GRANT_TYPE, audience: DEMO.rs.id, permission, response_mode: 'permissions', subject_token: username === undefined ? undefined : await tokenOf(username) };
      return postForm(s.app, DEMO.token, form, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
    }

    it('a third party\'s same-named resource shared with chris does not capture his lookup by name', async () => {
      const bobs = await w.resource('bob', ['view'], 'Bob Album 7');
      const daves = await w.resource('dave', ['view'], 'Bob Album 7');
      await w.share('dave', daves, [{ subject: 'chris', scopes: ['view'] }]);

      // Dave's share does not make the name Chris's: his lookup does not land on Dave's resource…
      const captured = await ask('Bob Album 7#view', 'chris');
      assert.equal(captured.status, 400, captured.body);
      assert.equal(captured.json.error, 'invalid_resource_id');
      assert.ok(!captured.body.includes(daves), captured.body);
      // …nor, once Bob shares his, on an ambiguity Dave caused.
      await w.share('bob', bobs, [{ subject: 'chris', scopes: ['view'] }]);
      const byName = await ask('Bob Album 7#view', 'chris');
      assert.equal(byName.status, 400, byName.body);
      assert.equal(byName.json.error, 'invalid_resource_id');
      // What is shared with him is named by id.
      const byId = await ask(`${bobs}#view`, 'chris');
      assert.equal(byId.status, 200, byId.body);
      assert.deepEqual(byId.json.map((p: { rsid: string }) => p.rsid), [bobs]);
      // His own resource of that name is his by name.
      const own = await w.resource('chris', ['view'], 'Bob Album 7');
      assert.deepEqual((await ask('Bob Album 7#view', 'chris')).json.map((p: { rsid: string }) => p.rsid), [own]);
    });

    it('a same-named resource shared with client:photoz-rs does not break the resource server\'s lookup of its own', async () => {
      const created = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer(rsPat) }, body: { name: 'Photo API', resource_scopes: ['read'] } });
      assert.equal(created.status, 201, created.body);
      const api = created.json._id;
      const daves = await w.resource('dave', ['read'], 'Photo API');
      await w.share('dave', daves, [{ subject: `client:${DEMO.rs.id}`, scopes: ['read'] }]);

      const res = await ask('Photo API#read');
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json, [{ rsid: api, rsname: 'Photo API', scopes: ['read'] }]);
      // The resource server still reaches Dave's resource, shared with it, by id.
      assert.deepEqual((await ask(`${daves}#read`)).json.map((p: { rsid: string }) => p.rsid), [daves]);
    });

    it('a user names the resource server\'s own resource by name too', async () => {
      const created = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer(rsPat) }, body: { name: 'Public Gallery', resource_scopes: ['read'] } });
      assert.equal(created.status, 201, created.body);
      const decoy = await w.resource('dave', ['read'], 'Public Gallery');
      await w.share('dave', decoy, [{ subject: 'bob', scopes: ['read'] }]);
      // Bob holds nothing of the resource server's gallery: refused (403), not answered with Dave's.
      const res = await ask('Public Gallery#read', 'bob');
      assert.equal(res.status, 403, res.body);
      assert.equal(res.json.error, 'access_denied');
    });
  });
}
