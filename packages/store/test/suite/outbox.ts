/**
 * @module test/suite/outbox
 * WebhookStore (round trip, realm scoping, conflict, put replaces, delete) and OutboxStore (enqueue in a
 * transaction, claims with leases and channels, settle only under the live claim, counts, purge, and
 * concurrent claimers — one store and two independent ones — never handed the same delivery).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStewardError } from '@steward/core';
import type { OutboxDelivery, Store, Webhook } from '@steward/core';
import { T, unique } from './fixtures.ts';
import type { StoreHandle } from './fixtures.ts';

/** Milliseconds: a time past 2^31 seconds, so 32-bit truncation would show. */
const MS = T * 1000;

function webhook(realm: string, over: Partial<Webhook> = {}): Webhook {
  return {
    realm,
    id: unique('hook'),
    url: 'https://receiver.example/hooks?x=1',
    secret: 'a-secret-of-sixteen+ characters ✓',
    events: ['access_request.created', 'share.granted'],
    enabled: true,
    createdAt: T,
    ...over,
  };
}

function delivery(realm: string, over: Partial<OutboxDelivery> = {}): OutboxDelivery {
  return {
    id: unique('delivery'),
    realm,
    eventId: unique('event'),
    eventType: 'access_request.created',
    channel: 'webhook',
    target: 'hook-1',
    payload: { id: 'e1', type: 'access_request.created', at: T, realm, data: { owner: 'alice', scopes: ['view', 'édit'] } },
    attempts: 0,
    nextAttemptAt: MS,
    status: 'pending',
    lastError: null,
    lockedUntil: null,
    createdAt: T,
    ...over,
  };
}

