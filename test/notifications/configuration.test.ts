/**
 * How webhooks are configured, on SQLite and PostgreSQL: the `STEWARD_WEBHOOKS` key applied at start
 * (created, then replaced by id on the next start), realm creation with webhooks, the service's rules
 * (every bad input named), and the notification settings checked at start.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addWebhook, isStewardError, listWebhooks, removeWebhook, WEBHOOK_EVENTS } from '@steward/core';
import { checkNotificationConfig, ConfigError, createRealm, loadConfig } from '@steward/server';
import { dialects } from '../../packages/store/test/databases.ts';
import { startNotifySteward } from './fixture.ts';

const code = (c: string) => (e: unknown) => isStewardError(e) && e.code === c;

for (const dialect of dialects) {
  describe(`webhook configuration (${dialect})`, () => {
    it('STEWARD_WEBHOOKS creates the webhooks at start and a later start replaces them by id', async () => {
      const env = JSON.stringify({
        demo: [{ id: 'crm', url: 'https://crm.example/hooks', secret: 'crm-secret-0123456789', events: ['access_request.created'] }],
        nowhere: [{ id: 'x', url: 'https://x.example/', secret: 'x-secret-0123456789' }],
      });
      const config = loadConfig({ STEWARD_WEBHOOKS: env });
      assert.equal(config.webhooks, env);
      const first = await startNotifySteward(dialect, { webhooks: env, notify: false });
      let second: Awaited<ReturnType<typeof startNotifySteward>> | null = null;
      try {
        const [crm] = await first.deps.store.webhooks.list('demo');
        assert.equal(crm!.url, 'https://crm.example/hooks');
        assert.equal(crm!.secret, 'crm-secret-0123456789');
        assert.deepEqual(crm!.events, ['access_request.created']);
        assert.equal(await first.deps.store.webhooks.get('nowhere', 'x'), null, 'an unknown realm is skipped');
        await first.close();
        const changed = JSON.stringify({ demo: [{ id: 'crm', url: 'https://crm2.example/hooks', secret: 'rotated-secret-0123456789', enabled: false }] });
        second = await startNotifySteward(dialect, { webhooks: changed, notify: false }, first.databaseUrl);
        const hooks = await second.deps.store.webhooks.list('demo');
        assert.equal(hooks.length, 1);
        assert.equal(hooks[0]!.url, 'https://crm2.example/hooks');
        assert.equal(hooks[0]!.secret, 'rotated-secret-0123456789');
        assert.equal(hooks[0]!.enabled, false);
        assert.deepEqual(hooks[0]!.events, [...WEBHOOK_EVENTS], 'events default to all');
      } finally {
        await second?.close();
        await first.close();
        await first.dropDatabase();
      }
    });

    it('a bad STEWARD_WEBHOOKS or inconsistent notification settings stop the start with the key named', async () => {
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ webhooks: '{not json' }, /STEWARD_WEBHOOKS must be JSON/],
        [{ webhooks: '[]' }, /STEWARD_WEBHOOKS must be a JSON object/],
        [{ webhooks: '{"demo": {}}' }, /realm demo must map to a list/],
        [{ webhooks: '{"demo": [{"url": "https://a.example/", "secret": "0123456789abcdef"}]}' }, /demo\[0\]: id is required/],
        [{ webhooks: '{"demo": [{"id": "a", "url": "https://a.example/"}]}' }, /demo\[0\]: secret is required/],
        [{ webhooks: '{"demo": [{"id": "a", "url": "https://a.example/", "secret": "0123456789abcdef", "extra": 1}]}' }, /member extra is unknown/],
        [{ webhooks: '{"demo": [{"id": "a", "url": "ftp://a.example/", "secret": "0123456789abcdef"}]}' }, /STEWARD_WEBHOOKS: demo\[0\]: Webhook url must use http or https/],
        [{ webhooks: '{"demo": [{"id": "a", "url": "https://a.example/", "secret": "short"}]}' }, /at least 16 characters/],
        [{ notifyLeaseMs: 1000, notifyTimeoutMs: 1000 }, /STEWARD_NOTIFY_LEASE_MS must exceed STEWARD_NOTIFY_TIMEOUT_MS/],
        [{ notifyRetryBaseMs: 500, notifyRetryMaxMs: 100 }, /STEWARD_NOTIFY_RETRY_MAX_MS/],
      ];
      for (const [over, message] of cases) {
        assert.throws(() => checkNotificationConfig(loadConfig({}, over)), (e: unknown) => e instanceof ConfigError && message.test(e.message), JSON.stringify(over));
      }
      await assert.rejects(startNotifySteward(dialect, cases[0]![0]), (e: unknown) => e instanceof ConfigError && /STEWARD_WEBHOOKS/.test(e.message), 'the start stops');
    });

    it('the service checks every member, keeps ids unique per realm and never lists secrets; realms are created with webhooks', async () => {
      const steward = await startNotifySteward(dialect, { notify: false });
      try {
        const ok = { url: 'https://ok.example/h', secret: '0123456789abcdef' };
        const bad: Array<[Record<string, unknown>, RegExp]> = [
          [{ ...ok, url: 'not a url' }, /absolute http\(s\) URL/],
          [{ ...ok, url: 'javascript:alert(1)' }, /http or https/],
          [{ ...ok, url: 'https://user:pw@ok.example/' }, /credentials/],
          [{ ...ok, url: 'https://ok.example/#frag' }, /fragment/],
          [{ ...ok, secret: 'too short' }, /at least 16/],
          [{ ...ok, events: [] }, /non-empty list/],
          [{ ...ok, events: ['rpt.issued'] }, /"rpt.issued" is not one of/],
          [{ ...ok, id: 'bad id!' }, /Webhook id/],
          [{ ...ok, enabled: 'yes' }, /enabled must be true or false/],
        ];
        for (const [input, message] of bad) {
          await assert.rejects(addWebhook(steward.deps, 'demo', input as never), (e: unknown) => code('invalid_request')(e) && message.test((e as Error).message), JSON.stringify(input));
        }
        await assert.rejects(addWebhook(steward.deps, 'no-such-realm', ok), code('not_found'));
        const created = await addWebhook(steward.deps, 'demo', { ...ok, events: ['share.granted', 'share.granted'] });
        assert.deepEqual(created.events, ['share.granted']);
        const generated = await addWebhook(steward.deps, 'demo', { id: 'gen', url: ok.url });
        assert.ok(generated.secret.length >= 40, 'a generated secret, shown once');
        await assert.rejects(addWebhook(steward.deps, 'demo', { ...ok, id: 'gen' }), code('conflict'));
        const listed = await listWebhooks(steward.deps, 'demo');
        assert.deepEqual(listed.map((w) => w.id).sort(), [created.id, 'gen'].sort());
        assert.ok(listed.every((w) => !('secret' in w)));
        await removeWebhook(steward.deps, 'demo', 'gen');
        await assert.rejects(removeWebhook(steward.deps, 'demo', 'gen'), code('not_found'));

        await createRealm(steward.deps, { id: 'hooked', webhooks: [{ id: 'h1', url: 'https://h.example/', secret: '0123456789abcdef', events: ['share.revoked'] }] });
        assert.deepEqual((await listWebhooks(steward.deps, 'hooked')).map((w) => [w.id, w.events]), [['h1', ['share.revoked']]]);
        await assert.rejects(createRealm(steward.deps, { id: 'half', webhooks: [{ url: 'ftp://x/', secret: '0123456789abcdef' }] }), code('invalid_request'));
        assert.equal(await steward.deps.store.realms.get('half'), null, 'nothing of a refused realm is written');
      } finally {
        await steward.close();
        await steward.dropDatabase();
      }
    });
  });
}
