/**
 * @module test/suite/grants
 * GrantStore.redeem, the UMA grant's one durable step: the ticket is spent and the grant's records,
 * revocations, events and deliveries written in one commit, or nothing is; exactly one of concurrent
 * redeemers of a ticket wins, within one store and across two; redemptions that share a commit (SQLite's
 * group commit) stay independent of one another.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GrantRecords, OutboxDelivery, StewardEvent, Store, TokenRecord } from '@steward/core';
import { assertConflict, client, policy, resource, T, ticket, token, unique, user } from './fixtures.ts';
import type { StoreHandle } from './fixtures.ts';

function event(realm: string): StewardEvent {
  return { id: unique('event'), realm, owner: 'alice-id', type: 'rpt.issued', at: T, requester: 'bob-id', clientId: 'printer', resourceId: 'r1', scopes: ['view'] };
}

function delivery(realm: string, eventId: string): OutboxDelivery {
  return {
    id: unique('delivery'),
    realm,
    eventId,
    eventType: 'rpt.issued',
    channel: 'webhook',
    target: 'hook-1',
    payload: { id: eventId, type: 'rpt.issued', at: T, realm, data: { owner: 'alice-id' } },
    attempts: 0,
    nextAttemptAt: T * 1000,
    status: 'pending',
    lastError: null,
    lockedUntil: null,
    createdAt: T,
  };
}

function records(realm: string, over: Partial<GrantRecords> = {}): GrantRecords {
  const e = event(realm);
  return { tokens: [token(realm, { kind: 'rpt' }), token(realm, { kind: 'refresh' })], revoke: [], events: [e], deliveries: [delivery(realm, e.id)], ...over };
}

/** Whether everything `r` holds was written (true) or none of it (false); throws on a mix. */
async function written(store: Store, realm: string, r: GrantRecords): Promise<boolean> {
  const found = [
    ...(await Promise.all(r.tokens.map(async (t) => (await store.tokens.get(realm, t.id)) !== null))),
    ...(await Promise.all(r.deliveries.map(async (d) => (await store.outbox.get(d.id)) !== null))),
    ...(r.events.length === 0 ? [] : [(await store.audit.query(realm, 'alice-id', { filter: { clientId: 'printer' }, limit: 1000 })).events.some((e) => e.id === r.events[0]!.id)]),
  ];
  assert.ok(found.every((f) => f === found[0]), `all or nothing: ${found.join(', ')}`);
  return found[0] ?? false;
}