export function outboxTests(handle: () => StoreHandle): void {
  const store = (): Store => handle().store;

  describe('webhooks', () => {
    it('round-trips every field, lists by id within the realm only', async () => {
      const b = webhook('r1', { id: 'b', enabled: false, events: ['share.revoked'] });
      const a = webhook('r1', { id: 'a' });
      await store().webhooks.create(b);
      await store().webhooks.create(a);
      await store().webhooks.create(webhook('r2', { id: 'a', url: 'http://other.example/' }));
      assert.deepEqual(await store().webhooks.get('r1', 'b'), b);
      assert.deepEqual(await store().webhooks.list('r1'), [a, b]);
      assert.equal(await store().webhooks.get('r1', 'c'), null);
      assert.equal((await store().webhooks.get('r2', 'a'))!.url, 'http://other.example/');
    });

    it('create of an existing id is a conflict; put replaces all but createdAt; delete reports absence', async () => {
      const w = webhook('r1', { id: 'w' });
      await store().webhooks.create(w);
      await assert.rejects(store().webhooks.create({ ...w, url: 'https://x.example/' }), (e) => isStewardError(e) && e.code === 'conflict');
      await store().webhooks.put({ ...w, url: 'https://new.example/', secret: 'another secret, long enough', events: ['share.revoked'], enabled: false, createdAt: T + 99 });
      assert.deepEqual(await store().webhooks.get('r1', 'w'), { ...w, url: 'https://new.example/', secret: 'another secret, long enough', events: ['share.revoked'], enabled: false });
      const fresh = webhook('r1', { id: 'fresh' });
      await store().webhooks.put(fresh);
      assert.deepEqual(await store().webhooks.get('r1', 'fresh'), fresh);
      assert.equal(await store().webhooks.delete('r2', 'w'), false);
      assert.equal(await store().webhooks.delete('r1', 'w'), true);
      assert.equal(await store().webhooks.delete('r1', 'w'), false);
    });
  });

  describe('outbox', () => {
    it('round-trips a delivery; an existing id is a conflict and writes nothing of the batch', async () => {
      const d = delivery('r1', { channel: 'mail', target: 'alice@example.org' });
      await store().outbox.enqueue([d]);
      assert.deepEqual(await store().outbox.get(d.id), d);
      const other = delivery('r1');
      await assert.rejects(store().outbox.enqueue([other, { ...d }]), (e) => isStewardError(e) && e.code === 'conflict');
      assert.equal(await store().outbox.get(other.id), null);
      await store().outbox.enqueue([]);
      assert.equal(await store().outbox.get('nope'), null);
    });

    it('enqueue follows its transaction: rolled back, nothing is left', async () => {
      const d = delivery('r1');
      await assert.rejects(
        store().transaction(async (tx) => {
          await tx.outbox.enqueue([d]);
          throw new Error('change failed');
        }),
        /change failed/,
      );
      assert.equal(await store().outbox.get(d.id), null);
      await store().transaction((tx) => tx.outbox.enqueue([d]));
      assert.equal((await store().outbox.get(d.id))!.status, 'pending');
    });

    it('claims only due, unlocked, pending deliveries, oldest due first, up to the limit', async () => {
      const late = delivery('r1', { nextAttemptAt: MS + 10_000 });
      const second = delivery('r1', { nextAttemptAt: MS - 5 });
      const first = delivery('r1', { nextAttemptAt: MS - 10 });
      const third = delivery('r1', { nextAttemptAt: MS });
      await store().outbox.enqueue([late, second, first, third]);
      const claimed = await store().outbox.claimDue(MS, 2, 1000);
      assert.deepEqual(claimed.map((c) => c.id), [first.id, second.id]);
      assert.equal(claimed[0]!.attempts, 1);
      assert.equal(claimed[0]!.lockedUntil, MS + 1000);
      assert.equal(typeof claimed[0]!.claim, 'string');
      assert.deepEqual((await store().outbox.claimDue(MS, 10, 1000)).map((c) => c.id), [third.id]);
      assert.deepEqual(await store().outbox.claimDue(MS, 10, 1000), [], 'all due ones are under a live claim');
      assert.deepEqual(await store().outbox.claimDue(MS, 0, 1000), []);
    });

    it('a claim whose lease ran out is claimable again, and the old claim can no longer settle it', async () => {
      const d = delivery('r1');
      await store().outbox.enqueue([d]);
      const [a] = await store().outbox.claimDue(MS, 5, 1000);
      assert.deepEqual(await store().outbox.claimDue(MS + 999, 5, 1000), []);
      const [b] = await store().outbox.claimDue(MS + 1000, 5, 1000);
      assert.equal(b!.id, d.id);
      assert.equal(b!.attempts, 2);
      assert.notEqual(b!.claim, a!.claim);
      assert.equal(await store().outbox.markDelivered(d.id, a!.claim), false);
      assert.equal(await store().outbox.markFailed(d.id, a!.claim, MS, 'late'), false);
      assert.equal(await store().outbox.deadLetter(d.id, a!.claim, 'late'), false);
      assert.equal(await store().outbox.markDelivered(d.id, b!.claim), true);
      assert.equal(await store().outbox.markDelivered(d.id, b!.claim), false, 'settled once');
      const stored = await store().outbox.get(d.id);
      assert.equal(stored!.status, 'delivered');
      assert.equal(stored!.lockedUntil, null);
    });

    it('markFailed keeps it pending, unlocked, due again later with the error; deadLetter ends it', async () => {
      const d = delivery('r1');
      await store().outbox.enqueue([d]);
      const [c] = await store().outbox.claimDue(MS, 5, 60_000);
      assert.equal(await store().outbox.markFailed(d.id, c!.claim, MS + 500, 'HTTP 503 ' + 'x'.repeat(2000)), true);
      const failed = await store().outbox.get(d.id);
      assert.equal(failed!.status, 'pending');
      assert.equal(failed!.lockedUntil, null);
      assert.equal(failed!.nextAttemptAt, MS + 500);
      assert.equal(failed!.attempts, 1);
      assert.ok(failed!.lastError!.startsWith('HTTP 503') && failed!.lastError!.length <= 500);
      assert.deepEqual(await store().outbox.claimDue(MS + 499, 5, 1000), []);
      const [again] = await store().outbox.claimDue(MS + 500, 5, 1000);
      assert.equal(await store().outbox.deadLetter(d.id, again!.claim, 'gave up'), true);
      assert.deepEqual(await store().outbox.claimDue(MS + 10_000_000, 5, 1000), [], 'dead is never claimed');
      const dead = await store().outbox.get(d.id);
      assert.equal(dead!.status, 'dead');
      assert.equal(dead!.lastError, 'gave up');
      assert.equal(dead!.attempts, 2);
    });

    it('requeue gives a dead delivery of the realm a new start, and nothing else', async () => {
      const d = delivery('r1');
      const pending = delivery('r1');
      await store().outbox.enqueue([d, pending]);
      const [c] = await store().outbox.claimDue(MS, 1, 1000);
      assert.equal(c!.id, d.id);
      await store().outbox.deadLetter(d.id, c!.claim, 'HTTP 500');
      assert.equal(await store().outbox.requeue('r2', d.id, MS + 5), false, 'another realm');
      assert.equal(await store().outbox.requeue('r1', pending.id, MS + 5), false, 'not dead');
      assert.equal(await store().outbox.requeue('r1', 'nope', MS + 5), false);
      assert.equal(await store().outbox.requeue('r1', d.id, MS + 5), true);
      const again = await store().outbox.get(d.id);
      assert.deepEqual(
        { status: again!.status, attempts: again!.attempts, next: again!.nextAttemptAt, locked: again!.lockedUntil, error: again!.lastError },
        { status: 'pending', attempts: 0, next: MS + 5, locked: null, error: 'HTTP 500' },
      );
      assert.equal(await store().outbox.requeue('r1', d.id, MS + 5), false, 'no longer dead');
      assert.deepEqual((await store().outbox.claimDue(MS + 5, 5, 1000)).map((x) => x.id).sort(), [d.id, pending.id].sort());
    });

    it('claims only the channels asked for', async () => {
      const mail = delivery('r1', { channel: 'mail', target: 'bob@example.org' });
      const hook = delivery('r1');
      await store().outbox.enqueue([mail, hook]);
      assert.deepEqual(await store().outbox.claimDue(MS, 5, 1000, []), []);
      assert.deepEqual((await store().outbox.claimDue(MS, 5, 1000, ['webhook'])).map((c) => c.id), [hook.id]);
      assert.deepEqual((await store().outbox.claimDue(MS, 5, 1000, ['webhook', 'mail'])).map((c) => c.id), [mail.id]);
    });

    it('counts by status over every realm; lists a realm by status; purges finished ones only', async () => {
      const base = await store().outbox.counts();
      const ds = [delivery('r1', { createdAt: T - 100 }), delivery('r1', { createdAt: T - 100 }), delivery('r2'), delivery('r1')];
      await store().outbox.enqueue(ds);
      const claimed = await store().outbox.claimDue(MS, 3, 1000);
      assert.equal(claimed.length, 3);
      await store().outbox.markDelivered(claimed[0]!.id, claimed[0]!.claim);
      await store().outbox.deadLetter(claimed[1]!.id, claimed[1]!.claim, 'no');
      const counts = await store().outbox.counts();
      assert.deepEqual(counts, { pending: base.pending + 2, delivered: base.delivered + 1, dead: base.dead + 1 });
      assert.deepEqual((await store().outbox.list('r2')).map((d) => d.id), [ds[2]!.id]);
      assert.deepEqual((await store().outbox.list('r1', 'dead')).map((d) => d.id), [claimed[1]!.id]);
      assert.equal((await store().outbox.list('r1', undefined, 1)).length, 1);
      assert.equal(await store().outbox.purgeFinished(T - 100), 0);
      assert.equal(await store().outbox.purgeFinished(T), 2);
      assert.equal((await store().outbox.counts()).pending, base.pending + 2);
    });
  });

  describe('outbox, concurrent claimers', () => {
    const N = 60;
    async function claimAll(stores: Store[]): Promise<string[]> {
      const seen: string[] = [];
      // Every claimer loops until nothing is due; all run at once.
      await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const s = stores[i % stores.length]!;
          for (;;) {
            const got = await s.outbox.claimDue(MS, 3, 60_000);
            if (got.length === 0) return;
            seen.push(...got.map((g) => g.id));
          }
        }),
      );
      return seen;
    }

    it(`${N} deliveries claimed by 8 simultaneous claimers on one store: each exactly once`, async () => {
      const ds = Array.from({ length: N }, () => delivery('rc'));
      await store().outbox.enqueue(ds);
      const seen = await claimAll([store()]);
      assert.equal(seen.length, N);
      assert.deepEqual([...new Set(seen)].sort(), ds.map((d) => d.id).sort());
    });

    it(`${N} deliveries claimed across two independent stores: each exactly once`, async (t) => {
      const h = handle();
      if (!h.openAnother) {
        t.skip('this factory cannot open a second store on the same database');
        return;
      }
      const second = await h.openAnother();
      try {
        const ds = Array.from({ length: N }, () => delivery('rc'));
        await store().outbox.enqueue(ds);
        const seen = await claimAll([store(), second]);
        assert.equal(seen.length, N);
        assert.deepEqual([...new Set(seen)].sort(), ds.map((d) => d.id).sort());
      } finally {
        await second.close();
      }
    });
  });
}
