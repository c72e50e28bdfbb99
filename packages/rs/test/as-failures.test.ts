/**
 * The authorization server down, slow or failing, through both adapters: 403 with the UMA Warning
 * (a refused ticket or PAT too, with its own code), 500 for a misconfiguration, never a pass. PATs by
 * client_credentials: cached, refreshed before expiry, replaced
 * once when refused. Challenge values are quote-escaped.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { createUmaEnforcer } from '../src/index.ts';
import { FakeAs } from './fake-as.ts';
import { ADAPTERS, assertChallenge, assertMisconfigured, assertTicketUnavailable, assertUnreachable, once, protect, resetFake, RESOURCE } from './fake-world.ts';

/** A loopback port with nothing listening (connection refused). */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

for (const adapter of ADAPTERS) {
  describe(`authorization server failures (${adapter})`, () => {
    let as: FakeAs;
    before(async () => {
      as = await FakeAs.start();
    });
    beforeEach(() => resetFake(as));
    after(async () => as?.close());

    it('AS down (connection refused): 403 + Warning', async () => {
      const { res, app } = await once(adapter, as, undefined, { issuer: `http://127.0.0.1:${await deadPort()}/realms/fake` });
      assertUnreachable(res, app, 'as_unreachable');
    });

    it('AS slow: discovery, PAT, permission request or JWKS past the timeout → 403 + Warning', async () => {
      for (const path of ['discovery', 'token', 'permission', 'jwks'] as const) {
        resetFake(as);
        as.hang[path] = true;
        const rpt = await as.rpt({ permissions: [{ resource_id: RESOURCE, resource_scopes: ['pay'] }] });
        const { res, app } = await once(adapter, as, path === 'jwks' ? rpt : undefined, { timeoutMs: 150 });
        assertUnreachable(res, app, 'as_timeout');
        assert.equal(as.callsTo(path).length, 1, path);
      }
    });

    it('a 5xx, 429 or 408 from the permission endpoint, the discovery, the token endpoint or the JWKS → 403 + Warning', async () => {
      for (const path of ['permission', 'discovery', 'token', 'jwks'] as const) {
        for (const status of [500, 503, 429, 408]) {
          resetFake(as);
          as.status[path] = status;
          const { res, app } = await once(adapter, as, path === 'jwks' ? await as.rpt({ permissions: [] }) : undefined);
          assertUnreachable(res, app, 'as_server_error');
        }
      }
    });

    it('a ticket unfit for a header → 403 + Warning (as_bad_response); a discovery document naming another issuer → 500 issuer_mismatch', async () => {
      as.ticket = 'abc\r\nSet-Cookie: x=1';
      const badTicket = await once(adapter, as, undefined);
      assertUnreachable(badTicket.res, badTicket.app, 'as_bad_response');
      resetFake(as);
      as.claimedIssuer = 'https://evil.example/realms/fake';
      const wrongIssuer = await once(adapter, as, undefined);
      assertMisconfigured(wrongIssuer.res, wrongIssuer.app, 'issuer_mismatch');
      assert.equal(as.callsTo('permission').length, 0);
    });

    it('quote-escapes the realm and the ticket in the challenge', async () => {
      as.ticket = 'a"b\\c';
      const { res, app } = await once(adapter, as, undefined, { realm: 'my "photos"' });
      assert.equal(res.status, 401);
      assert.equal(res.headers['www-authenticate'], `UMA realm="my \\"photos\\"", as_uri="${as.issuer}", ticket="a\\"b\\\\c"`);
      assert.equal(app.seen.length, 0);
    });

    it('leaves unprotected and unknown routes alone, without calling the AS', async () => {
      const app = await protect(adapter, as);
      try {
        const open = await app.call('GET', '/open');
        assert.equal(open.status, 200);
        assert.deepEqual(open.json, { open: true });
        assert.equal((await app.call('GET', '/nowhere')).status, 404);
        assert.equal(as.calls.length, 0);
      } finally {
        await app.close();
      }
    });

    it('the default realm is resource-server', async () => {
      const enforcer = createUmaEnforcer({ issuer: as.issuer, clientId: 'rs', clientSecret: 'rs-secret', timeoutMs: 300 });
      const result = await enforcer.check({ resourceId: RESOURCE, scopes: ['view'] });
      assert.deepEqual(result.ok ? null : result.headers, { 'www-authenticate': `UMA realm="resource-server", as_uri="${as.issuer}", ticket="${as.ticket}"` });
    });

    it('caches the client_credentials PAT across requests', async () => {
      const app = await protect(adapter, as);
      try {
        for (let i = 0; i < 3; i++) assertChallenge(as, await app.call('GET', `/albums/${RESOURCE}`), app);
        assert.equal(as.callsTo('token').length, 1);
        assert.equal(as.callsTo('discovery').length, 1);
        const auths = as.callsTo('permission').map((c) => c.authorization);
        assert.equal(auths.length, 3);
        assert.equal(new Set(auths).size, 1);
        assert.match(auths[0]!, /^Bearer pat-\d+$/);
      } finally {
        await app.close();
      }
    });

    it('refreshes a PAT before it expires', async () => {
      as.patExpiresIn = 0;
      const app = await protect(adapter, as);
      try {
        for (let i = 0; i < 3; i++) assertChallenge(as, await app.call('GET', `/albums/${RESOURCE}`), app);
        assert.equal(as.callsTo('token').length, 3);
        assert.equal(new Set(as.callsTo('permission').map((c) => c.authorization)).size, 3);
      } finally {
        await app.close();
      }
    });

    it('a PAT refused with 401 is replaced once and the request retried', async () => {
      const app = await protect(adapter, as);
      try {
        assertChallenge(as, await app.call('GET', `/albums/${RESOURCE}`), app);
        as.validPats.clear();
        assertChallenge(as, await app.call('GET', `/albums/${RESOURCE}`), app);
        assert.equal(as.callsTo('token').length, 2);
        const auths = as.callsTo('permission').map((c) => c.authorization);
        assert.equal(auths.length, 3);
        assert.equal(auths[1], auths[0]);
        assert.notEqual(auths[2], auths[1]);
      } finally {
        await app.close();
      }
    });

    it('a PAT refused again after the refresh → 403 pat_rejected, a client the token endpoint refuses → 500 invalid_client; no loop', async () => {
      const app = await protect(adapter, as);
      try {
        as.status.permission = 401;
        assertTicketUnavailable(await app.call('GET', `/albums/${RESOURCE}`), app, 'pat_rejected');
        assert.equal(as.callsTo('permission').length, 2);
        assert.equal(as.callsTo('token').length, 2);
      } finally {
        await app.close();
      }
      resetFake(as);
      const refused = await once(adapter, as, undefined, { clientSecret: 'wrong' });
      assertMisconfigured(refused.res, refused.app, 'invalid_client');
      assert.equal(as.callsTo('permission').length, 0);
    });

    it('an app PAT supplier that fails or gives no PAT → 403 + Warning, ticket_unavailable pat_supplier_failed', async () => {
      for (const pat of [() => { throw new Error('vault sealed'); }, () => '', () => undefined as unknown as string]) {
        resetFake(as);
        const { res, app } = await once(adapter, as, undefined, { pat });
        assertTicketUnavailable(res, app, 'pat_supplier_failed');
        assert.equal(as.callsTo('permission').length, 0);
      }
    });
  });
}
