/**
 * The kit against a real Steward over HTTP, on both stores: a Fastify app and an Express app protected
 * by it, each verifying RPTs by JWKS and by introspection, with the owner's PAT supplied by the app or
 * the resource server's own PAT by client_credentials. No token → 401 challenge; Bob's client trades the
 * ticket for an RPT; the retry passes and the handler sees the grant; an RPT for `view` on a route
 * needing `pay` → 401 with a new ticket for `pay`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../store/test/databases.ts';
import { startTestSteward, type TestSteward } from '../../../test/helpers/steward.ts';
import { createUmaEnforcer, TOKEN_DESCRIPTIONS, type UmaEnforcerOptions, type UmaVerifyMode } from '../src/index.ts';
import { expressApp, fastifyApp, type TestApp } from './apps.ts';
import { alicePat, aliceSharesWithBob, bobId, bobRpt, bobTrades, registerResource, rsPat, rsSharesWithBob, ticketOf } from './steward-world.ts';

interface Setup {
  adapter: 'fastify' | 'express';
  verify: UmaVerifyMode;
  pat: 'owner' | 'client_credentials';
}

const SETUPS: Setup[] = [
  { adapter: 'fastify', verify: 'jwks', pat: 'owner' },
  { adapter: 'express', verify: 'introspection', pat: 'owner' },
  { adapter: 'fastify', verify: 'introspection', pat: 'client_credentials' },
  { adapter: 'express', verify: 'jwks', pat: 'client_credentials' },
];

for (const dialect of dialects) {
  describe(`@steward/rs against Steward (${dialect})`, () => {
    let s: TestSteward;
    let ownerPat: string;
    let aliceAlbum: string;
    let rsAlbum: string;

    before(async () => {
      s = await startTestSteward(dialect, { listen: true });
      ownerPat = await alicePat(s);
      aliceAlbum = await registerResource(s, ownerPat, "Alice's album", ['view', 'pay']);
      await aliceSharesWithBob(s, aliceAlbum, ['view']);
      rsAlbum = await registerResource(s, await rsPat(s), 'The shop album', ['view', 'pay']);
      await rsSharesWithBob(s, rsAlbum, ['view']);
    });
    after(async () => s?.close());

    for (const setup of SETUPS) {
      describe(`${setup.adapter}, ${setup.verify}, ${setup.pat} PAT`, () => {
        let app: TestApp;
        let album: string;
        const realm = 'photos';

        before(async () => {
          album = setup.pat === 'owner' ? aliceAlbum : rsAlbum;
          const credentials: Partial<UmaEnforcerOptions> = setup.pat === 'owner'
            ? { pat: ({ resourceId }) => (assert.equal(resourceId, album), ownerPat) }
            : { clientId: 'photoz-rs', clientSecret: 'photoz-rs-secret' };
          const enforcer = createUmaEnforcer({ issuer: s.issuer, realm, verify: setup.verify, timeoutMs: 2000, ...credentials });
          app = setup.adapter === 'fastify' ? await fastifyApp(enforcer) : await expressApp(enforcer);
        });
        after(async () => app?.close());

        it('challenges a tokenless request; the ticket buys an RPT; the retry passes with the typed grant', async () => {
          const first = await app.call('GET', `/albums/${album}`);
          assert.equal(first.status, 401);
          const ticket = ticketOf(first.headers['www-authenticate'], realm, s.issuer);
          assert.deepEqual(first.json, { error: 'unauthorized', error_description: first.json.error_description, as_uri: s.issuer, ticket });
          assert.equal(app.seen.length, 0);

          const rpt = await bobRpt(s, ticket);
          const second = await app.call('GET', `/albums/${album}`, { rpt });
          assert.equal(second.status, 200, JSON.stringify(second.json));
          assert.deepEqual(second.json, { ok: true, granted: { resourceId: album, scopes: ['view'] }, subject: await bobId(s) });
          assert.equal(app.seen.length, 1);
          const grant = app.seen[0]!;
          assert.equal(grant.rpt, rpt);
          assert.equal(grant.clientId, 'photoz-client');
          assert.deepEqual(grant.permissions.map((p) => [p.resource_id, p.resource_scopes]), [[album, ['view']]]);
        });

        it('an RPT for view on a route needing pay gets a new ticket, for pay', async () => {
          const rpt = await bobRpt(s, ticketOf((await app.call('GET', `/albums/${album}`)).headers['www-authenticate'], realm, s.issuer));
          const before = app.seen.length;
          const res = await app.call('POST', `/albums/${album}/pay`, { rpt });
          assert.equal(res.status, 401);
          assert.ok(String(res.headers['www-authenticate']).endsWith(', error="insufficient_scope", error_description="The RPT has no current permission for this resource with the needed scopes"'));
          const ticket = ticketOf(res.headers['www-authenticate'], realm, s.issuer);
          assert.equal(app.seen.length, before);
          // The ticket asks for pay, which Alice never shared: Bob's client is refused.
          const traded = await bobTrades(s, ticket);
          assert.equal(traded.status, 403);
          assert.equal(traded.json.error, 'request_submitted');
        });

        it('the RPC route takes its scope from the body', async () => {
          const rpt = await bobRpt(s, ticketOf((await app.call('GET', `/albums/${album}`)).headers['www-authenticate'], realm, s.issuer));
          const view = await app.call('POST', `/rpc/${album}`, { rpt, body: { action: 'view' } });
          assert.equal(view.status, 200, JSON.stringify(view.json));
          assert.deepEqual(view.json.granted, { resourceId: album, scopes: ['view'] });
          const before = app.seen.length;
          const pay = await app.call('POST', `/rpc/${album}`, { rpt, body: { action: 'pay' } });
          assert.equal(pay.status, 401);
          ticketOf(pay.headers['www-authenticate'], realm, s.issuer);
          assert.equal(app.seen.length, before);
        });

        it('a garbage bearer token gets a challenge that says invalid_token', async () => {
          const res = await app.call('GET', `/albums/${album}`, { rpt: 'not.a-token.at-all' });
          assert.equal(res.status, 401);
          ticketOf(res.headers['www-authenticate'], realm, s.issuer);
          const code = setup.verify === 'jwks' ? 'token_malformed' : 'token_inactive';
          assert.ok(String(res.headers['www-authenticate']).endsWith(`, error="invalid_token", error_description="${TOKEN_DESCRIPTIONS[code]}"`), res.headers['www-authenticate']);
          assert.equal(app.seen.filter((g) => g.rpt === 'not.a-token.at-all').length, 0);
        });
      });
    }

    it('an owner PAT the AS refuses is replaced once by the app and the permission request retried', async () => {
      const asked: Array<string | undefined> = [];
      const enforcer = createUmaEnforcer({
        issuer: s.issuer,
        timeoutMs: 2000,
        pat: ({ refused }) => {
          asked.push(refused);
          return refused ? ownerPat : 'revoked-or-forged-pat';
        },
      });
      const res = await enforcer.check({ resourceId: aliceAlbum, scopes: ['view'] });
      assert.equal(res.ok, false);
      assert.equal(!res.ok && res.status, 401);
      assert.equal(!res.ok && res.headers['www-authenticate']?.startsWith('UMA realm="resource-server", as_uri="'), true);
      assert.deepEqual(asked, [undefined, 'revoked-or-forged-pat']);
    });

    it('no ticket for a resource Steward does not know: 403 ticket_unavailable, never a pass', async () => {
      const app = await fastifyApp(createUmaEnforcer({ issuer: s.issuer, clientId: 'photoz-rs', clientSecret: 'photoz-rs-secret', timeoutMs: 2000 }));
      try {
        const res = await app.call('GET', '/albums/no-such-album');
        assert.equal(res.status, 403);
        assert.equal(res.headers.warning, '199 - "UMA Authorization Server Unreachable"');
        assert.equal(res.headers['www-authenticate'], undefined);
        assert.equal(res.json.error, 'ticket_unavailable');
        assert.equal(res.json.code, 'permission_refused');
        assert.equal(app.seen.length, 0);
      } finally {
        await app.close();
      }
    });
  });
}
