/** refresh_token grant: rotation, replay detection, scope narrowing and RPT refresh, on both stores. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { issueOpaque, type GrantedPermission, opaqueKey } from '@steward/core';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertError, assertTokenResponse, CLIENT, jtiOf, passwordGrant, refreshGrant, RS, userId, verifyJwt } from './fixture.ts';

for (const dialect of dialects) {
  describe(`refresh_token grant (${dialect})`, () => {
    let steward: TestSteward;
    let alice: string;
    before(async () => {
      steward = await startTestSteward(dialect);
      alice = await userId(steward, 'alice');
      await addClient(steward.deps, 'demo', { clientId: 'public-app', grantTypes: ['password', 'refresh_token'] });
      await addClient(steward.deps, 'demo', { clientId: 'no-refresh', secret: 'no-refresh-secret', grantTypes: ['password'] });
    });
    after(async () => steward?.close());

    const hashOf = (token: string) => opaqueKey(steward.deps, token);
    const record = (id: string) => steward.deps.store.tokens.get('demo', id);

    /** A refresh token issued straight into the store, as the UMA grant or a long-past grant would. */
    async function storedRefreshToken(data: Record<string, unknown>, options: { lifetime?: number; subject?: string; clientId?: string } = {}) {
      const grantId = steward.deps.random.uuid();
      const { token } = await issueOpaque(steward.deps, {
        realm: 'demo',
        kind: 'refresh',
        clientId: options.clientId ?? CLIENT.id,
        subject: options.subject ?? alice,
        grantId,
        lifetime: options.lifetime ?? 600,
        data,
      });
      return { token, grantId };
    }

    it('rotates: new access and refresh tokens of the same grant; the old refresh token is spent', async () => {
      const first = assertTokenResponse(await passwordGrant(steward, 'alice'), 'profile email');
      const second = assertTokenResponse(await refreshGrant(steward, first.refresh_token), 'profile email');
      assert.equal(typeof second.refresh_token, 'string');
      assert.notEqual(second.refresh_token, first.refresh_token);
      assert.equal(second.id_token, undefined);
      const claims = await verifyJwt(steward, second.access_token, { sub: alice, azp: CLIENT.id, typ: 'Bearer' });
      assert.equal(claims.scope, 'profile email');
      assert.equal(claims.preferred_username, 'alice');
      const grantId = (await record(jtiOf(first.access_token)))!.grantId;
      assert.equal((await record(claims.jti))?.grantId, grantId);
      assert.equal((await record(hashOf(second.refresh_token)))?.grantId, grantId);
      assert.equal((await record(jtiOf(first.access_token)))?.revoked, false, 'rotation alone revokes nothing');
    });

    it('gives the rotated refresh token the expiry of the one it replaces, so the grant ends on time', async () => {
      const { token } = await storedRefreshToken({ scope: 'profile' }, { lifetime: 5 });
      const expiresAt = (await record(hashOf(token)))!.expiresAt;
      const next = assertTokenResponse(await refreshGrant(steward, token), 'profile');
      assert.equal((await record(hashOf(next.refresh_token)))?.expiresAt, expiresAt);
      const rpt = await storedRefreshToken({ permissions: [{ resourceId: 'album-1', scopes: ['view'], owner: alice, resourceServer: RS.id }] }, { lifetime: 7 });
      const rptExpiresAt = (await record(hashOf(rpt.token)))!.expiresAt;
      const rptNext = assertTokenResponse(await refreshGrant(steward, rpt.token), undefined);
      assert.equal((await record(hashOf(rptNext.refresh_token)))?.expiresAt, rptExpiresAt);
    });

    it('treats a replayed refresh token as theft: invalid_grant and the whole grant revoked', async () => {
      const first = assertTokenResponse(await passwordGrant(steward, 'alice'), 'profile email');
      const second = assertTokenResponse(await refreshGrant(steward, first.refresh_token), 'profile email');
      const replay = await refreshGrant(steward, first.refresh_token);
      assertError(replay, 400, 'invalid_grant');
      assertError(await refreshGrant(steward, second.refresh_token), 400, 'invalid_grant');
      assert.equal((await record(jtiOf(first.access_token)))?.revoked, true);
      assert.equal((await record(jtiOf(second.access_token)))?.revoked, true);
      assert.equal((await record(hashOf(second.refresh_token)))?.revoked, true);
    });

    it('lets exactly one of two concurrent redemptions win, and then revokes the grant', async () => {
      const first = assertTokenResponse(await passwordGrant(steward, 'bob'), 'profile email');
      const results = await Promise.all([refreshGrant(steward, first.refresh_token), refreshGrant(steward, first.refresh_token)]);
      const winners = results.filter((r) => r.status === 200);
      assert.equal(winners.length, 1, results.map((r) => r.body).join(' | '));
      assertError(results.find((r) => r.status !== 200)!, 400, 'invalid_grant');
      assertError(await refreshGrant(steward, winners[0]!.json.refresh_token), 400, 'invalid_grant');
      assert.equal((await record(jtiOf(winners[0]!.json.access_token)))?.revoked, true);
    });

    it('adds an ID token when the grant has openid, and narrows scope without narrowing the grant', async () => {
      const first = assertTokenResponse(await passwordGrant(steward, 'alice', 'openid email profile'), 'openid email profile');
      const withId = assertTokenResponse(await refreshGrant(steward, first.refresh_token), 'openid email profile');
      await verifyJwt(steward, withId.id_token, { sub: alice, azp: CLIENT.id, typ: 'ID' });
      const narrowed = assertTokenResponse(await refreshGrant(steward, withId.refresh_token, 'email'), 'email');
      assert.equal(narrowed.id_token, undefined);
      assert.equal((await verifyJwt(steward, narrowed.access_token, { sub: alice, azp: CLIENT.id, typ: 'Bearer' })).scope, 'email');
      // RFC 6749 §6: the rotated refresh token keeps the scope originally granted.
      const full = assertTokenResponse(await refreshGrant(steward, narrowed.refresh_token), 'openid email profile');
      assert.equal(typeof full.id_token, 'string');
    });

    it('refuses a wider scope with invalid_scope, and the refresh token survives', async () => {
      const first = assertTokenResponse(await passwordGrant(steward, 'chris', 'email'), 'email');
      assertError(await refreshGrant(steward, first.refresh_token, 'email uma_protection'), 400, 'invalid_scope');
      assertError(await refreshGrant(steward, first.refresh_token, 'download'), 400, 'invalid_scope');
      assertTokenResponse(await refreshGrant(steward, first.refresh_token), 'email');
    });

    it("refuses another client's refresh token without burning it", async () => {
      const first = assertTokenResponse(await passwordGrant(steward, 'dave'), 'profile email');
      assertError(await refreshGrant(steward, first.refresh_token, undefined, RS), 400, 'invalid_grant');
      const rec = await record(hashOf(first.refresh_token));
      assert.equal(rec?.revoked, false);
      assertTokenResponse(await refreshGrant(steward, first.refresh_token), 'profile email');
    });

    it('refuses unknown, malformed and non-refresh tokens with invalid_grant', async () => {
      assertError(await refreshGrant(steward, 'not-a-refresh-token'), 400, 'invalid_grant');
      assertError(await refreshGrant(steward, 'x'.repeat(5000)), 400, 'invalid_grant');
      const first = assertTokenResponse(await passwordGrant(steward, 'alice'), 'profile email');
      assertError(await refreshGrant(steward, first.access_token), 400, 'invalid_grant');
    });

    it('refuses an expired refresh token without revoking its grant', async () => {
      const { token, grantId } = await storedRefreshToken({ scope: 'profile' }, { lifetime: 0 });
      const sibling = await storedRefreshToken({ scope: 'profile' });
      assertError(await refreshGrant(steward, token), 400, 'invalid_grant');
      assert.equal((await record(hashOf(token)))?.grantId, grantId);
      assert.equal((await record(hashOf(token)))?.revoked, false);
      assertTokenResponse(await refreshGrant(steward, sibling.token), 'profile');
    });

    it('refuses a grant whose user no longer exists', async () => {
      const { token } = await storedRefreshToken({ scope: 'profile' }, { subject: steward.deps.random.uuid() });
      assertError(await refreshGrant(steward, token), 400, 'invalid_grant');
    });

    it('requires refresh_token, once, and a client allowed to refresh', async () => {
      const auth = { authorization: basic(CLIENT.id, CLIENT.secret) };
      assertError(await postForm(steward.app, DEMO.token, { grant_type: 'refresh_token' }, auth), 400, 'invalid_request');
      assertError(await postForm(steward.app, DEMO.token, { grant_type: 'refresh_token', refresh_token: ['a', 'b'] }, auth), 400, 'invalid_request');
      const noRefresh = { id: 'no-refresh', secret: 'no-refresh-secret' };
      assertError(await refreshGrant(steward, 'whatever', undefined, noRefresh), 400, 'unauthorized_client');
      assertError(await refreshGrant(steward, 'whatever', undefined, { id: CLIENT.id, secret: 'wrong' }), 401, 'invalid_client');
    });

    it('rotates the refresh tokens of a public client', async () => {
      const first = await postForm(steward.app, DEMO.token, { grant_type: 'password', client_id: 'public-app', username: 'alice', password: DEMO.password });
      const a = assertTokenResponse(first, 'profile email');
      const b = assertTokenResponse(await postForm(steward.app, DEMO.token, { grant_type: 'refresh_token', client_id: 'public-app', refresh_token: a.refresh_token }), 'profile email');
      assert.notEqual(a.refresh_token, b.refresh_token);
      assertError(await postForm(steward.app, DEMO.token, { grant_type: 'refresh_token', client_id: 'public-app', refresh_token: a.refresh_token }), 400, 'invalid_grant');
    });

    describe('of an RPT', () => {
      const permissions = (): GrantedPermission[] => [
        { resourceId: 'album-1', scopes: ['view', 'download'], owner: alice, resourceServer: RS.id },
        { resourceId: 'album-2', scopes: ['view'], owner: alice, resourceServer: RS.id },
      ];

      it('issues a new RPT with the same permissions and no scope, plus a rotated refresh token', async () => {
        const { token, grantId } = await storedRefreshToken({ permissions: permissions() });
        const res = await refreshGrant(steward, token);
        const body = assertTokenResponse(res, undefined);
        assert.equal(body.scope, undefined);
        assert.equal(body.id_token, undefined);
        const claims = await verifyJwt(steward, body.access_token, { sub: alice, azp: CLIENT.id, typ: 'Bearer', aud: RS.id });
        assert.equal(claims.scope, undefined);
        assert.deepEqual(claims.permissions, [
          { resource_id: 'album-1', resource_scopes: ['view', 'download'] },
          { resource_id: 'album-2', resource_scopes: ['view'] },
        ]);
        const rpt = await record(claims.jti);
        assert.equal(rpt?.kind, 'rpt');
        assert.equal(rpt?.grantId, grantId);
        assert.deepEqual(rpt?.data.permissions, permissions());
        const next = await record(hashOf(body.refresh_token));
        assert.equal(next?.kind, 'refresh');
        assert.deepEqual(next?.data.permissions, permissions());
        assertError(await refreshGrant(steward, token), 400, 'invalid_grant');
      });

      it('keeps only the requested scopes and drops permissions left empty', async () => {
        const { token } = await storedRefreshToken({ permissions: permissions() });
        const body = assertTokenResponse(await refreshGrant(steward, token, 'download'), undefined);
        const claims = await verifyJwt(steward, body.access_token, { sub: alice, azp: CLIENT.id, typ: 'Bearer', aud: RS.id });
        assert.deepEqual(claims.permissions, [{ resource_id: 'album-1', resource_scopes: ['download'] }]);
        // The rotated refresh token still carries every permission.
        const again = assertTokenResponse(await refreshGrant(steward, body.refresh_token), undefined);
        assert.equal((await verifyJwt(steward, again.access_token, { sub: alice, azp: CLIENT.id, typ: 'Bearer', aud: RS.id })).permissions.length, 2);
      });

      it('refuses a scope no permission holds, without consuming the token', async () => {
        const { token } = await storedRefreshToken({ permissions: permissions() });
        assertError(await refreshGrant(steward, token, 'delete'), 400, 'invalid_scope');
        assertTokenResponse(await refreshGrant(steward, token), undefined);
      });

      it('drops permissions that have expired, and refuses when none is left', async () => {
        const now = steward.deps.clock.now();
        const live = { ...permissions()[0]!, exp: now + 600 };
        const { token } = await storedRefreshToken({ permissions: [live, { ...permissions()[1]!, exp: now - 1 }] });
        const body = assertTokenResponse(await refreshGrant(steward, token), undefined);
        const claims = await verifyJwt(steward, body.access_token, { sub: alice, azp: CLIENT.id, typ: 'Bearer', aud: RS.id });
        assert.deepEqual(claims.permissions, [{ resource_id: 'album-1', resource_scopes: ['view', 'download'], exp: now + 600 }]);
        const dead = await storedRefreshToken({ permissions: [{ ...permissions()[0]!, exp: now - 1 }] });
        assertError(await refreshGrant(steward, dead.token), 400, 'invalid_grant');
      });
    });
  });
}
