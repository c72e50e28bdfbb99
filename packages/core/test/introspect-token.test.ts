/** Introspection (RFC 7662, Fed Authz §5) against the ports in memory: an RPT is active for a resource server only through its permissions there. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { introspectToken, issueAccessToken, requestPermission, umaGrant } from '@steward/core';
import { ID_TOKEN, payload, REALM, resource, RS, world, type World } from './fakes/world.ts';

/** bob's RPT for album{view} (at `photos`) and tune{play} (at `music`), with its refresh token and PCT. */
async function issued() {
  const w = await world();
  await w.fakes.resources.insert(resource('tune', ['play'], 'alice-id', { resourceServer: 'music' }));
  await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
  await w.share('tune', [{ subject: 'bob', scopes: ['play'] }]);
  const ticket = await w.ticket([{ resourceId: 'album', scopes: ['view'] }]);
  // A ticket names one resource server's resources; the second comes from an upgrade.
  const first = await umaGrant(w.ports, { realm: w.realm, client: w.printer, ticket, claimToken: await w.idToken(w.bob, w.printer), claimTokenFormat: ID_TOKEN });
  const music = await requestPermission(w.ports, { realm: w.realm, owner: 'alice-id', resourceServer: 'music', permissions: [{ resourceId: 'tune', scopes: ['play'] }] });
  const result = await umaGrant(w.ports, { realm: w.realm, client: w.printer, ticket: music.ticket, rpt: first.accessToken, pct: first.pct });
  return { w, result };
}

const introspect = (w: World, token: string, caller: string) => introspectToken(w.ports, { realm: REALM, token, caller });

describe('introspection', () => {
  it('an RPT is active for each resource server with only its permissions there, and for no one else', async () => {
    const { w, result } = await issued();
    const atPhotos = await introspect(w, result.accessToken, RS);
    assert.ok(atPhotos.active);
    assert.deepEqual(atPhotos.permissions?.map((p) => [p.resourceId, p.scopes]), [['album', ['view']]]);
    assert.equal(atPhotos.claims?.jti, payload(result.accessToken).jti);
    const atMusic = await introspect(w, result.accessToken, 'music');
    assert.deepEqual(atMusic.active && atMusic.permissions?.map((p) => p.resourceId), ['tune']);
    for (const caller of ['printer', 'other']) assert.deepEqual(await introspect(w, result.accessToken, caller), { active: false });
  });

  it('an RPT is inactive once revoked, once expired, or under another realm', async () => {
    const { w, result } = await issued();
    assert.deepEqual(await introspectToken(w.ports, { realm: 'other', token: result.accessToken, caller: RS }), { active: false });
    w.clock.advance(w.realm.settings.rptLifetime - 1);
    assert.equal((await introspect(w, result.accessToken, RS)).active, true);
    w.clock.advance(1);
    assert.deepEqual(await introspect(w, result.accessToken, RS), { active: false });
    w.clock.advance(-1);
    await w.fakes.tokens.revoke(REALM, payload(result.accessToken).jti);
    assert.deepEqual(await introspect(w, result.accessToken, RS), { active: false });
  });

  it('a permission past its own exp no longer counts', async () => {
    const { w, result } = await issued();
    const jti = payload(result.accessToken).jti;
    const record = (await w.fakes.tokens.get(REALM, jti))!;
    const permissions = record.data.permissions!.map((p) => (p.resourceId === 'album' ? { ...p, exp: w.clock.now() } : p));
    w.fakes.tokens.table.set([REALM, jti], { ...record, data: { permissions } }, true);
    assert.deepEqual(await introspect(w, result.accessToken, RS), { active: false });
    assert.equal((await introspect(w, result.accessToken, 'music')).active, true);
  });

  it('a refresh token or PCT is active for the client it was issued to only; an access token likewise', async () => {
    const { w, result } = await issued();
    for (const token of [result.refreshToken!, result.pct!]) {
      assert.equal((await introspect(w, token, 'printer')).active, true);
      assert.deepEqual(await introspect(w, token, RS), { active: false });
    }
    const pat = await issueAccessToken(w.ports, { realm: w.realm, client: { ...w.printer, clientId: RS }, subject: 'alice-id', scope: 'uma_protection', grantId: 'g' });
    assert.equal((await introspect(w, pat.token, RS)).active, true);
    assert.deepEqual(await introspect(w, pat.token, 'printer'), { active: false });
  });

  it('anything else is inactive, never an error', async () => {
    const { w, result } = await issued();
    const [h, p] = result.accessToken.split('.');
    for (const token of ['', 'x', 'a.b.c', `${h}.${p}.forged`, await w.idToken(w.bob, w.printer), 'x'.repeat(70_000)]) {
      assert.deepEqual(await introspect(w, token, RS), { active: false });
    }
  });
});
