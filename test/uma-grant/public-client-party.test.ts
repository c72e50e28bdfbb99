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
import { addClient } from '@steward/server';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, postForm } from '../helpers/http.ts';
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

    it('the user behind a public client is the party as before: claims at the ticketed grant', async () => {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const res = await w.grantAs('bob', { ticket: await w.ticket('alice', [[r, ['view']]]) }, SPA);
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(rptPermissions(res.json.access_token), [[r, ['view']]]);
    });
  });
}
