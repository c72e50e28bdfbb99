/**
 * @module test/suite/realm-deletion
 * What realm administration after creation needs of the store: a realm's contents, its deletion with
 * every record of it all at once (another realm untouched; a rolled-back transaction leaves everything
 * in place), a client's replaced secret round-tripped, and failed sign-ins forgotten by key prefix.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Group, Organization, OutboxDelivery, Store, Webhook } from '@steward/core';
import { accessRequest, client, key, policy, realm, resource, session, T, ticket, token, user } from './fixtures.ts';

/** One record of every kind for `realmId`; what `present` reads back. */
async function fill(s: Store, realmId: string): Promise<{ ids: Record<string, string> }> {
  await s.realms.create(realm({ id: realmId }));
  const k = key(realmId);
  const u = user(realmId);
  const c = client(realmId);
  const r = resource(realmId, u.id, { resourceServer: c.clientId });
  const p = policy(realmId, u.id, r.id);
  const tk = ticket(realmId);
  const tok = token(realmId);
  const ses = session(realmId);
  const ar = accessRequest(realmId, { owner: u.id, resourceId: r.id });
  const group: Group = { realm: realmId, id: 'g1', name: 'staff', visible: true, createdAt: T };
  const org: Organization = { realm: realmId, id: 'o1', name: 'Org', admins: [u.id], clients: [c.clientId], createdAt: T };
  const hook: Webhook = { realm: realmId, id: 'h1', url: 'https://receiver.example/', secret: 'a-secret-of-sixteen+', events: ['share.granted'], enabled: true, createdAt: T };
  const delivery: OutboxDelivery = {
    id: `delivery-${realmId}`,
    realm: realmId,
    eventId: `event-${realmId}`,
    eventType: 'share.granted',
    channel: 'webhook',
    target: 'h1',
    payload: { id: 'e1', type: 'share.granted', at: T, realm: realmId, data: {} },
    attempts: 0,
    nextAttemptAt: T * 1000,
    status: 'pending',
    lastError: null,
    lockedUntil: null,
    createdAt: T,
  };
  await s.keys.insert(k);
  await s.users.create(u);
  await s.clients.create(c);
  await s.resources.insert(r);
  assert.equal(await s.policies.create(p), true);
  await s.tickets.insert(tk);
  await s.tokens.insert(tok);
  await s.sessions.insert(ses);
  await s.accessRequests.upsertPending(ar);
  await s.audit.append([{ id: `audit-${realmId}`, realm: realmId, owner: u.id, type: 'rpt.issued', at: T }]);
  await s.rateLimits.recordFailure(realmId, 'ann 10.0.0.1', T, T - 60);
  await s.webhooks.create(hook);
  await s.outbox.enqueue([delivery]);
  await s.resourceServerConfigs.put({ realm: realmId, resourceServer: c.clientId, scopes: { view: { description: 'View' } }, types: {}, updatedAt: T });
  await s.groups.create(group);
  await s.groups.addMember(realmId, group.id, u.id);
  await s.organizations.create(org);
  return { ids: { user: u.id, client: c.clientId, resource: r.id, policy: p.id, ticket: tk.hash, token: tok.id, session: ses.hash, request: ar.id, delivery: delivery.id } };
}

/** How many of the kinds `fill` wrote are still there, by kind. */
async function present(s: Store, realmId: string, ids: Record<string, string>): Promise<Record<string, number>> {
  return {
    realm: (await s.realms.get(realmId)) ? 1 : 0,
    keys: (await s.keys.listAll(realmId)).length,
    users: (await s.users.list(realmId)).length,
    clients: (await s.clients.list(realmId)).length,
    resources: (await s.resources.listByRealm(realmId)).length,
    policies: (await s.policies.listByRealm(realmId)).length,
    tickets: (await s.tickets.get(realmId, ids.ticket!, T)) ? 1 : 0,
    tokens: (await s.tokens.get(realmId, ids.token!)) ? 1 : 0,
    sessions: (await s.sessions.get(realmId, ids.session!, T)) ? 1 : 0,
    requests: (await s.accessRequests.get(realmId, ids.user!, ids.request!)) ? 1 : 0,
    failures: (await s.rateLimits.failures(realmId, 'ann 10.0.0.1')) ? 1 : 0,
    webhooks: (await s.webhooks.list(realmId)).length,
    deliveries: (await s.outbox.list(realmId)).length,
    configs: (await s.resourceServerConfigs.get(realmId, ids.client!)) ? 1 : 0,
    groups: (await s.groups.list(realmId)).length,
    members: (await s.groups.groupsOf(realmId, ids.user!)).length,
    organizations: (await s.organizations.list(realmId)).length,
    orgClients: (await s.organizations.ofClient(realmId, ids.client!)) ? 1 : 0,
  };
}

