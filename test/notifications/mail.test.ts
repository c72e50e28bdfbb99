/**
 * E-mail notifications through a real SMTP sink, on SQLite and PostgreSQL: the owner on a new access
 * request, the requesting party on an answer, plain text with the console link and no secret; SMTP down
 * means retried (never lost) and delivered when it comes up; without SMTP configured, e-mails wait.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { freePort } from '../helpers/steward.ts';
import { eventually, SmtpSink, startNotifySteward } from './fixture.ts';

for (const dialect of dialects) {
  describe(`e-mail notifications (${dialect})`, () => {
    let steward: Awaited<ReturnType<typeof startNotifySteward>>;
    const sink = new SmtpSink();

    before(async () => {
      await sink.start();
      steward = await startNotifySteward(dialect, { smtpHost: '127.0.0.1', smtpPort: sink.port, smtpFrom: 'Steward <no-reply@steward.test>' });
    });
    after(async () => {
      await steward?.close();
      await steward?.dropDatabase();
      await sink.stop();
    });

    it('mails the owner about a new request: plain text, who asks for what, the console link, no secret', async () => {
      const event = await steward.publish('access_request.created', { scopes: ['view', 'download'] });
      const mail = await eventually('the mail to alice', () => sink.mails.find((m) => m.headers['steward-event'] === 'access_request.created' && m.raw.includes(event.id)));
      assert.deepEqual(mail.to, ['alice@example.com']);
      assert.equal(mail.from, 'no-reply@steward.test');
      assert.match(mail.headers['content-type']!, /^text\/plain/);
      assert.equal(mail.headers.subject, 'bob asks for access to "Photo Album"');
      assert.match(mail.text, /Hello alice,/);
      assert.match(mail.text, /bob asks for access to "Photo Album" of yours: view, download\./);
      assert.ok(mail.text.includes('http://steward.test/realms/demo/account/'), mail.text);
      assert.doesNotMatch(mail.text, /[A-Za-z0-9_-]{40,}|\?/, 'no token-like string, no query in the link');
      const stored = await steward.deps.store.outbox.list('demo', undefined, 1000);
      const delivery = stored.find((d) => d.eventId === event.id && d.channel === 'mail')!;
      assert.equal(mail.headers['steward-delivery'], delivery.id);
      await eventually('delivered status', async () => (await steward.deps.store.outbox.get(delivery.id))?.status === 'delivered');
    });

    it('mails the requesting party when the owner approves, and when she denies', async () => {
      const approved = await steward.publish('access_request.approved', { scopes: ['view'] });
      const denied = await steward.publish('access_request.denied', { resourceName: 'Tax returns' });
      const yes = await eventually('the approval mail', () => sink.mails.find((m) => m.raw.includes(approved.id)));
      const no = await eventually('the denial mail', () => sink.mails.find((m) => m.raw.includes(denied.id)));
      assert.deepEqual(yes.to, ['bob@example.com']);
      assert.equal(yes.headers.subject, 'alice approved your request for "Photo Album"');
      assert.match(yes.text, /alice approved your request for "Photo Album": view\./);
      assert.deepEqual(no.to, ['bob@example.com']);
      assert.equal(no.headers.subject, 'alice declined your request for "Tax returns"');
      assert.ok(no.text.includes('http://steward.test/realms/demo/account/'));
    });

    it('sends no mail for other events, nor to a party without an address', async () => {
      const before = sink.mails.length;
      const granted = await steward.publish('share.granted');
      const toClient = await steward.publish('access_request.approved', { requester: 'photoz-client' });
      const stored = await steward.deps.store.outbox.list('demo', undefined, 1000);
      assert.equal(stored.filter((d) => d.eventId === granted.id || d.eventId === toClient.id).length, 0);
      assert.equal(sink.mails.length, before);
    });

    it('a name with line breaks cannot add mail headers', async () => {
      const event = await steward.publish('access_request.created', { resourceName: 'Album\r\nBcc: eve@evil.test\r\n\r\nhello' });
      const mail = await eventually('the mail', () => sink.mails.find((m) => m.raw.includes(event.id)));
      assert.deepEqual(mail.to, ['alice@example.com']);
      assert.equal(mail.headers.bcc, undefined);
      assert.equal(mail.headers.subject, 'bob asks for access to "Album Bcc: eve@evil.test hello"');
    });
  });

  describe(`e-mail when SMTP is down (${dialect})`, () => {
    it('retries while the SMTP server is unreachable and delivers once it is up; nothing is lost', async () => {
      const port = await freePort();
      const steward = await startNotifySteward(dialect, { smtpHost: '127.0.0.1', smtpPort: port, notifyMaxAttempts: 1000 });
      const sink = new SmtpSink();
      try {
        const event = await steward.publish('access_request.created');
        const failed = await eventually('a failed attempt', async () => {
          const d = (await steward.deps.store.outbox.list('demo', undefined, 100)).find((x) => x.eventId === event.id && x.channel === 'mail');
          return d && d.attempts >= 2 && d.lastError ? d : undefined;
        });
        assert.equal(failed.status, 'pending');
        assert.match(failed.lastError!, /SMTP/);
        await sink.start(port);
        const mail = await eventually('the mail after SMTP came up', () => sink.mails.find((m) => m.raw.includes(event.id)));
        assert.deepEqual(mail.to, ['alice@example.com']);
        await eventually('delivered status', async () => (await steward.deps.store.outbox.get(failed.id))?.status === 'delivered');
      } finally {
        await steward.close();
        await steward.dropDatabase();
        await sink.stop();
      }
    });

    it('without SMTP configured, e-mails wait in the outbox, pending and unattempted', async () => {
      const steward = await startNotifySteward(dialect);
      try {
        const event = await steward.publish('access_request.created');
        const mail = (await steward.deps.store.outbox.list('demo', undefined, 100)).find((x) => x.eventId === event.id && x.channel === 'mail')!;
        assert.equal(mail.target, 'alice@example.com');
        await steward.notifications.worker()!.stop();
        const still = await steward.deps.store.outbox.get(mail.id);
        assert.equal(still!.status, 'pending');
        assert.equal(still!.attempts, 0);
      } finally {
        await steward.close();
        await steward.dropDatabase();
      }
    });
  });
}
