/**
 * A change answered over HTTP wakes the node's worker: with a poll interval of ten minutes, the share
 * an owner writes through the owner API still reaches the webhook at once (SQLite and PostgreSQL).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addWebhook } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { request } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';
import { bobViewComment, policyUrl, registerResource, session, signIn } from '../owner-policies/fixture.ts';
import { eventually, Receiver, startNotifySteward } from './fixture.ts';

for (const dialect of dialects) {
  describe(`a write wakes the worker (${dialect})`, () => {
    const receiver = new Receiver();
    let steward: Awaited<ReturnType<typeof startNotifySteward>>;
    let s: TestSteward;

    before(async () => {
      await receiver.start();
      steward = await startNotifySteward(dialect, { notifyPollMs: 600_000 });
      s = { ...steward, dialect, baseUrl: 'http://steward.test', issuer: steward.deps.issuer('demo') };
    });
    after(async () => {
      await steward?.close();
      await steward?.dropDatabase();
      await receiver.stop();
    });

    it('share.granted reaches the webhook without waiting for the next poll', async () => {
      await addWebhook(steward.deps, 'demo', { id: 'wake', url: receiver.url, secret: 'wake-secret-0123456789', events: ['share.granted'] });
      const album = await registerResource(s, 'alice');
      const alice = await signIn(s, 'alice');
      // The worker has looked once at start and now sleeps for ten minutes.
      const res = await request(s.app, 'PUT', policyUrl('alice', album), { body: bobViewComment(album), headers: session(alice, { 'if-none-match': '*' }) });
      assert.equal(res.status, 201, res.body);
      const got = await eventually('the share.granted call', () => receiver.received.find((r) => JSON.parse(r.body).data.resourceId === album));
      assert.equal(JSON.parse(got.body).type, 'share.granted');
    });
  });
}
