/**
 * The access-request story with its notifications, on each store, over HTTP: a real webhook receiver
 * (verifying every signature) and a real SMTP sink capture what Steward sends.
 *   1. Bob asks → Alice's webhook gets `access_request.created` and Alice gets an e-mail.
 *   2. She approves `view` only → `access_request.approved` and `share.granted` for `view`; Bob gets an e-mail.
 *   3. Bob's client gets an RPT for `view` only.
 *   4. She deletes her policy → `share.revoked`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addWebhook } from '@steward/core';
import { verifySignature } from '@steward/server';
import { dialects } from '../../packages/store/test/databases.ts';
import { request } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';
import { assertError, Owner, policyUrl, rptPermissions, UmaWorld } from '../access-requests/fixture.ts';
import { eventually, Receiver, SmtpSink, startNotifySteward } from './fixture.ts';

const SECRET = 'story-webhook-secret-0123456789';

for (const dialect of dialects) {
  describe(`access requests: the story, notified (${dialect})`, () => {
    const receiver = new Receiver();
    const sink = new SmtpSink();
    let steward: Awaited<ReturnType<typeof startNotifySteward>>;
    let w: UmaWorld;
    let alice: Owner;
    const story = { album: '', ticket: '', requestId: '' };

    /** The webhook bodies received so far (each signature checked), in arrival order. */
    const events = () =>
      receiver.received.map((r) => {
        assert.equal(verifySignature(SECRET, r.headers['steward-signature'] as string, r.body, Math.floor(Date.now() / 1000)), true, 'signed');
        return JSON.parse(r.body) as { id: string; type: string; data: Record<string, any> };
      });
    const eventOf = (type: string) => eventually(type, () => events().find((e) => e.type === type && e.data.resourceId === story.album));

    before(async () => {
      await receiver.start();
      await sink.start();
      steward = await startNotifySteward(dialect, { smtpHost: '127.0.0.1', smtpPort: sink.port });
      const s: TestSteward = { ...steward, dialect, baseUrl: 'http://steward.test', issuer: steward.deps.issuer('demo') };
      w = new UmaWorld(s);
      alice = await Owner.signIn(s, 'alice');
      await addWebhook(steward.deps, 'demo', { id: 'alice-crm', url: receiver.url, secret: SECRET });
      story.album = await w.resource('alice', ['view', 'print'], 'Alice’s album');
    });
    after(async () => {
      await steward?.close();
      await steward?.dropDatabase();
      await receiver.stop();
      await sink.stop();
    });

    it('1. Bob asks: the webhook gets access_request.created and Alice an e-mail', async () => {
      const ticket = await w.ticket('alice', [[story.album, ['view', 'print']]]);
      const res = await w.grantAs('bob', { ticket });
      assertError(res, 403, 'request_submitted');
      story.ticket = res.json.ticket;
      const created = await eventOf('access_request.created');
      assert.equal(created.data.owner, steward.alice.id);
      assert.equal(created.data.requester, steward.bob.id);
      assert.deepEqual(created.data.scopes, ['view', 'print']);
      story.requestId = created.data.requestId;
      const mail = await eventually('the mail to Alice', () => sink.mails.find((m) => m.to.includes('alice@example.com')));
      assert.equal(mail.headers['steward-event'], 'access_request.created');
      assert.match(mail.text, /bob asks for access to "Alice’s album" of yours: view, print\./);
      assert.ok(mail.text.includes('http://steward.test/realms/demo/account/'));
    });

    it('2. Alice approves view only: approved and share.granted for view; Bob gets an e-mail', async () => {
      const res = await alice.act(story.requestId, 'approve', { scopes: ['view'] });
      assert.equal(res.status, 200, res.body);
      const approved = await eventOf('access_request.approved');
      assert.deepEqual(approved.data.scopes, ['view']);
      assert.equal(approved.data.requestId, story.requestId);
      const granted = await eventOf('share.granted');
      assert.deepEqual(granted.data.scopes, ['view']);
      assert.equal(granted.data.requester, steward.bob.id);
      const mail = await eventually('the mail to Bob', () => sink.mails.find((m) => m.to.includes('bob@example.com')));
      assert.equal(mail.headers['steward-event'], 'access_request.approved');
      assert.match(mail.text, /alice approved your request for "Alice’s album": view\./);
    });

    it('3. Bob’s client gets an RPT for view only', async () => {
      const res = await w.grant({ ticket: story.ticket });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(rptPermissions(res.json.access_token), [[story.album, ['view']]]);
    });

    it('4. Alice deletes her policy: share.revoked; every event came once, nothing is left to send', async () => {
      const res = await request(steward.app, 'DELETE', policyUrl('alice', story.album), { headers: alice.headers });
      assert.equal(res.status, 200, res.body);
      const revoked = await eventOf('share.revoked');
      assert.deepEqual(revoked.data.scopes, ['view']);
      const mine = events().filter((e) => e.data.resourceId === story.album);
      assert.deepEqual(mine.map((e) => e.type).sort(), ['access_request.approved', 'access_request.created', 'share.granted', 'share.revoked']);
      assert.equal(new Set(mine.map((e) => e.id)).size, mine.length);
      assert.equal(sink.mails.length, 2);
      await eventually('an empty backlog', async () => (await steward.deps.store.outbox.counts()).pending === 0);
    });
  });
}