export function grantTests(handle: () => StoreHandle): void {
  const s = () => handle().store;
  describe('grants.redeem', () => {
    it('spends the ticket and writes the tokens, revocations, events and deliveries', async () => {
      const tk = ticket('g1');
      const old = token('g1', { kind: 'rpt' });
      await s().tickets.insert(tk);
      await s().tokens.insert(old);
      const r = records('g1', { revoke: [old.id] });
      assert.equal(await s().grants.redeem('g1', tk.hash, T, r), true);
      assert.equal(await written(s(), 'g1', r), true);
      assert.deepEqual(await s().tokens.get('g1', r.tokens[0]!.id), r.tokens[0]);
      assert.equal((await s().tokens.get('g1', old.id))?.revoked, true);
      assert.equal(await s().tickets.get('g1', tk.hash, T), null, 'the ticket is spent');
    });

    it('writes nothing for an unknown ticket, one of another realm, or one already spent', async () => {
      const tk = ticket('g1');
      await s().tickets.insert(tk);
      for (const [realm, hash] of [['g1', 'nope'], ['g2', tk.hash]] as const) {
        const r = records(realm);
        assert.equal(await s().grants.redeem(realm, hash, T, r), false);
        assert.equal(await written(s(), realm, r), false);
      }
      assert.deepEqual(await s().tickets.get('g1', tk.hash, T), tk, 'the ticket of the other realm is left');
      assert.equal(await s().grants.redeem('g1', tk.hash, T, records('g1')), true);
      const again = records('g1');
      assert.equal(await s().grants.redeem('g1', tk.hash, T, again), false);
      assert.equal(await written(s(), 'g1', again), false);
    });

    it('refuses an expired ticket (expiresAt <= now), writing nothing, and removes it', async () => {
      const tk = ticket('g1');
      await s().tickets.insert(tk);
      const r = records('g1');
      assert.equal(await s().grants.redeem('g1', tk.hash, tk.expiresAt, r), false);
      assert.equal(await written(s(), 'g1', r), false);
      assert.equal(await s().tickets.consume('g1', tk.hash, T), null, 'removed');
    });

    it('throws conflict on a duplicate token id, writing nothing and leaving the ticket', async () => {
      const tk = ticket('g1');
      const existing = token('g1');
      await s().tickets.insert(tk);
      await s().tokens.insert(existing);
      const r = records('g1', { tokens: [token('g1', { kind: 'rpt' }), existing] });
      await assertConflict(s().grants.redeem('g1', tk.hash, T, r));
      assert.equal(await s().tokens.get('g1', r.tokens[0]!.id), null);
      assert.equal(await written(s(), 'g1', { ...r, tokens: [r.tokens[0]!] }), false);
      assert.deepEqual(await s().tickets.get('g1', tk.hash, T), tk, 'the ticket stays');
    });

    it('inside a transaction that rolls back, nothing is written and the ticket stays', async () => {
      const tk = ticket('g1');
      await s().tickets.insert(tk);
      const r = records('g1');
      await assert.rejects(
        s().transaction(async (tx) => {
          assert.equal(await tx.grants.redeem('g1', tk.hash, T, r), true);
          throw new Error('roll back');
        }),
        /roll back/,
      );
      assert.equal(await written(s(), 'g1', r), false);
      assert.deepEqual(await s().tickets.get('g1', tk.hash, T), tk);
    });

    it('redemptions issued together stay independent: a conflicting one does not undo the others', async () => {
      const tickets = Array.from({ length: 6 }, () => ticket('g1'));
      for (const tk of tickets) await s().tickets.insert(tk);
      const existing = token('g1');
      await s().tokens.insert(existing);
      const all = tickets.map((_, i) => (i === 2 ? records('g1', { tokens: [existing] }) : records('g1')));
      const outcomes = await Promise.allSettled(tickets.map((tk, i) => s().grants.redeem('g1', tk.hash, T, all[i]!)));
      outcomes.forEach((o, i) => assert.equal(o.status, i === 2 ? 'rejected' : 'fulfilled', `redemption ${i}`));
      for (const [i, r] of all.entries()) if (i !== 2) assert.equal(await written(s(), 'g1', r), true, `redemption ${i} written`);
      assert.deepEqual(await s().tickets.get('g1', tickets[2]!.hash, T), tickets[2], 'the conflicting one kept its ticket');
    });

    it('50 simultaneous redemptions of one ticket (across two stores when possible): exactly one is written', async () => {
      const h = handle();
      const other = h.openAnother ? await h.openAnother() : null;
      try {
        const stores = other ? [h.store, other] : [h.store];
        const tk = ticket('g1');
        await h.store.tickets.insert(tk);
        const all = Array.from({ length: 50 }, () => records('g1'));
        const outcomes = await Promise.all(all.map((r, i) => stores[i % stores.length]!.grants.redeem('g1', tk.hash, T, r)));
        assert.equal(outcomes.filter(Boolean).length, 1);
        for (const [i, r] of all.entries()) assert.equal(await written(h.store, 'g1', r), outcomes[i]);
      } finally {
        await other?.close();
      }
    });
  });
}

export function issueTicketTests(handle: () => StoreHandle): void {
  const s = () => handle().store;
  describe('grants.issueTicket', () => {
    it('writes the ticket with its events and deliveries', async () => {
      const tk = ticket('g1');
      const e = event('g1');
      const d = delivery('g1', e.id);
      await s().grants.issueTicket(tk, [e], [d]);
      assert.deepEqual(await s().tickets.get('g1', tk.hash, T), tk);
      assert.equal(await written(s(), 'g1', { tokens: [], revoke: [], events: [e], deliveries: [d] }), true);
    });

    it('throws conflict on a duplicate hash or event id and writes nothing; tickets issued together stay independent', async () => {
      const first = ticket('g1');
      await s().grants.issueTicket(first, [], []);
      const e = event('g1');
      const d = delivery('g1', e.id);
      const dup = { ...ticket('g1'), hash: first.hash };
      const others = Array.from({ length: 4 }, () => ticket('g1'));
      const outcomes = await Promise.allSettled([s().grants.issueTicket(dup, [e], [d]), ...others.map((tk) => s().grants.issueTicket(tk, [], []))]);
      assert.equal(outcomes[0]!.status, 'rejected');
      await assertConflict(Promise.reject((outcomes[0] as PromiseRejectedResult).reason));
      assert.ok(outcomes.slice(1).every((o) => o.status === 'fulfilled'));
      assert.equal(await written(s(), 'g1', { tokens: [], revoke: [], events: [e], deliveries: [d] }), false);
      assert.deepEqual(await s().tickets.get('g1', first.hash, T), first, 'the first ticket is untouched');
      for (const tk of others) assert.deepEqual(await s().tickets.get('g1', tk.hash, T), tk);
    });
  });
}

