/**
 * A real third-party client, panva's openid-client, against a listening Steward: discovery of the
 * UMA document, client_credentials, introspection, and the UMA grant through its generic grant call.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { dialects } from '../../packages/store/test/databases.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';

const UMA = 'urn:ietf:params:oauth:grant-type:uma-ticket';
const ID_TOKEN = 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken';

for (const dialect of dialects) {
  describe(`openid-client against Steward (${dialect})`, () => {
    let s: TestSteward;
    let rs: oidc.Configuration;
    let client: oidc.Configuration;
    const discover = (id: string, secret: string) =>
      oidc.discovery(new URL(`${s.issuer}/.well-known/uma2-configuration`), id, secret, undefined, { execute: [oidc.allowInsecureRequests] });

    before(async () => {
      s = await startTestSteward(dialect, { listen: true });
      rs = await discover('photoz-rs', 'photoz-rs-secret');
      client = await discover('photoz-client', 'photoz-client-secret');
    });
    after(async () => s?.close());

    it('discovers the realm from the UMA document', () => {
      const meta = rs.serverMetadata();
      assert.equal(meta.issuer, s.issuer);
      assert.ok(meta.grant_types_supported?.includes(UMA));
      assert.equal(meta.permission_endpoint, `${s.issuer}/authz/protection/permission`);
    });

    it('performs client_credentials, introspection and the UMA grant', async () => {
      const pat = await oidc.clientCredentialsGrant(rs, { scope: 'uma_protection' });
      assert.equal(pat.token_type.toLowerCase(), 'bearer');
      assert.equal(pat.scope, 'uma_protection');
      const patInfo = await oidc.tokenIntrospection(rs, pat.access_token);
      assert.equal(patInfo.active, true);
      assert.equal(patInfo.client_id, 'photoz-rs');

      // The resource server (owning the resource itself) registers it and shares "view" with the client.
      const auth = { authorization: `Bearer ${pat.access_token}`, 'content-type': 'application/json' };
      const meta = rs.serverMetadata() as Record<string, any>;
      const created = await fetch(meta.resource_registration_endpoint, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Album', resource_scopes: ['view', 'download'] }) });
      assert.equal(created.status, 201);
      const { _id } = (await created.json()) as { _id: string };
      const owner = 'photoz-rs';
      const now = Math.floor(Date.now() / 1000);
      await s.deps.store.policies.create({ realm: 'demo', id: _id, owner, rev: '1', permissions: [{ subject: 'bob', scopes: ['view', 'download'] }], createdAt: now, updatedAt: now });

      const ticketRes = await fetch(meta.permission_endpoint, { method: 'POST', headers: auth, body: JSON.stringify({ resource_id: _id, resource_scopes: ['view'] }) });
      assert.equal(ticketRes.status, 201);
      const { ticket } = (await ticketRes.json()) as { ticket: string };

      const bob = await oidc.genericGrantRequest(client, 'password', { username: 'bob', password: 'Ch4ng31t', scope: 'openid' });
      assert.ok(bob.id_token);
      const rpt = await oidc.genericGrantRequest(client, UMA, { ticket, claim_token: bob.id_token!, claim_token_format: ID_TOKEN, scope: 'download' });
      assert.equal(rpt.token_type.toLowerCase(), 'bearer');
      assert.ok(rpt.pct);

      const info = await oidc.tokenIntrospection(rs, rpt.access_token);
      assert.equal(info.active, true);
      assert.equal(info.scope, undefined);
      assert.deepEqual(info.permissions, [{ resource_id: _id, resource_scopes: ['view', 'download'] }]);

      // A spent ticket is refused with the OAuth error openid-client surfaces.
      await assert.rejects(oidc.genericGrantRequest(client, UMA, { ticket, claim_token: bob.id_token!, claim_token_format: ID_TOKEN }), (e: any) => e.error === 'invalid_grant');
    });
  });
}
