/**
 * Revocation reaches a resource server built with the kit, over real HTTP, on both stores: the kit
 * follows Steward's revocation event stream, so an RPT revoked by the owner (the console's call: her
 * share narrowed through the owner policies API), by its client at the revocation endpoint, or by an
 * upgrade (UMA Grant §3.3.5.1) is refused less than a second after the revoking call answered, in JWKS
 * mode (no introspection) and in introspection mode despite the answer cache. While the stream is down
 * the kit introspects every RPT, so a revocation it did not hear of is refused all the same.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../store/test/databases.ts';
import { startTestSteward, type TestSteward } from '../../../test/helpers/steward.ts';
import { basic, DEMO, postForm, request } from '../../../test/helpers/http.ts';
import { createUmaEnforcer, type UmaEnforcer, type UmaEnforcerErrorCode, type UmaVerifyMode } from '../src/index.ts';
import { fastifyApp, type TestApp } from './apps.ts';
import { alicePat, aliceSharesWithBob, bobRpt, registerResource, rsPat, UMA_GRANT } from './steward-world.ts';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (polling) until `test` holds, at most `ms`. */
async function within(ms: number, test: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await pause(10);
  }
}

/** A fetch that can cut the kit off the event stream, and counts introspections. */
function switchableFetch() {
  const state = { streamDown: false, introspections: 0, streams: new Set<AbortController>() };
  const wrapped: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.endsWith('/authz/protection/events')) {
      if (state.streamDown) return new Response('{"error":"server_error"}', { status: 503 });
      const abort = new AbortController();
      state.streams.add(abort);
      init?.signal?.addEventListener('abort', () => abort.abort());
      return fetch(input, { ...init, signal: abort.signal });
    }
    if (url.endsWith('/token/introspect')) state.introspections++;
    return fetch(input, init);
  };
  return {
    state,
    fetch: wrapped,
    /** Breaks the open stream and refuses new ones (a proxy in between failing). */
    cut() {
      state.streamDown = true;
      for (const abort of state.streams) abort.abort();
    },
  };
}

