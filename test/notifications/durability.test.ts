/**
 * The outbox survives what a node does not: deliveries enqueued before a stop are sent by the next
 * start; a claim left by a node that died is retried once its lease runs out; `close()` waits for the
 * calls in flight; two nodes on one PostgreSQL database share a backlog without sending anything twice.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addWebhook } from '@steward/core';
import { openStore } from '@steward/store';
import { startPeriodicPurge } from '../../packages/server/src/periodic-purge.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { eventually, Receiver, startNotifySteward } from './fixture.ts';

const SECRET = 'durable-secret-0123456789';

for (const dialect of dialects) {
  describe(`outbox durability (${dialect})`, () => {
    const receiver = new Receiver();
    before(() => receiver.start());
    after(() => receiver.stop());

    const received = (eventId: string) => receiver.received.filter((r) => JSON.parse(r.body).id === eventId).length;

    it('deliveries enqueued before a stop are sent by the next start on the same database', async () => {
      const first = await startNotifySteward(dialect, { notify: false });
      let second: Awaited<ReturnType<typeof startNotifySteward>> | null = null;
      try {
        await addWebhook(first.deps, 'demo', { id: 'r', url: receiver.url, secret: SECRET });
        const events = [await first.publish('access_request.created'), await first.publish('share.granted'), await first.publish('share.revoked')];
        await first.close();
        assert.equal(events.filter((e) => received(e.id) > 0).length, 0, 'nothing sent by a node without the worker');
        second = await startNotifySteward(dialect, {}, first.databaseUrl);
        await eventually('all three delivered', () => events.every((e) => received(e.id) === 1));
        const counts = await second.deps.store.outbox.counts();
        assert.equal(counts.dead, 0);
      } finally {
        await second?.close();
        await first.close();
        await first.dropDatabase();
      }
    });

    it('a claim left by a node that died is retried when its lease runs out', async () => {
      const steward = await startNotifySteward(dialect, { notify: false });
      let next: Awaited<ReturnType<typeof startNotifySteward>> | null = null;
      try {
        await addWebhook(steward.deps, 'demo', { id: 'r', url: receiver.url, secret: SECRET, events: ['share.granted'] });
        const event = await steward.publish('share.granted');
        // A node claims it (lease 300 ms) and dies before sending: it never settles the claim.
        const [claimed] = await steward.deps.store.outbox.claimDue(Date.now(), 10, 300, ['webhook']);
        assert.equal(claimed!.eventId, event.id);
        await steward.close();
        next = await startNotifySteward(dialect, {}, steward.databaseUrl);
        await eventually('the orphaned delivery sent', () => received(event.id) === 1);
        const done = await eventually('delivered', async () => {
          const d = await next!.deps.store.outbox.get(claimed!.id);
          return d?.status === 'delivered' ? d : undefined;
        });
        assert.equal(done.attempts, 2, 'the dead claim counted as an attempt');
      } finally {
        await next?.close();
        await steward.close();
        await steward.dropDatabase();
      }
    });

    it('the periodic purge deletes deliveries finished longer ago than the retention, and only those', async () => {
      const steward = await startNotifySteward(dialect, { notify: false, notifyRetention: 3600 });
      try {
        const now = steward.deps.clock.now();
        const row = (id: string, status: 'pending' | 'delivered' | 'dead', createdAt: number) => ({
          id,
          realm: 'demo',
          eventId: `e-${id}`,
          eventType: 'share.granted',
          channel: 'webhook' as const,
          target: 'r',
          payload: { id: `e-${id}`, type: 'share.granted', at: createdAt, realm: 'demo', data: {} },
          attempts: 1,
          nextAttemptAt: createdAt * 1000,
          status,
          lastError: null,
          lockedUntil: null,
          createdAt,
        });
        await steward.deps.store.outbox.enqueue([
          row('old-delivered', 'delivered', now - 7200),
          row('old-dead', 'dead', now - 7200),
          row('old-pending', 'pending', now - 7200),
          row('new-delivered', 'delivered', now - 60),
        ]);
        const purge = startPeriodicPurge(steward.deps, steward.app.log);
        await purge.runOnce();
        await purge.stop();
        const left = (await steward.deps.store.outbox.list('demo', undefined, 100)).map((d) => d.id).sort();
        assert.deepEqual(left, ['new-delivered', 'old-pending']);
      } finally {
        await steward.close();
        await steward.dropDatabase();
      }
    });

    it('close() lets a call in flight finish and records it delivered', async () => {
      const slow = await new Receiver().start();
      let arrived!: () => void;
      const inFlight = new Promise<void>((r) => (arrived = r));
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      slow.answer = async () => {
        arrived();
        await released;
        return { status: 200 };
      };
      const steward = await startNotifySteward(dialect);
      try {
        await addWebhook(steward.deps, 'demo', { id: 'slow', url: slow.url, secret: SECRET, events: ['share.revoked'] });
        const event = await steward.publish('share.revoked');
        await inFlight;
        // The receiver answers only once close() has begun: close must wait for it and record it.
        const closing = steward.close();
        release();
        await closing;
        const store = await openStore(steward.databaseUrl, { migrate: false });
        try {
          const [d] = (await store.outbox.list('demo', undefined, 100)).filter((x) => x.eventId === event.id && x.channel === 'webhook');
          assert.equal(d!.status, 'delivered');
          assert.equal(d!.attempts, 1);
        } finally {
          await store.close();
        }
      } finally {
        await steward.close();
        await steward.dropDatabase();
        await slow.stop();
      }
    });
  });
}

if (dialects.includes('postgres')) {
  describe('two nodes on one PostgreSQL database', () => {
    it('share one backlog: every delivery is received, none twice', async () => {
      const receiver = await new Receiver().start();
      const writer = await startNotifySteward('postgres', { notify: false });
      const nodes: Array<Awaited<ReturnType<typeof startNotifySteward>>> = [];
      try {
        await addWebhook(writer.deps, 'demo', { id: 'shared', url: receiver.url, secret: SECRET });
        const events = [];
        for (let i = 0; i < 40; i++) events.push(await writer.publish(i % 2 ? 'share.granted' : 'share.revoked'));
        nodes.push(await startNotifySteward('postgres', { notifyBatch: 3 }, writer.databaseUrl));
        nodes.push(await startNotifySteward('postgres', { notifyBatch: 3 }, writer.databaseUrl));
        await eventually('the backlog delivered', async () => {
          const counts = await writer.deps.store.outbox.counts();
          return counts.pending === 0 && counts.delivered === events.length;
        });
        const ids = receiver.received.map((r) => JSON.parse(r.body).id as string);
        assert.deepEqual([...ids].sort(), events.map((e) => e.id).sort(), 'each event once');
        const deliveryIds = receiver.received.map((r) => r.headers['steward-delivery']);
        assert.equal(new Set(deliveryIds).size, 40);
      } finally {
        for (const n of nodes) await n.close();
        await writer.close();
        await writer.dropDatabase();
        await receiver.stop();
      }
    });
  });
}
