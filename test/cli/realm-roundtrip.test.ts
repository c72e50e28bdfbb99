/**
 * Realm export and import on both stores: export (admin API) → import into an empty database (CLI) →
 * export again (CLI) gives the same document; imported users sign in with their old passwords; a
 * document with unknown members, dangling references or clear-text secrets is refused before anything
 * is written; importing over an existing realm is a conflict.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '@steward/core';
import { openStore } from '@steward/store';
import { passwords } from '../../packages/server/src/crypto/node-crypto.ts';
import { dialects, freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { admin, startAdminSteward } from '../admin-api/fixture.ts';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';
import { cliEnv, runInProcess } from './run.ts';

for (const dialect of dialects) {
  describe(`realm export and import (${dialect})`, () => {
    let source: TestSteward;
    let target: { url: string; drop(): Promise<void> };
    let env: Record<string, string>;
    let store: Store;
    let original: any;

    before(async () => {
      source = await startAdminSteward(dialect);
      target = await freshDatabaseUrl(dialect);
      env = cliEnv(target.url);
      store = await openStore(target.url);
      // Resources registered over the Protection API, a primary policy with conditions and a re-share.
      const pat = (await postForm(source.app, DEMO.token, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) })).json.access_token;
      const ids: string[] = [];
      for (const body of [{ name: 'Album', resource_scopes: ['view', 'print'], type: 'photo-album', 'name#fr': 'Album' }, { name: 'Diary', resource_scopes: ['read'] }]) {
        const res = await request(source.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer(pat) }, body });
        assert.equal(res.status, 201, res.body);
        ids.push(res.json._id);
      }
      const users = Object.fromEntries((await source.deps.store.users.list('demo')).map((u) => [u.username, u.id]));
      await source.deps.store.policies.create({ realm: 'demo', id: ids[0]!, owner: users.alice!, rev: 'rev-1', permissions: [{ subject: 'bob', scopes: ['view', 'print'] }, { subject: 'client:photoz-client', scopes: ['view'], conditions: { expiresAt: 4_102_444_800, clientIds: ['photoz-client'] } }], createdAt: 10, updatedAt: 11 });
      await source.deps.store.policies.create({ realm: 'demo', id: ids[0]!, owner: users.bob!, resourceOwner: users.alice!, rev: 'rev-2', permissions: [{ subject: 'chris', scopes: ['view'] }], createdAt: 12, updatedAt: 13 });
      // Groups, an organization and a resource-server configuration; a policy naming the group.
      await source.deps.store.groups.create({ realm: 'demo', id: 'g-1', name: 'friends', visible: true, createdAt: 20 });
      await source.deps.store.groups.addMember('demo', 'g-1', users.dave!);
      await source.deps.store.organizations.create({ realm: 'demo', id: 'acme', name: 'Acme', admins: [users.alice!], clients: [DEMO.client.id], createdAt: 21 });
      await source.deps.store.resourceServerConfigs.put({ realm: 'demo', resourceServer: DEMO.rs.id, scopes: { view: { description: 'See it' }, print: { description: 'Print it' } }, types: { 'photo-album': { scopes: ['view'] } }, updatedAt: 22 });
      await source.deps.store.policies.create({ realm: 'demo', id: ids[1]!, owner: users.alice!, rev: 'rev-3', permissions: [{ subject: 'group:friends', scopes: ['read'] }, { subject: 'org:acme', scopes: ['read'] }], createdAt: 14, updatedAt: 15 });
      const exported = await admin(source, 'GET', '/admin/realms/demo/export');
      assert.equal(exported.status, 200, exported.body);
      original = exported.json;
    });
    after(async () => {
      await store?.close();
      await source?.close();
      await target?.drop();
    });

    it('exports settings, users, clients, resources and policies with secrets only as hashes', () => {
      assert.equal(original.realm.id, 'demo');
      assert.ok(original.users.some((u: { username: string }) => u.username === 'alice'));
      assert.equal(original.resources.length, 2);
      assert.equal(original.policies.length, 3);
      assert.equal(original.groups.length, 1);
      assert.equal(original.organizations.length, 1);
      assert.equal(original.resourceServers.length, 1);
      const text = JSON.stringify(original);
      for (const secret of [DEMO.password, DEMO.rs.secret, DEMO.client.secret]) assert.ok(!text.includes(secret), secret);
      assert.ok(!text.includes('privateJwk'));
    });

    it('imports into an empty database and exports the same document again', async () => {
      const imported = await runInProcess(['realm', 'import', '-', '--json'], env, JSON.stringify(original));
      assert.equal(imported.code, 0, imported.stderr);
      assert.deepEqual(JSON.parse(imported.stdout), { realm: 'demo', users: original.users.length, clients: original.clients.length, resources: 2, policies: 3, groups: 1, organizations: 1 });
      const again = await runInProcess(['realm', 'export', 'demo'], env);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(JSON.parse(again.stdout), original);
      const alice = (await store.users.findByUsername('demo', 'alice'))!;
      assert.ok(await passwords.verify(alice.passwordHash, DEMO.password), 'passwords survive as their hashes');
      assert.equal((await store.keys.list('demo')).length, 2, 'the imported realm has new signing keys');
    });

    it('refuses a realm that exists', async () => {
      const res = await runInProcess(['realm', 'import', '-'], env, JSON.stringify(original));
      assert.equal(res.code, 1);
      assert.match(res.stderr, /already exists/);
    });

    it('refuses bad documents before writing anything', async () => {
      const doc = () => {
        const d = structuredClone(original);
        d.realm.id = 'copy';
        return d;
      };
      const alice = original.users.find((u: { username: string }) => u.username === 'alice');
      const cases: Array<[string, (d: any) => void, RegExp]> = [
        ['unknown top-level member', (d) => (d.roles = []), /unknown member 'roles'/],
        ['group member not in the document', (d) => d.groups[0].members.push('ghost'), /groups\[0\]\.members/],
        ['organization client not in the document', (d) => (d.organizations[0].clients = ['ghost']), /organizations\[0\]\.clients/],
        ['policy naming an unknown group', (d) => (d.policies.find((p: any) => p.rev === 'rev-3').permissions[0].subject = 'group:ghosts'), /names no user, client, group/],
        ['configuration of an unknown resource server', (d) => (d.resourceServers[0].resourceServer = 'ghost'), /resourceServers\[0\]/],
        ['unknown user member', (d) => (d.users[0].role = 'x'), /users\[0\]: unknown member 'role'/],
        ['clear-text password', (d) => (d.users[0].passwordHash = 'Ch4ng31t'), /argon2 hash/],
        ['clear-text client secret', (d) => (d.clients[0].secretHash = 'secret'), /SHA-256/],
        ['repeated username', (d) => d.users.push({ ...alice, id: 'other-id' }), /appears twice/],
        ['resource of an unknown owner', (d) => (d.resources[0].owner = 'ghost'), /resources\[0\]\.owner/],
        ['resource of an unknown resource server', (d) => (d.resources[1].resourceServer = 'ghost-rs'), /resources\[1\]\.resourceServer/],
        ['policy on an unknown resource', (d) => (d.policies[0].id = 'ghost-resource'), /policies\[0\]\.id/],
        ['policy naming an unknown user', (d) => (d.policies.find((p: any) => p.rev === 'rev-2').permissions[0].subject = 'ghost'), /names no user, client/],
        ['policy naming an unknown client', (d) => (d.policies.find((p: any) => p.rev === 'rev-1').permissions[1].subject = 'client:ghost'), /names no user, client/],
        ['unknown setting', (d) => (d.realm.settings.colour = 'red'), /realm\.settings: unknown member 'colour'/],
        ['wrong format', (d) => (d.format = 'keycloak'), /format/],
      ];
      for (const [name, mutate, pattern] of cases) {
        const d = doc();
        mutate(d);
        const res = await runInProcess(['realm', 'import', '-'], env, JSON.stringify(d));
        assert.equal(res.code, 1, name);
        assert.match(res.stderr, pattern, name);
      }
      const notJson = await runInProcess(['realm', 'import', '-'], env, '{"format":');
      assert.equal(notJson.code, 1);
      assert.match(notJson.stderr, /not JSON/);
      assert.equal(await store.realms.get('copy'), null);
      assert.deepEqual(await store.users.list('copy'), []);
      assert.deepEqual(await store.clients.list('copy'), []);
      assert.deepEqual(await store.keys.listAll('copy'), []);
      // The admin API refuses the same way.
      const d = doc();
      d.resources[0].owner = 'ghost';
      const res = await admin(source, 'POST', '/admin/realms/import', d);
      assert.equal(res.status, 400);
      assert.equal(res.json.error, 'invalid_request');
      assert.equal(await source.deps.store.realms.get('copy'), null);
      const good = await admin(source, 'POST', '/admin/realms/import', doc());
      assert.equal(good.status, 201, good.body);
      assert.equal(good.json.realm, 'copy');
    });
  });
}