const ALL_ONE = { realm: 1, keys: 1, users: 1, clients: 1, resources: 1, policies: 1, tickets: 1, tokens: 1, sessions: 1, requests: 1, failures: 1, webhooks: 1, deliveries: 1, configs: 1, groups: 1, members: 1, organizations: 1, orgClients: 1 };
const ALL_NONE = Object.fromEntries(Object.keys(ALL_ONE).map((k) => [k, 0]));

export function realmDeletionTests(s: () => Store): void {
  describe('realms: contents and delete', () => {
    it('contents names the kinds a realm holds, ignoring the clients it is told to', async () => {
      await s().realms.create(realm({ id: 'bare' }));
      await s().clients.create(client('bare', { clientId: 'built-in' }));
      await s().keys.insert(key('bare'));
      assert.deepEqual(await s().realms.contents('bare', ['built-in']), []);
      assert.deepEqual(await s().realms.contents('bare', []), ['clients']);
      const { ids } = await fill(s(), 'full');
      assert.ok(ids.user);
      assert.deepEqual(await s().realms.contents('full', ['built-in']), ['users', 'clients', 'resources', 'policies', 'groups', 'organizations', 'resourceServers']);
      assert.deepEqual(await s().realms.contents('nowhere', []), []);
    });

    it('delete removes the realm and every record of it, and nothing of another realm; false when absent', async () => {
      const a = await fill(s(), 'doomed');
      const b = await fill(s(), 'kept');
      assert.deepEqual(await present(s(), 'doomed', a.ids), ALL_ONE);
      assert.equal(await s().realms.delete('doomed'), true);
      assert.deepEqual(await present(s(), 'doomed', a.ids), ALL_NONE);
      assert.equal(await s().audit.purgeRealm('doomed'), 0, 'its audit events went too');
      assert.equal(await s().outbox.get(a.ids.delivery!), null);
      assert.deepEqual(await present(s(), 'kept', b.ids), ALL_ONE);
      assert.equal(await s().realms.delete('doomed'), false);
      // The id is free again.
      await s().realms.create(realm({ id: 'doomed' }));
    });

    it('delete in a transaction that rolls back leaves every record in place (nothing half-deleted)', async () => {
      const { ids } = await fill(s(), 'survivor');
      await assert.rejects(
        s().transaction(async (tx) => {
          assert.equal(await tx.realms.delete('survivor'), true);
          assert.equal(await tx.users.get('survivor', ids.user!), null, 'gone inside the transaction');
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.deepEqual(await present(s(), 'survivor', ids), ALL_ONE);
    });
  });

  describe('clients: a replaced secret', () => {
    it('round-trips the replaced secret and its grace end, and drops it when the update has none', async () => {
      const c = client('r1', { previousSecret: { hash: 'cd'.repeat(32), until: T + 86_400 } });
      await s().clients.create(c);
      assert.deepEqual(await s().clients.get('r1', c.clientId), c);
      assert.deepEqual((await s().clients.list('r1'))[0], c);
      const { previousSecret: _gone, ...without } = c;
      assert.equal(await s().clients.update({ ...without, secretHash: 'ef'.repeat(32) }), true);
      const stored = await s().clients.get('r1', c.clientId);
      assert.deepEqual(stored, { ...without, secretHash: 'ef'.repeat(32) });
      assert.ok(!('previousSecret' in stored!), 'absent, not undefined or null');
    });
  });

  describe('rate limits: clearFailuresStartingWith', () => {
    it('forgets the keys with that exact prefix in that realm only; % and _ mean themselves', async () => {
      for (const k of ['ann', 'ann 10.0.0.1', 'ann ::1', 'anne 10.0.0.1', 'a%_ 1', 'abc 1']) await s().rateLimits.recordFailure('r1', k, T, T - 60);
      await s().rateLimits.recordFailure('r2', 'ann 10.0.0.1', T, T - 60);
      await s().rateLimits.clearFailuresStartingWith('r1', 'ann ');
      await s().rateLimits.clearFailuresStartingWith('r1', 'a%_ ');
      const left = async (realmId: string, k: string) => (await s().rateLimits.failures(realmId, k)) !== null;
      assert.deepEqual(
        await Promise.all(['ann', 'ann 10.0.0.1', 'ann ::1', 'anne 10.0.0.1', 'a%_ 1', 'abc 1'].map((k) => left('r1', k))),
        [true, false, false, true, false, true],
      );
      assert.equal(await left('r2', 'ann 10.0.0.1'), true);
    });
  });
}
