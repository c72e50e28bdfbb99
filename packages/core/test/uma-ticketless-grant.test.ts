/** The ticketless (Keycloak) form of the UMA grant against the ports in memory: the same assessment, answered as permissions, a decision or an RPT. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { umaTicketlessGrant, type RequestedPermission, type TicketlessGrantRequest } from '@steward/core';
import { payload, REALM, rejection, resource, RS, world, type World } from './fakes/world.ts';

function ask(w: World, permissions: RequestedPermission[], over: Partial<TicketlessGrantRequest> = {}) {
  return umaTicketlessGrant(w.ports, {
    realm: w.realm,
    client: w.printer,
    party: { kind: 'user', subject: w.bob.id, username: w.bob.username },
    audience: RS,
    permissions,
    scopes: [],
    mode: 'permissions',
    includeResourceName: true,
    submitRequest: false,
    ...over,
  });
}

describe('ticketless UMA grant', () => {
  it('answers the granted permissions, a decision, or an RPT recorded with its events', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view', 'print'] }]);
    assert.deepEqual(await ask(w, [{ resource: 'album', scopes: ['view'] }]), { mode: 'permissions', permissions: [{ rsid: 'album', rsname: 'album name', scopes: ['view'] }] });
    assert.deepEqual(await ask(w, [{ resource: 'album', scopes: [] }], { includeResourceName: false }), { mode: 'permissions', permissions: [{ rsid: 'album', scopes: ['view', 'print'] }] }, 'no scope named: what is granted');
    assert.deepEqual(await ask(w, [{ resource: 'album', scopes: ['view'] }], { mode: 'decision' }), { mode: 'decision' });
    assert.deepEqual(w.fakes.tokens.table.rows(), [], 'a list or a decision issues nothing');
    const token = await ask(w, [{ resource: 'album', scopes: ['view'] }], { mode: 'token' });
    assert.ok(token.mode === 'token');
    const rpt = payload(token.accessToken);
    assert.deepEqual([rpt.sub, rpt.aud, rpt.permissions, rpt.authorization], ['bob-id', RS, [{ resource_id: 'album', resource_scopes: ['view'] }], { permissions: [{ rsid: 'album', rsname: 'album name', scopes: ['view'] }] }]);
    assert.equal((await w.fakes.tokens.get(REALM, rpt.jti))?.kind, 'rpt');
    assert.deepEqual(w.fakes.audit.of(REALM).filter((e) => e.type === 'rpt.issued').map((e) => [e.resourceId, e.detail?.rpt]), [['album', rpt.jti]]);
  });

  it('refuses a list or a decision missing any scope asked (fail-closed); a token carries what is granted', async () => {
    const w = await world();
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    const wanted = [{ resource: 'album', scopes: ['view', 'edit'] }];
    for (const mode of ['permissions', 'decision'] as const) assert.equal((await rejection(ask(w, wanted, { mode }), 'access_denied')).description, 'not_authorized');
    const token = await ask(w, wanted, { mode: 'token' });
    assert.deepEqual(token.mode === 'token' && payload(token.accessToken).permissions, [{ resource_id: 'album', resource_scopes: ['view'] }]);
    await rejection(ask(w, [{ resource: 'photo', scopes: [] }], { mode: 'token' }), 'access_denied');
  });

  it('records an access request when asked and the realm records them: access_denied saying request_submitted', async () => {
    const w = await world({ accessRequests: true });
    const error = await rejection(ask(w, [{ resource: 'album', scopes: ['edit'] }], { submitRequest: true }), 'access_denied');
    assert.equal(error.description, 'request_submitted');
    assert.deepEqual(w.fakes.accessRequests.table.rows().map((r) => [r.owner, r.requester, r.resourceId, r.scopes]), [['alice-id', 'bob-id', 'album', ['edit']]]);
    assert.equal((await rejection(ask(w, [{ resource: 'photo', scopes: [] }]), 'access_denied')).description, 'not_authorized', 'not without submit_request');
  });

  it('names a resource by id at the audience, else by name among the party’s own and the resource server’s', async () => {
    const w = await world();
    await w.share('rs-help', [{ subject: 'bob', scopes: ['read'] }], RS);
    await w.fakes.resources.insert(resource('bob-notes', ['read'], 'bob-id', { name: 'notes' }));
    await w.fakes.resources.insert(resource('rs-notes', ['read'], RS, { name: 'notes' }));
    await w.fakes.resources.insert(resource('rs-help', ['read'], RS, { name: 'help' }));
    assert.deepEqual(await ask(w, [{ resource: 'help', scopes: [] }]), { mode: 'permissions', permissions: [{ rsid: 'rs-help', rsname: 'help', scopes: ['read'] }] }, 'the resource server’s own, shared with bob below');
    assert.deepEqual(await ask(w, [{ resource: 'notes', scopes: [] }]), { mode: 'permissions', permissions: [{ rsid: 'bob-notes', rsname: 'notes', scopes: ['read'] }] }, 'the party’s own first');
    // alice's album is shared with bob, but a shared resource is named by id only.
    await w.share('album', [{ subject: 'bob', scopes: ['view'] }]);
    await rejection(ask(w, [{ resource: 'album name', scopes: [] }]), 'invalid_resource_id');
  });

  it('refuses what cannot be resolved: unknown audience, resource or scope, and a public client without its user', async () => {
    const w = await world();
    await rejection(ask(w, [{ resource: 'album', scopes: [] }], { audience: 'nobody' }), 'invalid_request');
    await rejection(ask(w, [{ resource: 'nope', scopes: [] }]), 'invalid_resource_id');
    await rejection(ask(w, [{ resource: 'album', scopes: ['fly'] }]), 'invalid_scope');
    await rejection(ask(w, [{ resource: 'album', scopes: [] }], { client: w.viewer, party: null }), 'access_denied');
  });
});
