/**
 * @module test/keycloak/connect
 * keycloak-connect 26.1.1, unchanged, in an Express app against a real Steward on the demo realm:
 * `protect()` validates Steward's RS256 tokens, the policy enforcer (permissions and token modes,
 * pushed claims) lets Bob view Alice's shared album and refuses his edit, Chris and anonymous
 * callers; the partial grant Keycloak lets through is refused; Alice's withdrawal through `uma-policy`
 * refuses Bob at once. The library's own password grant checks the ID token (typ ID, aud, azp).
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import Keycloak from 'keycloak-connect';
import { issuePasswordTokens } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO } from '../helpers/http.ts';
import { freePort } from '../helpers/steward.ts';
import { keycloakWorld, payload, RS, share, type KeycloakWorld } from './fixture.ts';

const CLAIMS = { 'http.uri': ['/album/claims'], user_agent: ['mozilla'] };

function keycloakConfig(w: KeycloakWorld, bearerOnly = true) {
  return { realm: 'demo', 'auth-server-url': w.s.baseUrl, resource: RS.id, credentials: { secret: RS.secret }, 'bearer-only': bearerOnly } as never;
}

/** The resource server: an Express app protected by keycloak-connect, exactly as its README shows. */
async function startApp(w: KeycloakWorld): Promise<{ url: string; server: Server }> {
  const keycloak = new Keycloak({}, keycloakConfig(w));
  const app = express();
  app.use(keycloak.middleware());
  const show = (req: express.Request, res: express.Response) => {
    res.json({ permissions: (req as { permissions?: unknown }).permissions ?? null, rpt: Boolean((req as { kauth?: { grant?: unknown } }).kauth?.grant) });
  };
  app.get('/me', keycloak.protect(), (req, res) => res.json({ sub: (req as any).kauth.grant.access_token.content.sub }));
  // Alice's resources, shared with Bob, are named by id: a name resolves only among the caller's own and the resource server's own.
  app.get('/album/view', keycloak.enforcer(`${w.album}:view`), show);
  app.get('/album/edit', keycloak.enforcer(`${w.album}:edit`), show);
  app.get('/album-and-photo', keycloak.enforcer([`${w.album}:view`, `${w.photo}:view`]), show);
  app.get('/album/token', keycloak.enforcer(`${w.album}:view`, { response_mode: 'token' }), show);
  app.get('/album/claims', keycloak.enforcer(`${w.album}:view`, { claims: () => CLAIMS }), show);
  const port = await freePort();
  const server = await new Promise<Server>((resolve) => {
    const srv = app.listen(port, '127.0.0.1', () => resolve(srv));
  });
  return { url: `http://127.0.0.1:${port}`, server };
}

