/** Discovery documents, JWKS and the realm issuer, on both stores. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compactVerify, createLocalJWKSet } from 'jose';
import { dialects } from '../../packages/store/test/databases.ts';
import { request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';

for (const dialect of dialects) {
  describe(`discovery (${dialect})`, () => {
    let steward: TestSteward;
    before(async () => {
      steward = await startTestSteward(dialect);
    });
    after(async () => steward?.close());

    for (const path of ['/realms/demo/.well-known/uma2-configuration', '/.well-known/uma2-configuration/realms/demo', '/realms/demo/.well-known/openid-configuration', '/.well-known/oauth-authorization-server/realms/demo']) {
      it(`serves ${path}`, async () => {
        const res = await request(steward.app, 'GET', path);
        assert.equal(res.status, 200);
        assert.match(String(res.headers['content-type']), /application\/json/);
        assert.equal(res.json.issuer, steward.issuer);
        for (const k of ['token_endpoint', 'permission_endpoint', 'resource_registration_endpoint', 'introspection_endpoint', 'claims_interaction_endpoint', 'jwks_uri', 'authorization_endpoint']) {
          assert.ok(String(res.json[k]).startsWith(steward.issuer), k);
        }
        assert.ok(res.json.grant_types_supported.includes('urn:ietf:params:oauth:grant-type:uma-ticket'));
        assert.ok(res.json.uma_profiles_supported.includes('urn:ietf:params:oauth:token-type:id_token'));
        assert.deepEqual(res.json.code_challenge_methods_supported, ['S256']);
        assert.match(String(res.headers['cache-control']), /no-store/);
      });
    }

    it('answers 404 for an unknown realm, in the OAuth error shape', async () => {
      const res = await request(steward.app, 'GET', '/realms/nope/.well-known/uma2-configuration');
      assert.equal(res.status, 404);
      assert.equal(res.json.error, 'not_found');
    });

    it('publishes an ES256 and an RS256 key, and tokens verify against them', async () => {
      const res = await request(steward.app, 'GET', '/realms/demo/protocol/openid-connect/certs');
      assert.equal(res.status, 200);
      const algs = res.json.keys.map((k: { alg: string }) => k.alg).sort();
      assert.deepEqual(algs, ['ES256', 'RS256']);
      for (const k of res.json.keys) {
        assert.equal(k.d, undefined, 'no private parts');
        assert.equal(k.use, 'sig');
      }
      const jwt = await steward.deps.signer.sign('demo', 'RS256', { iss: steward.issuer, x: 1 }, 'Bearer');
      const { protectedHeader } = await compactVerify(jwt, createLocalJWKSet(res.json));
      assert.equal(protectedHeader.alg, 'RS256');
      assert.deepEqual(await steward.deps.signer.verify('demo', jwt), { iss: steward.issuer, x: 1 });
      assert.equal(await steward.deps.signer.verify('demo', jwt.slice(0, -4) + 'AAAA'), null);
    });

    it('answers unknown routes with a JSON 404', async () => {
      const res = await request(steward.app, 'GET', '/nothing/here');
      assert.equal(res.status, 404);
      assert.equal(res.json.error, 'not_found');
    });

    it('reports health', async () => {
      assert.equal((await request(steward.app, 'GET', '/health/live')).status, 200);
      const ready = await request(steward.app, 'GET', '/health/ready');
      assert.equal(ready.status, 200);
      assert.equal(ready.json.status, 'UP');
    });
  });
}
