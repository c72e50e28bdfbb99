/**
 * Webhook deliveries over real HTTP, on SQLite and PostgreSQL: signed bodies a receiver can verify,
 * only to subscribed and enabled webhooks, retried until a receiver that was down comes up, dead-lettered
 * after the bound, redirects never followed, removed webhooks dropped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addWebhook, isStewardError, listDeadDeliveries, retryDeadDelivery } from '@steward/core';
import { verifySignature } from '@steward/server';
import { dialects } from '../../packages/store/test/databases.ts';
import { freePort } from '../helpers/steward.ts';
import { eventually, Receiver, startNotifySteward } from './fixture.ts';

const SECRET = 'whsec-0123456789abcdef-✓';

for (const dialect of dialects) {
  describe(`webhooks (${dialect})`, () => {
    let steward: Awaited<ReturnType<typeof startNotifySteward>>;
    const receiver = new Receiver();

    before(async () => {
      await receiver.start();
      steward = await startNotifySteward(dialect);
    });
    after(async () => {
      await steward?.close();
      await steward?.dropDatabase();
      await receiver.stop();
    });

    const deliveriesOf = async (eventId: string) => (await steward.deps.store.outbox.list('demo', undefined, 1000)).filter((d) => d.eventId === eventId && d.channel === 'webhook');

    it('POSTs the event as signed JSON with its event and delivery ids; the receiver verifies the signature', async () => {
      await addWebhook(steward.deps, 'demo', { id: 'signed', url: receiver.url, secret: SECRET, events: ['access_request.created'] });
      const event = await steward.publish('access_request.created');
      const got = await eventually('the signed call', () => receiver.received.find((r) => r.body.includes(event.id)));
      assert.equal(got.method, 'POST');
      assert.equal(got.url, '/hooks/steward');
      assert.equal(got.headers['content-type'], 'application/json');
      assert.equal(got.headers['steward-event'], 'access_request.created');
      const [delivery] = await deliveriesOf(event.id);
      assert.equal(got.headers['steward-delivery'], delivery!.id);
      assert.deepEqual(JSON.parse(got.body), {
        id: event.id,
        type: 'access_request.created',
        at: event.at,
        realm: 'demo',
        data: {
          owner: steward.alice.id,
          requester: steward.bob.id,
          clientId: 'photoz-client',
          resourceId: 'res-1',
          resourceName: 'Photo Album',
          scopes: ['view'],
          requestId: 'req-1',
        },
      });
      const header = got.headers['steward-signature'] as string;
      assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
      const now = Math.floor(Date.now() / 1000);
      assert.equal(verifySignature(SECRET, header, got.body, now), true);
      assert.equal(verifySignature('another secret of some length', header, got.body, now), false, 'another key');
      assert.equal(verifySignature(SECRET, header, got.body.replace('view', 'edit'), now), false, 'a changed body');
      assert.equal(verifySignature(SECRET, header, got.body, now + 3600), false, 'an old timestamp (replay)');
      await eventually('delivered status', async () => (await steward.deps.store.outbox.get(delivery!.id))?.status === 'delivered');
      await steward.deps.store.webhooks.delete('demo', 'signed');
    });

    it('enqueues nothing for a webhook not subscribed to the type, disabled, or for an event no webhook takes', async () => {
      await addWebhook(steward.deps, 'demo', { id: 'only-revoked', url: receiver.url, secret: SECRET, events: ['share.revoked'] });
      await addWebhook(steward.deps, 'demo', { id: 'off', url: receiver.url, secret: SECRET, enabled: false });
      const granted = await steward.publish('share.granted');
      const issued = await steward.publish('rpt.issued');
      const revoked = await steward.publish('share.revoked');
      assert.deepEqual(await deliveriesOf(granted.id), []);
      assert.deepEqual(await deliveriesOf(issued.id), []);
      assert.deepEqual((await deliveriesOf(revoked.id)).map((d) => d.target), ['only-revoked']);
      await eventually('the share.revoked call', () => receiver.received.find((r) => r.body.includes(revoked.id)));
      await steward.deps.store.webhooks.delete('demo', 'only-revoked');
      await steward.deps.store.webhooks.delete('demo', 'off');
    });

    it('retries a receiver that is down, and delivers once it comes up', async () => {
      const port = await freePort();
      const late = new Receiver();
      await addWebhook(steward.deps, 'demo', { id: 'late', url: `http://127.0.0.1:${port}/late`, secret: SECRET, events: ['access_request.approved'] });
      const event = await steward.publish('access_request.approved');
      const failed = await eventually('a failed attempt', async () => {
        const [d] = await deliveriesOf(event.id);
        return d && d.attempts >= 1 && d.lastError !== null ? d : undefined;
      });
      assert.equal(failed.status, 'pending');
      assert.match(failed.lastError!, /webhook call failed/);
      await late.start(port);
      try {
        await eventually('delivery after the receiver came up', async () => (await deliveriesOf(event.id))[0]?.status === 'delivered');
        assert.equal(late.received.filter((r) => r.body.includes(event.id)).length, 1);
      } finally {
        await late.stop();
        await steward.deps.store.webhooks.delete('demo', 'late');
      }
    });

    it('dead-letters after the configured attempts against a receiver that always fails; counts show it; a retry sends it again', async () => {
      const failing = await new Receiver().start();
      failing.answer = () => ({ status: 503 });
      await addWebhook(steward.deps, 'demo', { id: 'failing', url: failing.url, secret: SECRET, events: ['access_request.denied'] });
      const before = await steward.deps.store.outbox.counts();
      const event = await steward.publish('access_request.denied');
      try {
        const dead = await eventually('dead-lettered', async () => {
          const [d] = await deliveriesOf(event.id);
          return d?.status === 'dead' ? d : undefined;
        });
        assert.equal(dead.attempts, 4);
        assert.equal(dead.lastError, 'HTTP 503');
        assert.equal(failing.received.length, 4);
        const after = await steward.deps.store.outbox.counts();
        assert.equal(after.dead, before.dead + 1);
        // Once the receiver is fixed, the administrator sends it again: it is not lost.
        assert.ok((await listDeadDeliveries(steward.deps, 'demo')).some((d) => d.id === dead.id));
        await assert.rejects(retryDeadDelivery(steward.deps, 'other-realm', dead.id), (e) => isStewardError(e) && e.code === 'not_found');
        failing.answer = () => ({ status: 200 });
        await retryDeadDelivery(steward.deps, 'demo', dead.id);
        await eventually('delivered after the retry', async () => (await steward.deps.store.outbox.get(dead.id))?.status === 'delivered');
        assert.equal(failing.received.length, 5);
        await assert.rejects(retryDeadDelivery(steward.deps, 'demo', dead.id), (e) => isStewardError(e) && e.code === 'not_found');
      } finally {
        await failing.stop();
        await steward.deps.store.webhooks.delete('demo', 'failing');
      }
    });

    it('never follows a redirect: the target of the Location gets nothing and the attempt fails', async () => {
      const elsewhere = await new Receiver().start();
      const bouncing = await new Receiver().start();
      bouncing.answer = () => ({ status: 307, headers: { location: elsewhere.url } });
      await addWebhook(steward.deps, 'demo', { id: 'bouncing', url: bouncing.url, secret: SECRET, events: ['share.granted'] });
      const event = await steward.publish('share.granted');
      try {
        const failed = await eventually('a failed attempt', async () => {
          const [d] = await deliveriesOf(event.id);
          return d?.lastError ? d : undefined;
        });
        assert.match(failed.lastError!, /HTTP 307.*redirects are not followed/);
        assert.ok(bouncing.received.length >= 1);
        assert.equal(elsewhere.received.length, 0);
      } finally {
        await steward.deps.store.webhooks.delete('demo', 'bouncing');
        await bouncing.stop();
        await elsewhere.stop();
      }
    });

    it('drops (dead-letters) deliveries of a webhook removed before they were sent', async () => {
      await steward.notifications.worker()!.stop();
      await addWebhook(steward.deps, 'demo', { id: 'gone', url: receiver.url, secret: SECRET, events: ['share.granted'] });
      const event = await steward.publish('share.granted');
      await steward.deps.store.webhooks.delete('demo', 'gone');
      const again = await startNotifySteward(dialect, {}, steward.databaseUrl);
      try {
        const dead = await eventually('dead-lettered', async () => {
          const [d] = await deliveriesOf(event.id);
          return d?.status === 'dead' ? d : undefined;
        });
        assert.equal(dead.lastError, 'webhook removed');
        assert.equal(receiver.received.filter((r) => r.body.includes(event.id)).length, 0);
      } finally {
        await again.close();
      }
    });
  });
}