/** Clients and users are read on nearly every request; a store may cache them, but never past a change. */
export function identityFreshnessTests(handle: () => StoreHandle): void {
  const s = () => handle().store;
  describe('clients and users read after a change', () => {
    it('see a change made through the same store at once, in a transaction or not', async () => {
      const u = user('g1');
      const c = client('g1');
      await s().users.create(u);
      await s().clients.create(c);
      assert.equal((await s().users.get('g1', u.id))?.disabled, false);
      assert.equal((await s().clients.get('g1', c.clientId))?.disabled, false);
      await s().users.update({ ...u, disabled: true });
      assert.equal((await s().users.get('g1', u.id))?.disabled, true);
      await s().transaction(async (tx) => {
        await tx.clients.update({ ...c, disabled: true });
      });
      assert.equal((await s().clients.get('g1', c.clientId))?.disabled, true);
      await s().organizations.create({ realm: 'g1', id: 'acme', name: 'Acme', admins: [], clients: [], createdAt: T });
      assert.equal(await s().organizations.ofClient('g1', c.clientId), null);
      await s().organizations.addClient('g1', 'acme', c.clientId);
      assert.equal((await s().organizations.ofClient('g1', c.clientId))?.id, 'acme');
      await s().clients.delete('g1', c.clientId);
      assert.equal(await s().clients.get('g1', c.clientId), null);
    });

    it('see a change made through another store on the same database (another process, another node) at once', async (t) => {
      const h = handle();
      if (!h.openAnother) return t.skip('one store only');
      const other = await h.openAnother();
      try {
        const u = user('g1');
        const c = client('g1');
        await h.store.users.create(u);
        await h.store.clients.create(c);
        assert.equal((await h.store.users.get('g1', u.id))?.disabled, false);
        assert.equal((await h.store.clients.get('g1', c.clientId))?.disabled, false);
        await other.users.update({ ...u, disabled: true });
        await other.clients.update({ ...c, disabled: true });
        assert.equal((await h.store.users.get('g1', u.id))?.disabled, true);
        assert.equal((await h.store.clients.get('g1', c.clientId))?.disabled, true);
        await other.users.delete('g1', u.id);
        assert.equal(await h.store.users.get('g1', u.id), null);
        // The organization a client acts for.
        await h.store.organizations.create({ realm: 'g1', id: 'acme', name: 'Acme', admins: [], clients: [], createdAt: T });
        assert.equal(await h.store.organizations.ofClient('g1', c.clientId), null);
        await other.organizations.addClient('g1', 'acme', c.clientId);
        assert.equal((await h.store.organizations.ofClient('g1', c.clientId))?.id, 'acme');
        await other.organizations.removeClient('g1', 'acme', c.clientId);
        assert.equal(await h.store.organizations.ofClient('g1', c.clientId), null);
      } finally {
        await other.close();
      }
    });
  });
}

