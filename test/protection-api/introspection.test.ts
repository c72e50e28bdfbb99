/** Token introspection (RFC 7662, Fed Authz §5) over HTTP, on both stores: callers, token kinds, inactive answers. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { issueAccessToken, issueOpaque, issueRpt, type GrantedPermission } from '@steward/core';
import { addClient, createRealm } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { addOtherResourceServer, assertError, auth, OTHER_RS, register, tokenFor } from './fixture.ts';

const INACTIVE = { active: false };
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

for (const dialect of dialects) {
  describe(`token introspection (${dialect})`, () => {
    const clock = new TestClock();
    let s: TestSteward;
    let pat: string;
    let otherPat: string;
    let aliceId: string;
    let bobId: string;
    let album: string;
    let photo: string;
    let foreign: string;

    const introspect = (params: Record<string, string | string[] | undefined>, headers: Record<string, string>) => postForm(s.app, DEMO.introspect, params, headers);

    async function rpt(permissions: Array<Omit<GrantedPermission, 'owner'>>): Promise<string> {
      const realm = (await s.deps.store.realms.get('demo'))!;
      const client = (await s.deps.store.clients.get('demo', DEMO.client.id))!;
      const issued = await issueRpt(s.deps, { realm, client, subject: bobId, grantId: s.deps.random.uuid(), permissions: permissions.map((p) => ({ owner: aliceId, ...p })) });
      return issued.token;
    }

    before(async () => {
      s = await startTestSteward(dialect, { clock });
      await addOtherResourceServer(s);
      await addClient(s.deps, 'demo', { clientId: 'public-app', grantTypes: ['authorization_code'] });
      aliceId = (await s.deps.store.users.findByUsername('demo', 'alice'))!.id;
      bobId = (await s.deps.store.users.findByUsername('demo', 'bob'))!.id;
      pat = await tokenFor(s, 'alice');
      otherPat = await tokenFor(s, 'alice', 'uma_protection', OTHER_RS);
      album = (await register(s, pat, { resource_scopes: ['view', 'delete'] })).json._id;
      photo = (await register(s, pat, { resource_scopes: ['view', 'print'] })).json._id;
      foreign = (await register(s, otherPat, { resource_scopes: ['read'] })).json._id;
    });
    after(async () => s?.close());

    describe('access tokens', () => {
      for (const [label, headers, params] of [
        ['a PAT', () => auth(pat), {}],
        ['client_secret_basic', () => ({ authorization: basic(DEMO.rs.id, DEMO.rs.secret) }), {}],
        ['client_secret_post', () => ({}), { client_id: DEMO.rs.id, client_secret: DEMO.rs.secret }],
      ] as const) {
        it(`answers a PAT with the standard response, the caller using ${label}`, async () => {
          const res = await introspect({ token: pat, ...params }, headers());
          assert.equal(res.status, 200, res.body);
          assert.match(String(res.headers['cache-control']), /no-store/);
          const jwt = claimsOf(pat);
          assert.deepEqual(res.json, {
            active: true,
            scope: 'uma_protection',
            client_id: DEMO.rs.id,
            sub: aliceId,
            exp: jwt.exp,
            iat: jwt.iat,
            jti: jwt.jti,
            iss: s.issuer,
            aud: jwt.aud,
            azp: DEMO.rs.id,
            token_type: 'Bearer',
            username: 'alice',
          });
        });
      }

      it('answers an access token only to the client it was issued to', async () => {
        const res = await introspect({ token: pat, client_id: OTHER_RS.id, client_secret: OTHER_RS.secret }, {});
        assert.equal(res.status, 200, res.body);
        assert.deepEqual(res.json, { active: false });
        assert.deepEqual((await introspect({ token: pat }, auth(otherPat))).json, { active: false });
      });

      it('ignores token_type_hint when it names another type', async () => {
        const res = await introspect({ token: pat, token_type_hint: 'refresh_token' }, auth(pat));
        assert.equal(res.json.active, true);
        assert.equal(res.json.client_id, DEMO.rs.id);
      });

      it('answers a revoked token {"active":false}', async () => {
        const victim = await tokenFor(s, 'bob');
        assert.equal((await introspect({ token: victim }, auth(pat))).json.active, true);
        assert.ok(await s.deps.store.tokens.revoke('demo', claimsOf(victim).jti));
        const res = await introspect({ token: victim }, auth(pat));
        assert.equal(res.status, 200);
        assert.deepEqual(res.json, INACTIVE);
      });
    });

    describe('RPTs', () => {
      it('shows the calling resource server its permissions, never scope', async () => {
        const token = await rpt([
          { resourceId: album, scopes: ['view'], resourceServer: DEMO.rs.id },
          { resourceId: photo, scopes: [], resourceServer: DEMO.rs.id },
        ]);
        const res = await introspect({ token, token_type_hint: 'access_token' }, auth(pat));
        assert.equal(res.status, 200, res.body);
        const jwt = claimsOf(token);
        assert.deepEqual(res.json, {
          active: true,
          permissions: [
            { resource_id: album, resource_scopes: ['view'] },
            { resource_id: photo, resource_scopes: [] },
          ],
          client_id: DEMO.client.id,
          sub: bobId,
          exp: jwt.exp,
          iat: jwt.iat,
          jti: jwt.jti,
          iss: s.issuer,
          // RFC 9068 §3: the RPT is for the resource server of its resources; the client is azp.
          aud: DEMO.rs.id,
          azp: DEMO.client.id,
          token_type: 'Bearer',
        });
        assert.equal('scope' in res.json, false);
      });

      it('answers another resource server {"active":false}', async () => {
        const token = await rpt([{ resourceId: album, scopes: ['view'], resourceServer: DEMO.rs.id }]);
        assert.deepEqual((await introspect({ token }, auth(otherPat))).json, INACTIVE);
        assert.deepEqual((await introspect({ token, client_id: OTHER_RS.id, client_secret: OTHER_RS.secret }, {})).json, INACTIVE);
      });

      it('shows each resource server only the permissions on its own resources', async () => {
        const token = await rpt([
          { resourceId: album, scopes: ['delete'], resourceServer: DEMO.rs.id },
          { resourceId: foreign, scopes: ['read'], resourceServer: OTHER_RS.id },
        ]);
        assert.deepEqual((await introspect({ token }, auth(pat))).json.permissions, [{ resource_id: album, resource_scopes: ['delete'] }]);
        assert.deepEqual((await introspect({ token }, auth(otherPat))).json.permissions, [{ resource_id: foreign, resource_scopes: ['read'] }]);
        // Both resource servers are the RPT's audience, in the JWT and in each answer.
        assert.deepEqual(claimsOf(token).aud, [DEMO.rs.id, OTHER_RS.id]);
        assert.deepEqual((await introspect({ token }, auth(pat))).json.aud, [DEMO.rs.id, OTHER_RS.id]);
        assert.deepEqual((await introspect({ token }, auth(otherPat))).json.aud, [DEMO.rs.id, OTHER_RS.id]);
      });

      it('carries a permission exp and drops permissions already expired', async () => {
        const now = clock.now();
        const token = await rpt([
          { resourceId: album, scopes: ['view'], resourceServer: DEMO.rs.id, exp: now + 60 },
          { resourceId: photo, scopes: ['view'], resourceServer: DEMO.rs.id, exp: now },
        ]);
        assert.deepEqual((await introspect({ token }, auth(pat))).json.permissions, [{ resource_id: album, resource_scopes: ['view'], exp: now + 60 }]);
      });
    });

    describe('opaque tokens', () => {
      const opaque = (kind: 'refresh' | 'pct' | 'code', clientId: string) =>
        issueOpaque(s.deps, { realm: 'demo', kind, clientId, subject: bobId, grantId: s.deps.random.uuid(), lifetime: 600, data: { scope: 'openid' } });
      const asClient = { authorization: basic(DEMO.client.id, DEMO.client.secret) };

      it('answers a refresh token to the client it was issued to, and to no one else', async () => {
        const { token, record } = await opaque('refresh', DEMO.client.id);
        const res = await introspect({ token, token_type_hint: 'refresh_token' }, asClient);
        assert.equal(res.status, 200, res.body);
        assert.deepEqual(res.json, { active: true, scope: 'openid', client_id: DEMO.client.id, sub: bobId, exp: record.expiresAt, iat: record.createdAt });
        assert.deepEqual((await introspect({ token }, auth(pat))).json, INACTIVE);
      });

      it('answers a PCT to its client', async () => {
        const { token } = await opaque('pct', DEMO.client.id);
        assert.equal((await introspect({ token }, asClient)).json.active, true);
        assert.deepEqual((await introspect({ token }, { authorization: basic(OTHER_RS.id, OTHER_RS.secret) })).json, INACTIVE);
      });

      it('never answers an authorization code', async () => {
        const { token } = await opaque('code', DEMO.client.id);
        assert.deepEqual((await introspect({ token }, asClient)).json, INACTIVE);
      });
    });

    describe('inactive', () => {
      for (const token of ['garbage', 'a.b.c', 'x'.repeat(20_000), '00000000-0000-0000-0000-000000000000']) {
        it(`answers ${token.slice(0, 20)} {"active":false} and nothing else`, async () => {
          const res = await introspect({ token }, auth(pat));
          assert.equal(res.status, 200);
          assert.deepEqual(res.json, INACTIVE);
        });
      }

      it('answers a token of another realm {"active":false}', async () => {
        await createRealm(s.deps, { id: 'elsewhere' });
        const client = await addClient(s.deps, 'elsewhere', { clientId: DEMO.rs.id, secret: 'x', grantTypes: ['client_credentials'] });
        const realm = (await s.deps.store.realms.get('elsewhere'))!;
        const issued = await issueAccessToken(s.deps, { realm, client, subject: client.clientId, scope: 'uma_protection', grantId: 'g' });
        assert.deepEqual((await introspect({ token: issued.token }, auth(pat))).json, INACTIVE);
      });
    });

    describe('caller authentication', () => {
      it('without any: 401 with a Bearer challenge', async () => {
        const res = await introspect({ token: pat }, {});
        assertError(res, 401, 'invalid_token');
        assert.equal(res.headers['www-authenticate'], 'Bearer realm="demo"');
      });

      it('with a garbage bearer token: 401 invalid_token', async () => {
        assertError(await introspect({ token: pat }, { authorization: bearer('nonsense') }), 401, 'invalid_token');
      });

      it('with a token lacking uma_protection: 403 insufficient_scope', async () => {
        assertError(await introspect({ token: pat }, auth(await tokenFor(s, 'alice', 'openid'))), 403, 'insufficient_scope');
      });

      it('as a public client: 401 invalid_client', async () => {
        assertError(await introspect({ token: pat, client_id: 'public-app' }, {}), 401, 'invalid_client');
      });

      it('with a wrong client secret: 401 invalid_client with a Basic challenge', async () => {
        const res = await introspect({ token: pat }, { authorization: basic(DEMO.rs.id, 'wrong') });
        assertError(res, 401, 'invalid_client');
        assert.equal(res.headers['www-authenticate'], 'Basic realm="demo"');
      });

      it('with no body and no credentials: 401, not 400', async () => {
        assert.equal((await request(s.app, 'POST', DEMO.introspect)).status, 401);
      });
    });

    describe('bad requests', () => {
      it('without token: 400 invalid_request', async () => {
        assertError(await introspect({}, auth(pat)), 400, 'invalid_request', /token is required/);
        assertError(await introspect({ token: '' }, auth(pat)), 400, 'invalid_request', /token is required/);
      });

      it('with token twice: 400 invalid_request', async () => {
        assertError(await introspect({ token: [pat, pat] }, auth(pat)), 400, 'invalid_request', /repeated/);
      });

      it('with a JSON body: 400 invalid_request', async () => {
        assertError(await request(s.app, 'POST', DEMO.introspect, { headers: auth(pat), body: { token: pat } }), 400, 'invalid_request');
      });

      it('with GET: 400 invalid_request', async () => {
        assertError(await request(s.app, 'GET', `${DEMO.introspect}?token=x`, { headers: auth(pat) }), 400, 'invalid_request');
      });
    });

    describe('expiry', () => {
      it('answers an expired token {"active":false}', async () => {
        const token = await rpt([{ resourceId: album, scopes: ['view'], resourceServer: DEMO.rs.id }]);
        assert.equal((await introspect({ token }, auth(pat))).json.active, true);
        clock.advance(claimsOf(token).exp - clock.now());
        const freshPat = await tokenFor(s, 'alice');
        assert.deepEqual((await introspect({ token }, auth(freshPat))).json, INACTIVE);
        assert.deepEqual((await introspect({ token: pat }, auth(freshPat))).json, INACTIVE);
      });
    });
  });
}
