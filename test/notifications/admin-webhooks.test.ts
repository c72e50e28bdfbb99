/**
 * The admin API of webhooks and deliveries, over HTTP on SQLite and PostgreSQL: add (secret generated
 * and shown once), list without secrets, replace, remove; list deliveries by status and send a dead
 * one again; every bad input a 400 naming it; nothing without the admin token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { request } from '../helpers/http.ts';
import { ADMIN, ADMIN_TOKEN, sha256 } from '../admin-api/fixture.ts';
import { eventually, Receiver, startNotifySteward } from './fixture.ts';

const HOOKS = '/admin/realms/demo/webhooks';
const DELIVERIES = '/admin/realms/demo/deliveries';

for (const dialect of dialects) {
  describe(`admin API: webhooks and deliveries (${dialect})`, () => {
    const receiver = new Receiver();
    let steward: Awaited<ReturnType<typeof startNotifySteward>>;

    before(async () => {
      await receiver.start();
      steward = await startNotifySteward(dialect, { adminTokenSha256: sha256(ADMIN_TOKEN), notifyMaxAttempts: 1 });
    });
    after(async () => {
      await steward?.close();
      await steward?.dropDatabase();
      await receiver.stop();
    });

    const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = ADMIN) =>
      request(steward.app, method, url, { headers, ...(body === undefined ? {} : { body }) });

    it('adds, lists (never the secret), replaces and removes webhooks', async () => {
      const created = await call('POST', HOOKS, { id: 'crm', url: receiver.url, events: ['share.granted'] });
      assert.equal(created.status, 201, created.body);
      assert.equal(created.headers.location, `${HOOKS}/crm`);
      assert.equal(typeof created.json.secret, 'string', 'a generated secret is shown once');
      assert.equal((await steward.deps.store.webhooks.get('demo', 'crm'))!.secret, created.json.secret);
      const chosen = await call('POST', HOOKS, { url: receiver.url, secret: 'my-own-secret-0123456789' });
      assert.equal(chosen.status, 201, chosen.body);
      assert.equal(chosen.json.secret, undefined, 'a secret the caller chose is not echoed');
      const listed = await call('GET', HOOKS);
      assert.equal(listed.status, 200);
      assert.equal(listed.json.length, 2);
      assert.ok(listed.json.every((w: Record<string, unknown>) => !('secret' in w)));
      assert.equal((await call('POST', HOOKS, { id: 'crm', url: receiver.url, secret: '0123456789abcdef' })).status, 409);
      const replaced = await call('PUT', `${HOOKS}/crm`, { url: 'https://crm.example/new', secret: 'rotated-0123456789', enabled: false });
      assert.equal(replaced.status, 200, replaced.body);
      assert.deepEqual([replaced.json.url, replaced.json.enabled, replaced.json.secret], ['https://crm.example/new', false, undefined]);
      assert.equal((await call('DELETE', `${HOOKS}/crm`)).status, 204);
      assert.equal((await call('DELETE', `${HOOKS}/crm`)).status, 404);
      assert.equal((await call('DELETE', `${HOOKS}/${chosen.json.id}`)).status, 204);
    });

    it('answers 400 naming the problem, 404 for an unknown realm, 401 without the admin token', async () => {
      const bad: Array<[unknown, RegExp]> = [
        [{ url: 'ftp://x.example/', secret: '0123456789abcdef' }, /http or https/],
        [{ url: receiver.url, secret: 'short' }, /at least 16/],
        [{ url: receiver.url, events: ['rpt.issued'] }, /rpt\.issued/],
        [{ url: receiver.url, colour: 'red' }, /colour/],
        [['not', 'an', 'object'], /webhook/],
      ];
      for (const [body, message] of bad) {
        const res = await call('POST', HOOKS, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(res.body, message);
      }
      assert.equal((await call('GET', '/admin/realms/nope/webhooks')).status, 404);
      assert.equal((await call('GET', HOOKS, undefined, {})).status, 401);
      assert.equal((await call('GET', `${DELIVERIES}?status=lost`)).status, 400);
      assert.equal((await call('GET', `${DELIVERIES}?limit=0`)).status, 400);
    });

    it('lists deliveries by status and sends a dead one again', async () => {
      receiver.answer = () => ({ status: 500 });
      const created = await call('POST', HOOKS, { id: 'flaky', url: receiver.url, secret: 'flaky-secret-0123456789', events: ['share.revoked'] });
      assert.equal(created.status, 201, created.body);
      const event = await steward.publish('share.revoked');
      const dead = await eventually('a dead delivery', async () => {
        const res = await call('GET', `${DELIVERIES}?status=dead`);
        return res.json.find((d: { eventId: string }) => d.eventId === event.id);
      });
      assert.deepEqual([dead.channel, dead.target, dead.status, dead.attempts, dead.lastError], ['webhook', 'flaky', 'dead', 1, 'HTTP 500']);
      receiver.answer = () => ({ status: 204 });
      assert.equal((await call('POST', `${DELIVERIES}/${encodeURIComponent(dead.id)}/retry`)).status, 204);
      await eventually('delivered after the retry', async () => {
        const res = await call('GET', `${DELIVERIES}?status=delivered`);
        return res.json.some((d: { id: string }) => d.id === dead.id);
      });
      assert.equal((await call('POST', `${DELIVERIES}/${encodeURIComponent(dead.id)}/retry`)).status, 404, 'no longer dead');
      assert.equal((await call('POST', `/admin/realms/demo/deliveries/nope/retry`)).status, 404);
    });
  });
}