/** What a grant reads of the owner's side (resources, policies, re-shares naming a party, groups); a store may cache it, never past a change. */
export function sharingFreshnessTests(handle: () => StoreHandle): void {
  describe('resources, policies and groups read after a change', () => {
    for (const where of ['the same store', 'another store on the same database'] as const) {
      it(`see a change made through ${where} at once`, async (t) => {
        const h = handle();
        if (where !== 'the same store' && !h.openAnother) return t.skip('one store only');
        const other = where === 'the same store' ? h.store : await h.openAnother!();
        try {
          const s = h.store;
          const r = resource('g1', 'alice-id');
          const p = policy('g1', 'alice-id', r.id);
          const reshare = policy('g1', 'bob-id', r.id, { resourceOwner: 'alice-id', permissions: [{ subject: 'carol', scopes: ['view'] }] });
          const g = { realm: 'g1', id: unique('group'), name: unique('friends'), visible: true, createdAt: T };
          await s.resources.insert(r);
          await s.policies.create(p);
          await s.policies.create(reshare);
          await s.groups.create(g);
          await s.groups.addMember('g1', g.id, 'carol-id');
          const read = async () => ({
            resources: (await s.resources.getMany('g1', 'alice-id', [r.id])).map((x) => x.name),
            policies: (await s.policies.getMany('g1', 'alice-id', [r.id])).map((x) => x.permissions.map((q) => q.subject)),
            naming: (await s.policies.listNaming('g1', r.id, 'carol')).map((x) => x.owner),
            groups: (await s.groups.groupsOf('g1', 'carol-id')).map((x) => x.id),
          });
          assert.deepEqual(await read(), { resources: [r.name], policies: [['bob', 'client:printer']], naming: ['bob-id'], groups: [g.id] });
          assert.deepEqual(await read(), { resources: [r.name], policies: [['bob', 'client:printer']], naming: ['bob-id'], groups: [g.id] }, 'read twice');
          await other.resources.update({ ...r, name: 'renamed' });
          await other.policies.update({ ...p, rev: unique('rev'), permissions: [{ subject: 'dave', scopes: ['view'] }] }, p.rev);
          await other.policies.delete('g1', 'bob-id', r.id);
          await other.groups.removeMember('g1', g.id, 'carol-id');
          assert.deepEqual(await read(), { resources: ['renamed'], policies: [['dave']], naming: [], groups: [] });
          await other.resources.delete('g1', 'alice-id', r.id);
          assert.deepEqual((await read()).resources, []);
        } finally {
          if (other !== h.store) await other.close();
        }
      });
    }
  });
}

/** Token records are read on every introspection; a store may cache them, never past a change. */
export function tokenFreshnessTests(handle: () => StoreHandle): void {
  describe('token records read after a change', () => {
    it('see a revocation, a consume, a redemption that revokes, and a purge at once', async () => {
      const s = handle().store;
      const [a, b, code, old, expired] = [token('g1'), token('g1', { grantId: 'grant-b' }), token('g1', { kind: 'code' }), token('g1', { kind: 'rpt' }), token('g1', { expiresAt: T - 10 })];
      for (const t of [a, b, code, old, expired]) await s.tokens.insert(t);
      // Each record is read just before its change (whatever a store caches, it holds it then).
      const readBefore = async (t: TokenRecord) => assert.deepEqual(await s.tokens.get('g1', t.id), t);
      await readBefore(a);
      assert.ok(await s.tokens.revoke('g1', a.id));
      assert.equal((await s.tokens.get('g1', a.id))?.revoked, true);
      await readBefore(b);
      assert.equal(await s.tokens.revokeGrant('g1', 'grant-b'), 1);
      assert.equal((await s.tokens.get('g1', b.id))?.revoked, true);
      await readBefore(code);
      assert.deepEqual(await s.tokens.consume('g1', code.id, 'code', T), code);
      assert.equal(await s.tokens.get('g1', code.id), null, 'a consumed code is gone');
      const tk = ticket('g1');
      await s.tickets.insert(tk);
      await readBefore(old);
      assert.equal(await s.grants.redeem('g1', tk.hash, T, records('g1', { revoke: [old.id] })), true);
      assert.equal((await s.tokens.get('g1', old.id))?.revoked, true, 'revoked by the redemption');
      await readBefore(expired);
      assert.ok((await s.tokens.purgeExpired(T)) >= 1);
      assert.equal(await s.tokens.get('g1', expired.id), null, 'purged');
    });

    it('find a record written after it was looked up and not found', async () => {
      const s = handle().store;
      const t = token('g1', { kind: 'rpt' });
      assert.equal(await s.tokens.get('g1', t.id), null);
      const tk = ticket('g1');
      await s.tickets.insert(tk);
      assert.equal(await s.grants.redeem('g1', tk.hash, T, records('g1', { tokens: [t] })), true);
      assert.deepEqual(await s.tokens.get('g1', t.id), t);
    });

    it('see a revocation made through another store on the same database at once', async (t) => {
      const h = handle();
      if (!h.openAnother) return t.skip('one store only');
      const other = await h.openAnother();
      try {
        const a = token('g1');
        await h.store.tokens.insert(a);
        assert.equal((await h.store.tokens.get('g1', a.id))?.revoked, false);
        assert.ok(await other.tokens.revoke('g1', a.id));
        assert.equal((await h.store.tokens.get('g1', a.id))?.revoked, true);
      } finally {
        await other.close();
      }
    });
  });
}
