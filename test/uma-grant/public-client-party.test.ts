/**
 * A public client is never a requesting party by itself (UMA Grant §3.3.4: a client party is a client
 * that authenticated). A policy naming `client:photoz-spa`, or an organization photoz-spa belongs to,
 * grants photoz-spa nothing when it asks with its `client_id` alone: the ticketed grant answers
 * `need_info` (the client may send its user through claims gathering), the ticketless grant 403 in
 * every response mode. With its user's token or claims, the user is the party as before.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UMA_GRANT_TYPE, type Organization } from '@steward/core';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, postForm, request } from '../helpers/http.ts';
import { policyUrl, session, signIn } from '../owner-policies/fixture.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertError, rptPermissions, UmaWorld } from './fixture.ts';

const SPA = { id: 'photoz-spa' };
const PUBLIC_ORG_APP = { id: 'public-org-app' };

for (const dialect of dialects) {
  describe(`a public client alone is no requesting party (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;

    before(async () => {
      s = await startTestSteward(dialect);
      w = new UmaWorld(s);
      await addClient(s.deps, 'demo', { clientId: PUBLIC_ORG_APP.id, grantTypes: [UMA_GRANT_TYPE] });
      const now = s.deps.clock.now();
      const org: Organization = { realm: 'demo', id: 'spa-org', name: 'Public apps', admins: [], clients: [PUBLIC_ORG_APP.id], createdAt: now };
      await s.deps.store.organizations.create(org);
    });
    after(async () => s?.close());

    /** The ticketless grant as a public client sends it without a user: client_id alone. */
    const ticketless = (clientId: string, resourceId: string, mode?: 'permissions' | 'decision') =>
      postForm(s.app, DEMO.token, { grant_type: UMA_GRANT_TYPE, client_id: clientId, audience: DEMO.rs.id, permission: `${resourceId}#view`, response_mode: mode });

    it('a policy naming client:photoz-spa (written before such policies were refused): the ticketed grant answers need_info', async () => {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: `client:${SPA.id}`, scopes: ['view'] }]);
      const res = await w.grant({ ticket: await w.ticket('alice', [[r, ['view']]]) }, SPA);
      assertError(res, 403, 'need_info');
      assert.equal(res.json.access_token, undefined);
      assert.equal(typeof res.json.ticket, 'string');
      assert.equal(typeof res.json.redirect_user, 'string');
    });

    it('a policy naming client:photoz-spa: the ticketless grant refuses in every response mode', async () => {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: `client:${SPA.id}`, scopes: ['view'] }]);
      for (const mode of [undefined, 'permissions', 'decision'] as const) {
        const refused = await ticketless(SPA.id, r, mode);
        assert.equal(refused.status, 403, refused.body);
        assert.deepEqual(refused.json, { error: 'access_denied', error_description: 'not_authorized' });
      }
    });

    it('an organization naming a public client grants it nothing either, in both forms of the grant', async () => {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'org:spa-org', scopes: ['view'] }]);
      for (const mode of [undefined, 'permissions', 'decision'] as const) {
        const refused = await ticketless(PUBLIC_ORG_APP.id, r, mode);
        assert.equal(refused.status, 403, refused.body);
        assert.equal(refused.json.error, 'access_denied');
      }
      assertError(await w.grant({ ticket: await w.ticket('alice', [[r, ['view']]]) }, PUBLIC_ORG_APP), 403, 'need_info');
    });

    it("an RPT a public client held as its own party (issued before this rule) is revoked at the owner's next policy change", async () => {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: `client:${SPA.id}`, scopes: ['view'] }]);
      const now = s.deps.clock.now();
      const alice = await w.userId('alice');
      const legacy = { realm: 'demo', id: s.deps.random.uuid(), kind: 'rpt' as const, clientId: SPA.id, subject: SPA.id, grantId: s.deps.random.uuid(), createdAt: now, expiresAt: now + 300, revoked: false, data: { permissions: [{ resourceId: r, scopes: ['view'], owner: alice, resourceServer: DEMO.rs.id }] } };
      await s.deps.store.tokens.insert(legacy);
      // Alice shares with Bob too (an API write, so withdrawn grants are re-assessed); the stored public-client entry is kept.
      const token = await signIn(s, 'alice');
      const res = await request(s.app, 'PUT', policyUrl('alice', r), { headers: session(token), body: { policyId: r, permissions: [{ subject: `client:${SPA.id}`, scopes: ['view'] }, { subject: 'bob', scopes: ['view'] }] } });
      assert.equal(res.status, 200, res.body);
      assert.equal((await s.deps.store.tokens.get('demo', legacy.id))?.revoked, true, "the public client's RPT must not survive the re-assessment");
    });

    it('the user behind a public client is the party as before: claims at the ticketed grant', async () => {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view']]]) }, SPA);
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(rptPermissions(res.json.access_token), [[r, ['view']]]);
    });
  });
}
