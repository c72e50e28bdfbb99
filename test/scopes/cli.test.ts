/**
 * The CLI commands for resource servers, groups and organizations (`steward resource-server`, `steward group`, `steward organization`) run
 * in process against the database of a running Steward, which then serves what they wrote. Both stores.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../packages/server/src/cli/main.ts';
import type { CliIo } from '../../packages/server/src/cli/io.ts';
import { dialects, freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { DEMO, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';

for (const dialect of dialects) {
  describe(`CLI: resource servers, groups, organizations (${dialect})`, () => {
    let s: TestSteward;
    let db: { url: string; drop(): Promise<void> };
    let dir: string;

    async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
      let out = '';
      let err = '';
      const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: { STEWARD_DATABASE_URL: db.url }, readStdin: async () => '' };
      const code = await runCli(argv, io);
      return { code, out, err };
    }

    before(async () => {
      db = await freshDatabaseUrl(dialect);
      s = await startTestSteward(dialect, { databaseUrl: db.url });
      dir = await mkdtemp(path.join(os.tmpdir(), 'steward-cli-'));
    });
    after(async () => {
      await s?.close();
      await db?.drop();
      await rm(dir, { recursive: true, force: true });
    });

    it('resource-server configure publishes a configuration file that Steward then serves; bad files fail with exit 1', async () => {
      const file = path.join(dir, 'camera.json');
      const config = { scopes: { power: { description: 'On/off' }, pan: { description: 'Move' } }, types: { camera: { scopes: ['power', 'pan'] } } };
      await writeFile(file, JSON.stringify(config));
      const done = await cli('resource-server', 'configure', '--realm', 'demo', '--client', DEMO.rs.id, '--file', file);
      assert.equal(done.code, 0, done.err);
      assert.deepEqual(JSON.parse(done.out), config);
      assert.deepEqual((await request(s.app, 'GET', `/realms/demo/authz/resource-servers/${DEMO.rs.id}/configuration`)).json, config);
      assert.deepEqual(JSON.parse((await cli('resource-server', 'show', '--realm', 'demo', '--client', DEMO.rs.id)).out), config);

      await writeFile(file, JSON.stringify({ scopes: {}, types: { camera: { scopes: ['zoom'] } } }));
      const bad = await cli('resource-server', 'configure', '--realm', 'demo', '--client', DEMO.rs.id, '--file', file);
      assert.equal(bad.code, 1);
      assert.match(bad.err, /Type 'camera' names template scope 'zoom'/);
      assert.equal((await cli('resource-server', 'configure', '--realm', 'demo', '--client', DEMO.rs.id)).code, 2);
      assert.equal((await cli('resource-server', 'remove', '--realm', 'demo', '--client', DEMO.rs.id)).code, 0);
      assert.equal((await request(s.app, 'GET', `/realms/demo/authz/resource-servers/${DEMO.rs.id}/configuration`)).status, 404);
    });

    it('group create, add-member, members, remove-member, list, delete; a username as group name fails', async () => {
      assert.equal((await cli('group', 'create', '--realm', 'demo', '--name', 'nurses', '--visible')).code, 0);
      assert.equal((await cli('group', 'add-member', '--realm', 'demo', '--group', 'nurses', '--user', 'bob')).code, 0);
      assert.equal((await cli('group', 'add-member', '--realm', 'demo', '--group', 'nurses', '--user', 'chris')).code, 0);
      assert.deepEqual(JSON.parse((await cli('group', 'members', '--realm', 'demo', '--group', 'nurses', '--json')).out), ['bob', 'chris']);
      const bob = await s.deps.store.users.findByUsername('demo', 'bob');
      assert.deepEqual((await s.deps.store.groups.groupsOf('demo', bob!.id)).map((g) => g.name), ['nurses']);
      assert.equal((await cli('group', 'remove-member', '--realm', 'demo', '--group', 'nurses', '--user', 'bob')).code, 0);
      assert.match((await cli('group', 'list', '--realm', 'demo')).out, /nurses\s+group:nurses\s+true/);
      const bad = await cli('group', 'create', '--realm', 'demo', '--name', 'alice');
      assert.equal(bad.code, 1);
      assert.match(bad.err, /Group name 'alice' is the username of a user/);
      assert.equal((await cli('group', 'delete', '--realm', 'demo', '--group', 'nurses')).code, 0);
      assert.equal((await cli('group', 'delete', '--realm', 'demo', '--group', 'nurses')).code, 1);
    });

    it('organization create with admins and clients, show, add-client conflict, delete', async () => {
      const made = await cli('organization', 'create', '--realm', 'demo', '--id', 'acme', '--name', 'Acme', '--admin', 'chris', '--client', DEMO.rs.id);
      assert.equal(made.code, 0, made.err);
      const chris = await s.deps.store.users.findByUsername('demo', 'chris');
      assert.deepEqual(JSON.parse(made.out).admins, [chris!.id]);
      assert.equal(JSON.parse((await cli('organization', 'show', '--realm', 'demo', '--id', 'acme')).out).owner, 'org:acme');
      assert.equal((await cli('organization', 'create', '--realm', 'demo', '--id', 'beta')).code, 0);
      const clash = await cli('organization', 'add-client', '--realm', 'demo', '--id', 'beta', '--client', DEMO.rs.id);
      assert.equal(clash.code, 1);
      assert.match(clash.err, /already acts for another organization/);
      assert.equal((await cli('organization', 'add-admin', '--realm', 'demo', '--id', 'beta', '--user', 'dave')).code, 0);
      assert.match((await cli('organization', 'list', '--realm', 'demo')).out, /acme\s+Acme\s+org:acme/);
      assert.equal((await cli('organization', 'delete', '--realm', 'demo', '--id', 'beta')).code, 0);
      assert.equal((await cli('organization', 'show', '--realm', 'demo', '--id', 'beta')).code, 1);
    });
  });
}