for (const dialect of dialects) {
  describe(`@steward/rs refuses revoked RPTs (${dialect})`, () => {
    let s: TestSteward;
    let ownerPat: string;
    const apps: TestApp[] = [];

    before(async () => {
      s = await startTestSteward(dialect, { listen: true, env: { STEWARD_EVENTS_POLL_MS: '200' } });
      ownerPat = await alicePat(s);
    });
    after(async () => {
      for (const app of apps) await app.close();
      await s?.close();
    });

    /** A JWKS- or introspection-mode app with the resource server's own credentials; resolves once its stream is live. */
    async function protectedApp(verify: UmaVerifyMode, fetchImpl: typeof fetch = fetch): Promise<{ app: TestApp; enforcer: UmaEnforcer; codes: UmaEnforcerErrorCode[] }> {
      const codes: UmaEnforcerErrorCode[] = [];
      const enforcer = createUmaEnforcer({ issuer: s.issuer, clientId: DEMO.rs.id, clientSecret: DEMO.rs.secret, verify, timeoutMs: 2000, fetch: fetchImpl, onError: (e) => void codes.push(e.code) });
      const app = await fastifyApp(enforcer);
      apps.push(app);
      await app.call('GET', '/open');
      await app.call('GET', '/albums/none'); // the first check starts the stream
      await within(3000, () => enforcer.revocationEvents === 'live', 'the stream is live');
      return { app, enforcer, codes };
    }

    /** A resource of Alice shared with Bob for `view`, and Bob's RPT for it. */
    async function sharedAlbum(): Promise<{ album: string; rpt: string }> {
      const album = await registerResource(s, ownerPat, 'Album', ['view']);
      await aliceSharesWithBob(s, album, ['view']);
      const ticket = await request(s.app, 'POST', DEMO.permission, { headers: { authorization: `Bearer ${await rsPat(s)}` }, body: { resource_id: album, resource_scopes: ['view'] } });
      return { album, rpt: await bobRpt(s, ticket.json.ticket) };
    }

    /** Asserts the protected request is refused (401 invalid_token) within a second of `revoked` (ms). */
    async function refusedWithinASecond(app: TestApp, album: string, rpt: string, revoked: number): Promise<void> {
      await within(1000 - (Date.now() - revoked), async () => (await app.call('GET', `/albums/${album}`, { rpt })).status === 401, 'refused');
      const res = await app.call('GET', `/albums/${album}`, { rpt });
      assert.equal(res.status, 401);
      assert.match(res.headers['www-authenticate']!, /error="invalid_token", error_description="The RPT has been revoked"$/);
    }

    for (const verify of ['jwks', 'introspection'] as const) {
      it(`${verify}: Alice revoking Bob's share (the console's call) stops his RPT within a second`, async () => {
        const { app, codes } = await protectedApp(verify);
        const { album, rpt } = await sharedAlbum();
        assert.equal((await app.call('GET', `/albums/${album}`, { rpt })).status, 200);
        assert.equal((await app.call('GET', `/albums/${album}`, { rpt })).status, 200, 'again (introspection: from the cache)');
        const auth = await request(s.app, 'POST', '/json/realms/root/realms/demo/authenticate', { headers: { 'x-openam-username': 'alice', 'x-openam-password': DEMO.password } });
        const res = await request(s.app, 'DELETE', `/json/realms/root/realms/demo/users/alice/uma/policies/${album}`, { headers: { iplanetdirectorypro: auth.json.tokenId } });
        assert.equal(res.status, 200, res.body);
        await refusedWithinASecond(app, album, rpt, Date.now());
        assert.ok(codes.includes('token_revoked'), codes.join(' '));
      });
    }

    it('jwks: an RPT revoked at the revocation endpoint, and one upgraded, are refused within a second, without introspection', async () => {
      const wire = switchableFetch();
      const { app } = await protectedApp('jwks', wire.fetch);
      const { album, rpt } = await sharedAlbum();
      assert.equal((await app.call('GET', `/albums/${album}`, { rpt })).status, 200);
      const before = wire.state.introspections;
      const revoked = await postForm(s.app, DEMO.revoke, { token: rpt }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
      assert.equal(revoked.status, 200);
      await refusedWithinASecond(app, album, rpt, Date.now());

      const second = await sharedAlbum();
      assert.equal((await app.call('GET', `/albums/${second.album}`, { rpt: second.rpt })).status, 200);
      // Bob's client upgrades the RPT with a new ticket: the old one is revoked by the grant.
      const ticket = await request(s.app, 'POST', DEMO.permission, { headers: { authorization: `Bearer ${await rsPat(s)}` }, body: { resource_id: second.album, resource_scopes: ['view'] } });
      const idt = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'bob', password: DEMO.password, scope: 'openid' }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
      const upgrade = await postForm(s.app, DEMO.token, { grant_type: UMA_GRANT, ticket: ticket.json.ticket, rpt: second.rpt, claim_token: idt.json.id_token, claim_token_format: 'urn:ietf:params:oauth:token-type:id_token' }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
      assert.equal(upgrade.status, 200, upgrade.body);
      await refusedWithinASecond(app, second.album, second.rpt, Date.now());
      assert.equal((await app.call('GET', `/albums/${second.album}`, { rpt: upgrade.json.access_token })).status, 200, 'the upgraded RPT works');
      assert.equal(wire.state.introspections, before, 'JWKS mode with a live stream never introspects');
    });

    it('jwks: while the stream is down the kit introspects every RPT, so a revocation it missed is refused', async () => {
      const wire = switchableFetch();
      const { app, enforcer, codes } = await protectedApp('jwks', wire.fetch);
      const { album, rpt } = await sharedAlbum();
      const other = await sharedAlbum();
      assert.equal((await app.call('GET', `/albums/${album}`, { rpt })).status, 200);
      wire.cut();
      await within(2000, () => enforcer.revocationEvents === 'down', 'the stream is down');
      const revoked = await postForm(s.app, DEMO.revoke, { token: rpt }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
      assert.equal(revoked.status, 200);
      await pause(600); // past Steward's poll: the event is not going to arrive
      const before = wire.state.introspections;
      const res = await app.call('GET', `/albums/${album}`, { rpt });
      assert.equal(res.status, 401);
      assert.equal(codes.at(-1), 'token_inactive', 'refused by introspection');
      assert.equal((await app.call('GET', `/albums/${other.album}`, { rpt: other.rpt })).status, 200, 'a live RPT still passes, by introspection');
      assert.equal(wire.state.introspections, before + 2);
      // The stream comes back: it resumes, and the kit verifies locally again.
      wire.state.streamDown = false;
      await within(5000, () => enforcer.revocationEvents === 'live', 'the stream is live again');
      assert.equal((await app.call('GET', `/albums/${album}`, { rpt })).status, 401, 'the missed revocation arrived with the resume');
      assert.equal(codes.at(-1), 'token_revoked');
    });
  });
}
