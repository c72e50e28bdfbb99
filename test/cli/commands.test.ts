/**
 * The administration commands against a real database, on both stores: migrate, realm (create, list,
 * update, delete, export), user (including set-password), client (including update and
 * rotate-secret), keys and purge. On SQLite each command runs once as a real process; the rest runs in
 * process.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Store } from '@steward/core';
import { openStore } from '@steward/store';
import { passwords } from '../../packages/server/src/crypto/node-crypto.ts';
import { dialects, freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { cliEnv, runInProcess, spawnCli, type CliResult } from './run.ts';

for (const dialect of dialects) {
  describe(`steward administration commands (${dialect})`, () => {
    let db: { url: string; drop(): Promise<void> };
    let env: Record<string, string>;
    let store: Store | null = null;
    // Each command group runs once as a real process (on SQLite, to keep the suite fast).
    const real = (args: string[], stdin = ''): Promise<CliResult> => (dialect === 'sqlite' ? spawnCli(args, env, stdin) : runInProcess(args, env, stdin));
    const cli = (args: string[], stdin = '') => runInProcess(args, env, stdin);
    const ok = (res: CliResult) => {
      assert.equal(res.code, 0, `exit ${res.code}: ${res.stderr}`);
      return res;
    };
    const json = (res: CliResult) => JSON.parse(ok(res).stdout);

    before(async () => {
      db = await freshDatabaseUrl(dialect);
      env = cliEnv(db.url, { STEWARD_MIGRATE_ON_START: '0' });
    });
    after(async () => {
      await store?.close();
      await db.drop();
    });

    it('migrate: status lists pending migrations, commands refuse to run until up applies them', async () => {
      const pending = json(await real(['migrate', 'status', '--json'])) as Array<{ name: string; applied: boolean }>;
      assert.ok(pending.length >= 2 && pending.every((m) => !m.applied), JSON.stringify(pending));
      assert.ok(pending.some((m) => m.name === '0006-admin-keys'));
      const refused = await cli(['realm', 'list']);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /pending migration.*steward migrate up/);
      const up = json(await cli(['migrate', 'up', '--json']));
      assert.deepEqual(up.applied, pending.map((m) => m.name));
      const status = await cli(['migrate', 'status']);
      assert.match(ok(status).stdout, /Up to date/);
      assert.deepEqual(json(await cli(['migrate', 'up', '--json'])).applied, []);
      store = await openStore(db.url, { migrate: false });
    });

    it('realm create and list', async () => {
      const created = json(await real(['realm', 'create', 'acme', '--display-name', 'Acme Corp', '--settings', '{"signingAlg":"RS256","accessRequests":true}', '--json']));
      assert.equal(created.id, 'acme');
      assert.equal(created.settings.signingAlg, 'RS256');
      assert.equal((await store!.keys.list('acme')).length, 2, 'ES256 and RS256 keys');
      const dup = await cli(['realm', 'create', 'acme']);
      assert.equal(dup.code, 1);
      assert.match(dup.stderr, /already exists/);
      const badSettings = await cli(['realm', 'create', 'other', '--settings', '{"colour":"red"}']);
      assert.equal(badSettings.code, 1);
      assert.match(badSettings.stderr, /colour/);
      assert.equal(await store!.realms.get('other'), null);
      assert.deepEqual(json(await cli(['realm', 'list', '--json'])).map((r: { id: string }) => r.id), ['acme']);
    });

    it('user add (password from stdin, or generated and shown once), list, disable, enable, delete', async () => {
      const added = json(await real(['user', 'add', '--realm', 'acme', '--username', 'ann', '--email', 'ann@example.com', '--password-stdin', '--json'], 'ann-secret-pw\n'));
      assert.equal(added.user.username, 'ann');
      assert.equal(added.password, undefined);
      const ann = (await store!.users.get('acme', added.user.id))!;
      assert.ok(await passwords.verify(ann.passwordHash, 'ann-secret-pw'), 'the trailing newline is not part of the password');
      const generated = json(await cli(['user', 'add', '--realm', 'acme', '--username', 'bo', '--json']));
      assert.match(generated.password, /^[A-Za-z0-9_-]{24}$/);
      assert.ok(await passwords.verify((await store!.users.get('acme', generated.user.id))!.passwordHash, generated.password));
      const dup = await cli(['user', 'add', '--realm', 'acme', '--username', 'ann', '--password-stdin'], 'another-pw-1');
      assert.equal(dup.code, 1);
      assert.match(dup.stderr, /already exists/);
      const short = await cli(['user', 'add', '--realm', 'acme', '--username', 'cy', '--password-stdin'], 'short');
      assert.equal(short.code, 1);
      assert.match(short.stderr, /password/);
      assert.deepEqual(json(await cli(['user', 'list', '--realm', 'acme', '--json'])).map((u: { username: string }) => u.username), ['ann', 'bo']);
      assert.match(ok(await cli(['user', 'list', '--realm', 'acme'])).stdout, /^USERNAME +ID/);

      assert.equal(json(await cli(['user', 'disable', '--realm', 'acme', 'bo', '--json'])).disabled, true);
      assert.equal((await store!.users.get('acme', generated.user.id))!.disabled, true);
      assert.equal(json(await cli(['user', 'enable', '--realm', 'acme', 'bo', '--json'])).disabled, false);
      ok(await cli(['user', 'delete', '--realm', 'acme', 'bo']));
      assert.equal(await store!.users.get('acme', generated.user.id), null);
      const missing = await cli(['user', 'delete', '--realm', 'acme', 'bo']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /not found/);
      const noRealm = await cli(['user', 'list', '--realm', 'nope']);
      assert.equal(noRealm.code, 1);
      assert.match(noRealm.stderr, /realm nope does not exist/);
    });

    it('client add (secret shown once, stored as SHA-256), list, disable, enable, delete', async () => {
      const added = json(await real(['client', 'add', '--realm', 'acme', '--client-id', 'api', '--grant-type', 'client_credentials', '--grant-type', 'password', '--uma-scope', 'read', '--json']));
      assert.equal(added.client.clientId, 'api');
      const stored = (await store!.clients.get('acme', 'api'))!;
      assert.equal(stored.secretHash, createHash('sha256').update(added.secret).digest('hex'));
      assert.deepEqual(stored.grantTypes, ['client_credentials', 'password']);
      const spa = json(await cli(['client', 'add', '--realm', 'acme', '--client-id', 'spa', '--public', '--grant-type', 'authorization_code', '--redirect-uri', 'https://spa.example/cb', '--json']));
      assert.equal(spa.secret, null);
      const bad = await cli(['client', 'add', '--realm', 'acme', '--client-id', 'x', '--grant-type', 'authorization_code']);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /redirectUris is required/);
      const ids = json(await cli(['client', 'list', '--realm', 'acme', '--json'])).map((c: { clientId: string }) => c.clientId);
      assert.ok(ids.includes('api') && ids.includes('spa') && !ids.includes('x'));
      assert.ok(!JSON.stringify(ids).includes(stored.secretHash!));
      assert.equal(json(await cli(['client', 'disable', '--realm', 'acme', 'api', '--json'])).disabled, true);
      assert.equal((await store!.clients.get('acme', 'api'))!.disabled, true);
      assert.equal(json(await cli(['client', 'enable', '--realm', 'acme', 'api', '--json'])).disabled, false);
      ok(await cli(['client', 'delete', '--realm', 'acme', 'spa']));
      assert.equal(await store!.clients.get('acme', 'spa'), null);
    });

    it('keys list and rotate', async () => {
      const keys = json(await real(['keys', 'list', '--realm', 'acme', '--json'])) as Array<{ alg: string; state: string }>;
      assert.deepEqual(keys.map((k) => `${k.alg}:${k.state}`).sort(), ['ES256:active', 'RS256:active']);
      const rotated = json(await cli(['keys', 'rotate', '--realm', 'acme', '--alg', 'RS256', '--json']));
      assert.deepEqual(rotated.added.map((k: { alg: string; state: string }) => `${k.alg}:${k.state}`), ['RS256:pending']);
      assert.equal(rotated.keys.filter((k: { retiredAt: number | null }) => k.retiredAt !== null).length, 1, 'the old RS256 key retires later');
      assert.match(ok(await cli(['keys', 'list', '--realm', 'acme'])).stdout, /pending/);
    });

    it('purge deletes expired tickets, tokens and sessions in batches and leaves live ones', async () => {
      const now = Math.floor(Date.now() / 1000);
      for (let i = 0; i < 3; i++) {
        await store!.tickets.insert({ realm: 'acme', hash: `t${i}`, owner: 'o', resourceServer: 'api', permissions: [], claims: {}, createdAt: now - 100, expiresAt: now - 10 });
        await store!.sessions.insert({ realm: 'acme', hash: `s${i}`, userId: 'u', createdAt: now - 100, expiresAt: now - 10 });
        await store!.tokens.insert({ realm: 'acme', id: `k${i}`, kind: i === 0 ? 'code' : i === 1 ? 'pct' : 'refresh', clientId: 'api', subject: 'u', grantId: 'g', createdAt: now - 100, expiresAt: now - 10, revoked: false, data: {} });
      }
      await store!.tokens.insert({ realm: 'acme', id: 'live', kind: 'refresh', clientId: 'api', subject: 'u', grantId: 'g', createdAt: now, expiresAt: now + 3600, revoked: false, data: {} });
      const counts = json(await real(['purge', '--batch', '2', '--json']));
      assert.deepEqual(counts, { tickets: 3, tokens: 3, sessions: 3, keys: 0 });
      assert.ok(await store!.tokens.get('acme', 'live'));
      assert.equal(await store!.tokens.get('acme', 'k0'), null);
      assert.deepEqual(json(await cli(['purge', '--json'])), { tickets: 0, tokens: 0, sessions: 0, keys: 0 });
    });

    it('realm export writes the document with hashes only', async () => {
      const doc = json(await cli(['realm', 'export', 'acme']));
      assert.equal(doc.format, 'steward-realm');
      assert.deepEqual(doc.users.map((u: { username: string }) => u.username), ['ann']);
      const text = JSON.stringify(doc);
      assert.ok(!text.includes('ann-secret-pw'));
      assert.match(doc.users[0].passwordHash, /^\$argon2id\$/);
      assert.ok(!text.includes('privateJwk') && !text.includes('"d":'), 'no signing keys');
    });

    it('client update changes only what is given, checked as by add; unknown client or bad URI exit 1', async () => {
      const web = json(await cli(['client', 'add', '--realm', 'acme', '--client-id', 'web', '--grant-type', 'authorization_code', '--redirect-uri', 'https://web.example/cb', '--uma-scope', 'read', '--json']));
      const updated = json(await cli(['client', 'update', '--realm', 'acme', 'web', '--name', 'Web app', '--redirect-uri', 'https://web.example/callback', '--clear', 'uma-scope', '--signing-alg', 'RS256', '--no-rpt-refresh-tokens', '--json']));
      assert.deepEqual(updated, { ...web.client, name: 'Web app', redirectUris: ['https://web.example/callback'], umaScopes: [], signingAlg: 'RS256', rptRefreshTokens: false });
      const stored = (await store!.clients.get('acme', 'web'))!;
      assert.deepEqual(stored.redirectUris, ['https://web.example/callback']);
      assert.equal(stored.secretHash, createHash('sha256').update(web.secret).digest('hex'), 'the secret is untouched');
      assert.equal(json(await cli(['client', 'update', '--realm', 'acme', 'web', '--signing-alg', 'realm', '--json'])).signingAlg, null);
      assert.match(ok(await cli(['client', 'update', '--realm', 'acme', 'web', '--rpt-refresh-tokens'])).stdout, /Client web updated/);
      const bad = await cli(['client', 'update', '--realm', 'acme', 'web', '--redirect-uri', 'https://web.example/cb#fragment']);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /redirectUris.*invalid_request/);
      const emptied = await cli(['client', 'update', '--realm', 'acme', 'web', '--clear', 'redirect-uri']);
      assert.equal(emptied.code, 1);
      assert.match(emptied.stderr, /redirectUris is required with authorization_code/);
      assert.deepEqual((await store!.clients.get('acme', 'web'))!.redirectUris, ['https://web.example/callback']);
      const missing = await cli(['client', 'update', '--realm', 'acme', 'nope', '--name', 'x']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /Client nope not found/);
    });

    it('client rotate-secret: a new secret shown once; the replaced one kept for the grace (default a day, --grace 0 none)', async () => {
      const sha = (t: string) => createHash('sha256').update(t).digest('hex');
      const before = (await store!.clients.get('acme', 'api'))!;
      const now = () => Math.floor(Date.now() / 1000);
      const rotated = json(await real(['client', 'rotate-secret', '--realm', 'acme', 'api', '--json']));
      assert.match(rotated.secret, /^[A-Za-z0-9_-]{43}$/);
      assert.ok(Math.abs(rotated.previousSecretValidUntil - (now() + 86_400)) <= 5, String(rotated.previousSecretValidUntil));
      let stored = (await store!.clients.get('acme', 'api'))!;
      assert.equal(stored.secretHash, sha(rotated.secret));
      assert.deepEqual(stored.previousSecret, { hash: before.secretHash, until: rotated.previousSecretValidUntil });
      const hour = await cli(['client', 'rotate-secret', '--realm', 'acme', 'api', '--grace', '1h']);
      const secret = /Client secret \(shown once\): (\S+)/.exec(ok(hour).stdout)![1]!;
      assert.match(hour.stdout, /The previous secret works until \d{4}-/);
      stored = (await store!.clients.get('acme', 'api'))!;
      assert.equal(stored.secretHash, sha(secret));
      assert.equal(stored.previousSecret!.hash, sha(rotated.secret), 'the secret replaced before stopped');
      assert.ok(Math.abs(stored.previousSecret!.until - (now() + 3600)) <= 5);
      const none = json(await cli(['client', 'rotate-secret', '--realm', 'acme', 'api', '--grace', '0', '--json']));
      assert.equal(none.previousSecretValidUntil, null);
      assert.equal((await store!.clients.get('acme', 'api'))!.previousSecret, undefined);
      ok(await cli(['client', 'add', '--realm', 'acme', '--client-id', 'pub', '--public', '--grant-type', 'password']));
      const refused = await cli(['client', 'rotate-secret', '--realm', 'acme', 'pub']);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /public/);
      const tooLong = await cli(['client', 'rotate-secret', '--realm', 'acme', 'api', '--grace', '31d']);
      assert.equal(tooLong.code, 1);
      assert.match(tooLong.stderr, /grace period/);
    });

    it('user set-password: from stdin or generated, hashed; failed sign-ins forgotten; bad input exits 1', async () => {
      const ann = (await store!.users.findByUsername('acme', 'ann'))!;
      await store!.rateLimits.recordFailure('acme', 'ann 10.0.0.1', ann.createdAt, 0);
      await store!.rateLimits.recordFailure('acme', 'ann', ann.createdAt, 0);
      const set = json(await cli(['user', 'set-password', '--realm', 'acme', 'ann', '--password-stdin', '--json'], 'ann-new-password\n'));
      assert.equal(set.user.id, ann.id);
      assert.equal(set.password, undefined);
      assert.ok(await passwords.verify((await store!.users.get('acme', ann.id))!.passwordHash, 'ann-new-password'));
      assert.equal(await store!.rateLimits.failures('acme', 'ann 10.0.0.1'), null);
      assert.equal(await store!.rateLimits.failures('acme', 'ann'), null);
      const generated = json(await cli(['user', 'set-password', '--realm', 'acme', 'ann', '--json']));
      assert.match(generated.password, /^[A-Za-z0-9_-]{24}$/);
      assert.ok(await passwords.verify((await store!.users.get('acme', ann.id))!.passwordHash, generated.password));
      const short = await cli(['user', 'set-password', '--realm', 'acme', 'ann', '--password-stdin'], 'short');
      assert.equal(short.code, 1);
      assert.match(short.stderr, /password must be/);
      assert.ok(await passwords.verify((await store!.users.get('acme', ann.id))!.passwordHash, generated.password), 'unchanged');
      const missing = await cli(['user', 'set-password', '--realm', 'acme', 'nobody', '--password-stdin'], 'long-enough-1');
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /User nobody not found/);
    });

    it('realm update changes only the settings given, checked as at creation', async () => {
      const before = (await store!.realms.get('acme'))!;
      const updated = json(await cli(['realm', 'update', 'acme', '--display-name', 'Acme Inc', '--settings', '{"rptLifetime":120,"resharing":false}', '--json']));
      assert.deepEqual(updated, { ...before, displayName: 'Acme Inc', settings: { ...before.settings, rptLifetime: 120, resharing: false } });
      assert.equal(updated.settings.signingAlg, 'RS256', 'kept from creation');
      assert.deepEqual(await store!.realms.get('acme'), updated);
      for (const [settings, pattern] of [['{"rptLifetime":0}', /settings\.rptLifetime/], ['{"colour":"red"}', /colour/], ['{"signingAlg":"HS256"}', /signingAlg/]] as const) {
        const bad = await cli(['realm', 'update', 'acme', '--settings', settings]);
        assert.equal(bad.code, 1, settings);
        assert.match(bad.stderr, pattern);
      }
      assert.deepEqual(await store!.realms.get('acme'), updated);
      const missing = await cli(['realm', 'update', 'nope', '--display-name', 'x']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /Realm nope not found/);
    });

    it('realm delete: refused while the realm has data (naming it and --force); --force removes all of it; an empty realm goes without', async () => {
      const refused = await cli(['realm', 'delete', 'acme']);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /Realm acme still has users, clients.*steward realm delete acme --force/);
      assert.ok(await store!.realms.get('acme'));
      assert.equal((await store!.users.list('acme')).length, 1);
      const deleted = json(await real(['realm', 'delete', 'acme', '--force', '--json']));
      assert.deepEqual(deleted, { deleted: 'acme', held: ['users', 'clients'] });
      assert.equal(await store!.realms.get('acme'), null);
      assert.deepEqual(await store!.users.list('acme'), []);
      assert.deepEqual(await store!.clients.list('acme'), []);
      assert.deepEqual(await store!.keys.listAll('acme'), []);
      assert.equal(await store!.tokens.get('acme', 'live'), null);
      ok(await cli(['realm', 'create', 'empty']));
      assert.match(ok(await cli(['realm', 'delete', 'empty'])).stdout, /Deleted realm empty\./);
      assert.deepEqual(json(await cli(['realm', 'list', '--json'])), []);
      const missing = await cli(['realm', 'delete', 'acme']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /Realm acme not found/);
    });
  });
}
