/** RPT upgrade (UMA Grant §3.3.5.1) against the ports in memory: the old RPT's permissions re-assessed, kept or dropped, and the old RPT revoked. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { requestPermission, umaGrant } from '@steward/core';
import { ID_TOKEN, payload, rejection, REALM, resource, RS, world, type World } from './fakes/world.ts';

async function grant(w: World, resourceId: string, scopes: string[], rpt?: string, client = w.printer) {
  const ticket = await w.ticket([{ resourceId, scopes }]);
  return umaGrant(w.ports, { realm: w.realm, client, ticket, claimToken: await w.idToken(w.bob, client), claimTokenFormat: ID_TOKEN, ...(rpt === undefined ? {} : { rpt }) });
}

const revoked = async (w: World, rpt: string) => (await w.fakes.tokens.get(REALM, payload(rpt).jti))?.revoked;

/** bob holds an RPT for album{view}; photo{view} is shared with him too. */
async function holding() {
  const w = await world();
  await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
  await w.share('photo', [{ subject: 'bob', scopes: ['view'] }]);
  const old = (await grant(w, 'album', ['view'])).accessToken;
  return { w, old };
}

describe('RPT upgrade (UMA Grant §3.3.5.1)', () => {
  it('issues a new RPT with the union, says upgraded:true, and revokes the old one', async () => {
    const { w, old } = await holding();
    const result = await grant(w, 'photo', ['view'], old);
    assert.equal(result.upgraded, true);
    assert.deepEqual(payload(result.accessToken).permissions, [{ resource_id: 'album', resource_scopes: ['view'] }, { resource_id: 'photo', resource_scopes: ['view'] }]);
    assert.notEqual(payload(result.accessToken).jti, payload(old).jti, 'a new RPT string, always');
    assert.equal(await revoked(w, old), true);
    assert.equal(await revoked(w, result.accessToken), false);
  });

  it('refuses the old RPT once upgraded (revoked), saying so', async () => {
    const { w, old } = await holding();
    await grant(w, 'photo', ['view'], old);
    const error = await rejection(grant(w, 'photo', ['view'], old), 'invalid_grant');
    assert.match(error.description!, /revoked or has expired/);
  });

  it('upgrades an expired RPT of the same client', async () => {
    const { w, old } = await holding();
    w.clock.advance(w.realm.settings.rptLifetime + 10);
    const result = await grant(w, 'photo', ['view'], old);
    assert.equal(result.upgraded, true);
    assert.equal(payload(result.accessToken).permissions.length, 2);
  });

  it('refuses another client’s RPT, or a token that is not an RPT, as not the client’s', async () => {
    const { w, old } = await holding();
    const other = { ...w.printer, clientId: 'other' };
    for (const [rpt, client] of [[old, other], [await w.idToken(w.bob, w.printer), w.printer], ['garbage', w.printer]] as const) {
      const error = await rejection(grant(w, 'photo', ['view'], rpt, client), 'invalid_grant');
      assert.match(error.description!, /not a valid RPT issued to this client/);
    }
    assert.equal(await revoked(w, old), false);
  });

  it('drops an old permission whose policy was removed, and says upgraded:false', async () => {
    const { w, old } = await holding();
    await w.share('album', [{ subject: 'carol', scopes: ['view'] }]);
    const result = await grant(w, 'photo', ['view'], old);
    assert.equal(result.upgraded, false);
    assert.deepEqual(payload(result.accessToken).permissions, [{ resource_id: 'photo', resource_scopes: ['view'] }]);
    assert.equal(await revoked(w, old), true);
  });

  it('keeps what is still allowed of an old permission whose policy shrank', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view', 'edit'] }]);
    await w.share('photo', [{ subject: 'bob', scopes: ['view'] }]);
    const old = (await grant(w, 'album', ['view', 'edit'])).accessToken;
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    const result = await grant(w, 'photo', ['view'], old);
    assert.equal(result.upgraded, false);
    assert.deepEqual(payload(result.accessToken).permissions, [{ resource_id: 'album', resource_scopes: ['view'] }, { resource_id: 'photo', resource_scopes: ['view'] }]);
  });

  it('re-assesses the old permissions of another owner with that owner’s policies', async () => {
    const w = await world();
    await w.fakes.resources.insert(resource('diary', ['read'], 'carol-id'));
    await w.share('diary', [{ subject: 'bob', scopes: ['read'] }], 'carol-id');
    await w.share('photo', [{ subject: 'bob', scopes: ['view'] }]);
    const ticket = (await requestPermission(w.ports, { realm: w.realm, owner: 'carol-id', resourceServer: RS, permissions: [{ resourceId: 'diary', scopes: ['read'] }] })).ticket;
    const old = (await umaGrant(w.ports, { realm: w.realm, client: w.printer, ticket, claimToken: await w.idToken(w.bob, w.printer), claimTokenFormat: ID_TOKEN })).accessToken;
    const kept = await grant(w, 'photo', ['view'], old);
    assert.deepEqual([kept.upgraded, payload(kept.accessToken).permissions.map((p: { resource_id: string }) => p.resource_id)], [true, ['diary', 'photo']]);
    await w.share('diary', [{ subject: 'alice', scopes: ['read'] }], 'carol-id');
    const dropped = await grant(w, 'photo', ['view'], kept.accessToken);
    assert.deepEqual([dropped.upgraded, payload(dropped.accessToken).permissions.map((p: { resource_id: string }) => p.resource_id)], [false, ['photo']]);
  });

  it('does not upgrade when the new permissions are refused, and leaves the old RPT alone', async () => {
    const { w, old } = await holding();
    await w.share('photo', [{ subject: 'carol', scopes: ['view'] }]);
    await rejection(grant(w, 'photo', ['view'], old), 'request_denied');
    assert.equal(await revoked(w, old), false);
  });
});
