/**
 * Organizations as resource owners and requesting parties (the Kantara UMA Implementer's Guide), over HTTP on both stores: an
 * organization's resource server obtains its PAT with client_credentials (subject `org:{id}`) and
 * registers the organization's resource; its administrators, and nobody else, manage its policy under
 * `org:{id}`; a partner organization's client, acting for itself, obtains an RPT (subject the client,
 * no refresh token) under a policy naming the partner organization or the client.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UMA_GRANT_TYPE } from '@steward/core';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, postForm, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { session } from '../owner-policies/fixture.ts';
import { assertError, payload, rptPermissions, UmaWorld } from '../uma-grant/fixture.ts';
import { admin, assertOAuthError, enableAdmin, ownerSession, putPolicy, register, scopeView } from '../scopes/fixture.ts';

const ACME_RS = { id: 'acme-rs', secret: 'acme-rs-secret' };
const PARTNER_APP = { id: 'partner-app', secret: 'partner-app-secret' };
const OTHER_APP = { id: 'other-app', secret: 'other-app-secret' };
const TOKEN = '/realms/demo/protocol/openid-connect/token';

for (const dialect of dialects) {
  describe(`organizations (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    let acmePat: string;
    let chris: string;
    const ids: Record<string, string> = {};

    /** A ticket of the organization for `[resourceId, scopes]`, asked by its resource server. */
    async function orgTicket(resourceId: string, scopes: string[]): Promise<string> {
      const res = await request(s.app, 'POST', '/realms/demo/authz/protection/permission', { headers: { authorization: bearer(acmePat) }, body: { resource_id: resourceId, resource_scopes: scopes } });
      assert.equal(res.status, 201, res.body);
      return res.json.ticket;
    }

    before(async () => {
      s = await startTestSteward(dialect);
      enableAdmin(s);
      w = new UmaWorld(s, 'demo', ACME_RS);
      for (const u of ['alice', 'bob', 'chris', 'dave', 'amAdmin']) ids[u] = await w.userId(u);
      await addClient(s.deps, 'demo', { clientId: ACME_RS.id, secret: ACME_RS.secret, grantTypes: ['client_credentials'] });
      await addClient(s.deps, 'demo', { clientId: PARTNER_APP.id, secret: PARTNER_APP.secret, grantTypes: [UMA_GRANT_TYPE] });
      await addClient(s.deps, 'demo', { clientId: OTHER_APP.id, secret: OTHER_APP.secret, grantTypes: [UMA_GRANT_TYPE] });
      const acme = await admin(s, 'POST', '/admin/realms/demo/organizations', { id: 'acme', name: 'Acme Corp', admins: [ids.chris], clients: [ACME_RS.id] });
      assert.equal(acme.status, 201, acme.body);
      assert.deepEqual(acme.json.owner, 'org:acme');
      assert.equal((await admin(s, 'POST', '/admin/realms/demo/organizations', { id: 'partner', name: 'Partner Ltd' })).status, 201);
      assert.equal((await admin(s, 'PUT', `/admin/realms/demo/organizations/partner/admins/${ids.dave}`)).status, 204);
      assert.equal((await admin(s, 'PUT', `/admin/realms/demo/organizations/partner/clients/${PARTNER_APP.id}`)).status, 204);
      const pat = await postForm(s.app, TOKEN, { grant_type: 'client_credentials', scope: 'uma_protection' }, { authorization: basic(ACME_RS.id, ACME_RS.secret) });
      assert.equal(pat.status, 200, pat.body);
      acmePat = pat.json.access_token;
      chris = await ownerSession(s, 'chris');
    });
    after(async () => s?.close());

    it('the organization owns a resource that a partner organization\'s client obtains an RPT for', async () => {
      assert.equal(payload(acmePat).sub, 'org:acme');
      const created = await register(w, acmePat, { name: 'Shared ledger', resource_scopes: ['read', 'write'] });
      assert.equal(created.status, 201, created.body);
      const ledger = created.json._id;
      assert.deepEqual((await s.deps.store.resources.get('demo', 'org:acme', ledger))?.owner, 'org:acme');

      // Before any policy the partner's client is refused.
      assertError(await w.grant({ ticket: await orgTicket(ledger, ['read']) }, PARTNER_APP), 403, 'request_submitted');

      const written = await putPolicy(s, 'demo', chris, 'org:acme', ledger, [{ subject: 'org:partner', scopes: ['read'] }]);
      assert.equal(written.status, 201, written.body);
      const res = await w.grant({ ticket: await orgTicket(ledger, ['read']) }, PARTNER_APP);
      assert.equal(res.status, 200, res.body);
      assert.equal(payload(res.json.access_token).sub, PARTNER_APP.id);
      assert.deepEqual(rptPermissions(res.json.access_token), [[ledger, ['read']]]);
      assert.equal(res.json.refresh_token, undefined);
      assert.equal(res.json.pct, undefined);
      const seen = await request(s.app, 'POST', '/realms/demo/protocol/openid-connect/token/introspect', { headers: { authorization: bearer(acmePat), 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${res.json.access_token}` });
      assert.equal(seen.json.active, true);
      assert.equal(seen.json.sub, PARTNER_APP.id);

      // Write is not shared; a client outside the partner organization gets nothing.
      assertError(await w.grant({ ticket: await orgTicket(ledger, ['write']) }, PARTNER_APP), 403, 'request_submitted');
      assertError(await w.grant({ ticket: await orgTicket(ledger, ['read']) }, OTHER_APP), 403, 'request_submitted');

      // The organization's administrator sees every category; the policy names the partner.
      const view = await scopeView(s, 'demo', chris, 'org:acme', ledger);
      assert.deepEqual(view.json, { role: 'owner', registered: ['read', 'write'], template: [], private: ['read', 'write'], policy: [{ subject: 'org:partner', scopes: ['read'] }] });
    });

    it('a policy may name the partner\'s client itself; the client stops acting for the organization when unlinked', async () => {
      const r = (await register(w, acmePat, { name: 'Price list', resource_scopes: ['read'] })).json._id;
      await putPolicy(s, 'demo', chris, 'org:acme', r, [{ subject: `client:${OTHER_APP.id}`, scopes: ['read'] }]);
      assert.equal((await w.grant({ ticket: await orgTicket(r, ['read']) }, OTHER_APP)).status, 200);

      const ledger = (await register(w, acmePat, { name: 'Ledger 2', resource_scopes: ['read'] })).json._id;
      await putPolicy(s, 'demo', chris, 'org:acme', ledger, [{ subject: 'org:partner', scopes: ['read'] }]);
      assert.equal((await admin(s, 'DELETE', `/admin/realms/demo/organizations/partner/clients/${PARTNER_APP.id}`)).status, 204);
      assertError(await w.grant({ ticket: await orgTicket(ledger, ['read']) }, PARTNER_APP), 403, 'request_submitted');
      assert.equal((await admin(s, 'PUT', `/admin/realms/demo/organizations/partner/clients/${PARTNER_APP.id}`)).status, 204);
      assert.equal((await w.grant({ ticket: await orgTicket(ledger, ['read']) }, PARTNER_APP)).status, 200);
    });

    it('only the organization\'s administrators manage its policies; an administrator of another organization is refused', async () => {
      const r = (await register(w, acmePat, { name: 'Board minutes', resource_scopes: ['read'] })).json._id;
      const dave = await ownerSession(s, 'dave');
      const outsider = await putPolicy(s, 'demo', dave, 'org:acme', r, [{ subject: 'org:partner', scopes: ['read'] }]);
      assert.equal(outsider.status, 403, outsider.body);
      assert.equal(outsider.json.message, 'dave is not an administrator of organization acme: only its administrators manage its policies');
      const bob = await ownerSession(s, 'bob');
      assert.equal((await putPolicy(s, 'demo', bob, 'org:acme', r, [{ subject: 'dave', scopes: ['read'] }])).status, 403);
      assert.equal((await putPolicy(s, 'demo', bob, 'org:nonesuch', r, [{ subject: 'dave', scopes: ['read'] }])).status, 403);
      assert.equal((await scopeView(s, 'demo', dave, 'org:acme', r)).status, 403);
      // The organization's resource is not Chris's own.
      assert.equal((await putPolicy(s, 'demo', chris, 'chris', r, [{ subject: 'dave', scopes: ['read'] }])).status, 404);
      // Subjects: an unknown organization, and the organization itself.
      assert.equal((await putPolicy(s, 'demo', chris, 'org:acme', r, [{ subject: 'org:nonesuch', scopes: ['read'] }])).json.message, "Invalid UMA policy permission. Unknown subject, 'org:nonesuch'.");
      assert.equal((await putPolicy(s, 'demo', chris, 'org:acme', r, [{ subject: 'org:acme', scopes: ['read'] }])).status, 400);
      // Chris writes; the realm administrator may read and delete but not write.
      assert.equal((await putPolicy(s, 'demo', chris, 'org:acme', r, [{ subject: 'dave', scopes: ['read'] }])).status, 201);
      const amAdmin = await ownerSession(s, 'amAdmin');
      const url = `/json/realms/root/realms/demo/users/org%3Aacme/uma/policies/${r}`;
      assert.equal((await request(s.app, 'GET', url, { headers: session(amAdmin) })).status, 200);
      assert.equal((await putPolicy(s, 'demo', amAdmin, 'org:acme', r, [{ subject: 'bob', scopes: ['read'] }])).status, 403);
      // A user named by an organization's policy gets the resource like any requesting party.
      const grant = await w.grantAs('dave', { ticket: await orgTicket(r, ['read']) });
      assert.equal(grant.status, 200, grant.body);
      assert.equal((await request(s.app, 'DELETE', url, { headers: session(chris) })).status, 200);
    });

    it('bad input: ids, unknown users and clients, a client of two organizations, unknown organizations', async () => {
      assertOAuthError(await admin(s, 'POST', '/admin/realms/demo/organizations', { id: 'Bad Id' }), 400, 'invalid_request', /^id 'Bad Id' is not allowed/);
      assertOAuthError(await admin(s, 'POST', '/admin/realms/demo/organizations', { id: 'x', admins: ['nobody'] }), 404, 'not_found', /User nobody not found/);
      assertOAuthError(await admin(s, 'POST', '/admin/realms/demo/organizations', { id: 'x', clients: ['nothing'] }), 404, 'not_found', /Client nothing not found/);
      assertOAuthError(await admin(s, 'POST', '/admin/realms/demo/organizations', { id: 'x', clients: [ACME_RS.id] }), 409, 'conflict');
      assertOAuthError(await admin(s, 'POST', '/admin/realms/demo/organizations', { id: 'acme' }), 409, 'conflict');
      assertOAuthError(await admin(s, 'PUT', `/admin/realms/demo/organizations/partner/clients/${ACME_RS.id}`), 409, 'conflict', /Client acme-rs already acts for another organization/);
      assertOAuthError(await admin(s, 'GET', '/admin/realms/demo/organizations/nonesuch'), 404, 'not_found', /Organization nonesuch not found/);
      assertOAuthError(await admin(s, 'DELETE', `/admin/realms/demo/organizations/partner/admins/${ids.bob}`), 404, 'not_found', /is not an administrator of organization partner/);
      assertOAuthError(await admin(s, 'POST', '/admin/realms/demo/organizations', { id: 'y', members: [] }), 400, 'invalid_request', /Unknown member/);
      assert.equal((await admin(s, 'GET', '/admin/realms/demo/organizations/x')).status, 404);
      assert.deepEqual((await admin(s, 'GET', '/admin/realms/demo/organizations')).json.map((o: any) => o.id), ['acme', 'partner']);
      // The organization's PAT stops working once its client no longer acts for it.
      assert.equal((await admin(s, 'DELETE', `/admin/realms/demo/organizations/acme/clients/${ACME_RS.id}`)).status, 204);
      assertOAuthError(await register(w, acmePat, { name: 'Too late', resource_scopes: ['read'] }), 401, 'invalid_token');
      const own = await postForm(s.app, TOKEN, { grant_type: 'client_credentials' }, { authorization: basic(ACME_RS.id, ACME_RS.secret) });
      assert.equal(payload(own.json.access_token).sub, ACME_RS.id);
    });
  });
}
