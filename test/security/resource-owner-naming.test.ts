/**
 * Security: who may register a resource for someone else. Keycloak's `owner` member lets a resource
 * server's own PAT (its client_credentials token, whose subject is the client) register a resource
 * for a user. Any confidential client allowed client_credentials gets such a PAT, so without a further
 * check a service account created for something else entirely could put resources into any user's
 * account (her console lists them, requests for them reach her, and what she shares on them goes to
 * that client). Only a resource server of the realm, one whose configuration the administrator has
 * published, may name another owner; everything else about registration is unchanged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { publishConfiguration } from '@steward/core';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { userId } from '../owner-policies/fixture.ts';
import { assertOAuth } from '../bad-input/fixture.ts';
import { resourceIdsOf } from '../../packages/store/test/helpers/lists.ts';

const SERVICE = { id: 'reporting-service', secret: 'reporting-service-secret-0123456789' };

for (const dialect of dialects) {
  describe(`security: naming another owner at resource registration (${dialect})`, () => {
    let s: TestSteward;
    let aliceId: string;
    before(async () => {
      s = await startTestSteward(dialect);
      aliceId = await userId(s, 'alice');
      await addClient(s.deps, 'demo', { clientId: SERVICE.id, secret: SERVICE.secret, grantTypes: ['client_credentials'] });
    });
    after(async () => s?.close());

    async function ownPat(client: { id: string; secret: string }): Promise<string> {
      const res = await postForm(s.app, DEMO.token, { grant_type: 'client_credentials' }, { authorization: basic(client.id, client.secret) });
      assert.equal(res.status, 200, res.body);
      return res.json.access_token;
    }

    const register = (pat: string, body: Record<string, unknown>) => request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer(pat) }, body: { name: 'Quarterly report', resource_scopes: ['view'], ...body } });

    it('refuses a client that is no resource server of the realm: nothing is registered for the user', async () => {
      const pat = await ownPat(SERVICE);
      for (const owner of ['alice', aliceId]) {
        const res = await register(pat, { owner });
        assertOAuth(res, 400, 'invalid_request');
        assert.match(res.json.error_description, /resource server/);
      }
      assert.deepEqual(await resourceIdsOf(s.deps.store, 'demo', aliceId, SERVICE.id), []);
      // Its own resources it still registers.
      assert.equal((await register(pat, {})).status, 201);
      assert.equal((await register(pat, { owner: SERVICE.id })).status, 201);
    });

    it('lets a resource server with a published configuration register for a user', async () => {
      const pat = await ownPat(DEMO.rs);
      assertOAuth(await register(pat, { owner: 'alice' }), 400, 'invalid_request');
      await publishConfiguration(s.deps, { realm: 'demo', resourceServer: DEMO.rs.id, scopes: {}, types: {} });
      const res = await register(pat, { owner: 'alice' });
      assert.equal(res.status, 201, res.body);
      assert.deepEqual(await resourceIdsOf(s.deps.store, 'demo', aliceId, DEMO.rs.id), [res.json._id]);
    });

    it('still lets a user\'s PAT name herself only', async () => {
      const res = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'bob', password: DEMO.password, scope: 'uma_protection' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      const bobPat = res.json.access_token;
      assertOAuth(await register(bobPat, { owner: 'alice' }), 400, 'invalid_request');
      assert.equal((await register(bobPat, { owner: 'bob' })).status, 201);
    });
  });
}
