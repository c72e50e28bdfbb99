/** The permission endpoint's ticket issuance (UMA Fed Authz §4) against the ports in memory. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { opaqueKey, requestPermission, type Permission } from '@steward/core';
import { REALM, rejection, resource, RS, world, type World } from './fakes/world.ts';

const ask = (w: World, permissions: Permission[], owner = 'alice-id', resourceServer = RS) => requestPermission(w.ports, { realm: w.realm, owner, resourceServer, permissions });

describe('permission endpoint: ticket issuance (Fed Authz §4)', () => {
  it('issues one ticket for the owner, stored by its key only, with merged permissions and the realm’s lifetime', async () => {
    const w = await world({ ticketLifetime: 90 });
    const { ticket, record } = await ask(w, [{ resourceId: 'album', scopes: ['view'] }, { resourceId: 'photo', scopes: [] }, { resourceId: 'album', scopes: ['edit', 'view'] }]);
    assert.equal(record.hash, opaqueKey(w.ports, ticket));
    assert.ok(!record.hash.includes(ticket.split('.')[1]!), 'the secret never rests');
    assert.deepEqual(await w.fakes.tickets.get(REALM, record.hash, w.clock.now()), record);
    assert.deepEqual([record.owner, record.resourceServer, record.claims, record.expiresAt - record.createdAt], ['alice-id', RS, {}, 90]);
    assert.deepEqual(record.permissions, [{ resourceId: 'album', scopes: ['view', 'edit'] }, { resourceId: 'photo', scopes: [] }]);
    const events = w.fakes.audit.of(REALM);
    assert.deepEqual(events.map((e) => [e.type, e.owner, e.resourceId, e.resourceName, e.scopes, e.detail]), [
      ['permission.requested', 'alice-id', 'album', 'album name', ['view', 'edit'], { resourceServer: RS }],
      ['permission.requested', 'alice-id', 'photo', 'photo name', [], { resourceServer: RS }],
    ]);
  });

  it('gives the resource server’s own PAT any owner’s resource it registered, and the ticket is the owner’s', async () => {
    const w = await world();
    await w.fakes.resources.insert(resource('diary', ['read'], 'carol-id'));
    const { record } = await ask(w, [{ resourceId: 'diary', scopes: ['read'] }], RS);
    assert.equal(record.owner, 'carol-id');
  });

  it('refuses, writing nothing: another owner’s or resource server’s resource, an unknown scope, several owners, no permission', async () => {
    const w = await world();
    await w.fakes.resources.insert(resource('diary', ['read'], 'carol-id'));
    await w.fakes.resources.insert(resource('tune', ['play'], 'alice-id', { resourceServer: 'music' }));
    await rejection(ask(w, [{ resourceId: 'diary', scopes: [] }]), 'invalid_resource_id');
    await rejection(ask(w, [{ resourceId: 'tune', scopes: [] }]), 'invalid_resource_id');
    await rejection(ask(w, [{ resourceId: 'nope', scopes: [] }]), 'invalid_resource_id');
    await rejection(ask(w, [{ resourceId: 'album\u0000', scopes: [] }]), 'invalid_resource_id');
    await rejection(ask(w, [{ resourceId: 'album', scopes: ['view', 'fly'] }]), 'invalid_scope');
    await rejection(ask(w, [{ resourceId: 'album', scopes: [] }, { resourceId: 'diary', scopes: [] }], RS), 'invalid_request');
    await rejection(ask(w, []), 'invalid_request');
    assert.deepEqual(w.fakes.tickets.table.rows(), []);
    assert.deepEqual(w.fakes.audit.of(REALM), []);
  });
});