for (const dialect of dialects) {
  describe(`keycloak-connect 26.1.1 against Steward (${dialect})`, () => {
    let w: KeycloakWorld;
    let rs: { url: string; server: Server };
    before(async () => {
      w = await keycloakWorld(dialect);
      rs = await startApp(w);
    });
    after(async () => {
      await new Promise((resolve) => rs?.server.close(resolve));
      await w?.close();
    });

    const get = async (path: string, token?: string) => {
      const res = await fetch(`${rs.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
      const text = await res.text();
      return { status: res.status, text, json: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined };
    };

    it('the library\'s own password grant (Basic plus client_id in the body, scope=openid) yields tokens it validates, ID token included', async () => {
      const keycloak = new Keycloak({}, keycloakConfig(w, false));
      const grant = (await keycloak.grantManager.obtainDirectly('bob', DEMO.password)) as any;
      assert.equal(grant.access_token.content.typ, 'Bearer');
      assert.equal(grant.id_token.content.typ, 'ID');
      assert.equal(grant.id_token.content.azp, RS.id);
      assert.equal(grant.access_token.content.iss, `${w.s.baseUrl}/realms/demo`);
      // client_credentials as the library asks it (scope=openid) is a PAT all the same.
      const cc = (await keycloak.grantManager.obtainFromClientCredentials(undefined as never, undefined as never)) as any;
      assert.match(cc.access_token.content.scope, /\buma_protection\b/);
    });

    it('the library\'s introspection (Basic plus client_id/client_secret in the body) and userinfo', async () => {
      const keycloak = new Keycloak({}, keycloakConfig(w));
      assert.equal(await keycloak.grantManager.validateAccessToken(w.bob), w.bob);
      const info = (await keycloak.grantManager.userInfo(w.bob)) as { sub: string };
      assert.equal(info.sub, payload(w.bob).sub);
    });

    it('the enforcer in public-client mode sends the user\'s photoz-spa token as bearer: Bob views, cannot edit', async () => {
      const realm = (await w.s.deps.store.realms.get('demo'))!;
      const spa = (await w.s.deps.store.clients.get('demo', 'photoz-spa'))!;
      const bobSpa = (await issuePasswordTokens(w.s.deps, { realm, client: spa, username: 'bob', password: DEMO.password, scope: undefined, address: '127.0.0.1' })).accessToken;
      const keycloak = new Keycloak({}, { realm: 'demo', 'auth-server-url': w.s.baseUrl, resource: 'photoz-spa', 'public-client': true, 'bearer-only': true } as never);
      const app = express();
      app.use(keycloak.middleware());
      app.get('/view', keycloak.enforcer(`${w.album}:view`, { resource_server_id: RS.id }), (_req, res) => res.json({ ok: true }));
      app.get('/edit', keycloak.enforcer(`${w.album}:edit`, { resource_server_id: RS.id }), (_req, res) => res.json({ ok: true }));
      const port = await freePort();
      const server = await new Promise<Server>((resolve) => {
        const srv = app.listen(port, '127.0.0.1', () => resolve(srv));
      });
      try {
        const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${bobSpa}` } });
        assert.equal((await get('/view')).status, 200);
        assert.equal((await get('/edit')).status, 403);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('protect() accepts Steward\'s token and refuses anonymous and forged callers', async () => {
      const me = await get('/me', w.bob);
      assert.equal(me.status, 200, me.text);
      assert.equal(me.json.sub, payload(w.bob).sub);
      assert.equal((await get('/me')).status, 403);
      const [h, p] = w.bob.split('.');
      assert.equal((await get('/me', `${h}.${p}.${'A'.repeat(342)}`)).status, 403);
    });

    it('permissions mode: Bob views Alice\'s shared album and gets Steward\'s permissions', async () => {
      const res = await get('/album/view', w.bob);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.permissions, [{ rsid: w.album, rsname: 'Album', scopes: ['view'] }]);
    });

    it('refuses Bob\'s edit, Chris and anonymous callers', async () => {
      assert.equal((await get('/album/edit', w.bob)).status, 403);
      assert.equal((await get('/album/view', w.chris)).status, 403);
      assert.equal((await get('/album/view')).status, 403);
    });

    it('fail-closed: Bob holds the album but not the photo\'s view; the enforcer (which passes unlisted resources) is refused', async () => {
      const res = await get('/album-and-photo', w.bob);
      assert.equal(res.status, 403, res.text);
    });

    it('token mode: the RPT passes the library\'s own checks (RS256, typ Bearer, iss, authorization.permissions)', async () => {
      const res = await get('/album/token', w.bob);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.rpt, true);
      assert.equal((await get('/album/token', w.chris)).status, 403);
    });

    it('pushed claims reach Steward, which accepts them and does not echo them (unverified)', async () => {
      const res = await get('/album/claims', w.bob);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.permissions, [{ rsid: w.album, rsname: 'Album', scopes: ['view'] }]);
    });

    it('Alice deleting the share through uma-policy refuses Bob at once, and sharing again lets him back', async () => {
      const del = await fetch(`${w.s.issuer}/authz/protection/uma-policy/${w.album}`, { method: 'DELETE', headers: { authorization: `Bearer ${w.alice}` } });
      assert.equal(del.status, 204);
      assert.equal((await get('/album/view', w.bob)).status, 403);
      assert.equal((await get('/album/token', w.bob)).status, 403);
      assert.equal((await share(w, w.album, { users: ['bob'], scopes: ['view'] })).status, 200);
      assert.equal((await get('/album/view', w.bob)).status, 200);
    });
  });
}
