/**
 * `--help` on every command and subcommand, exit codes 0/1/2, configuration errors naming the key;
 * the real process for the global help and for one command group.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../packages/server/src/cli/commands.ts';
import { cliEnv, runInProcess, spawnCli } from './run.ts';

const env = cliEnv('sqlite::memory:');
const SUBCOMMANDS: Record<string, string[]> = {
  migrate: ['up', 'status'],
  realm: ['create', 'list', 'update', 'delete', 'export', 'import'],
  user: ['add', 'list', 'set-password', 'disable', 'enable', 'delete'],
  client: ['add', 'list', 'update', 'rotate-secret', 'disable', 'enable', 'delete'],
  keys: ['list', 'rotate'],
};

describe('steward --help', () => {
  it('the real process lists every command group and exits 0; no command exits 2', async () => {
    const res = await spawnCli(['--help'], env);
    assert.equal(res.code, 0, res.stderr);
    for (const c of COMMANDS) assert.match(res.stdout, new RegExp(`^  ${c.name} +\\S`, 'm'), c.name);
    const none = await spawnCli([], env);
    assert.equal(none.code, 2);
    assert.match(none.stdout, /Usage: steward/);
  });

  it('every command group answers --help with its usage and exit 0', async () => {
    for (const c of COMMANDS) {
      const res = await runInProcess([c.name, '--help'], env);
      assert.equal(res.code, 0, `${c.name}: ${res.stderr}`);
      assert.match(res.stdout, /Usage: steward/, c.name);
    }
  });

  it('every subcommand of ours answers --help with exit 0 and touches no database', async () => {
    const broken = cliEnv('postgres://nobody@127.0.0.1:1/none');
    for (const [group, subs] of Object.entries(SUBCOMMANDS)) {
      for (const sub of subs) {
        const res = await runInProcess([group, sub, '--help'], broken);
        assert.equal(res.code, 0, `${group} ${sub}: ${res.stderr}`);
        assert.match(res.stdout, new RegExp(`\\b${sub}\\b`), `${group} ${sub}`);
      }
    }
    for (const single of ['purge', 'backup', 'restore', 'serve']) assert.equal((await runInProcess([single, '--help'], broken)).code, 0, single);
  });

  it('usage errors exit 2 and say what is wrong', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /unknown command "frobnicate"/],
      [['user', 'frobnicate'], /unknown subcommand "frobnicate"/],
      [['user', 'list', '--realm', 'r', '--colour'], /--colour/],
      [['user', 'add', '--realm', 'r'], /--username is required/],
      [['user', 'disable', '--realm', 'r'], /USERNAME is required/],
      [['client', 'add', '--realm', 'r', '--client-id', 'c'], /--grant-type is required/],
      [['keys', 'rotate', '--realm', 'r', '--alg', 'HS256'], /--alg must be/],
      [['purge', '--batch', '0'], /--batch must be/],
      [['realm', 'create'], /ID is required/],
      [['realm', 'list', 'extra'], /unexpected argument "extra"/],
      [['realm', 'update', 'r'], /nothing to change/],
      [['realm', 'update', 'r', '--settings', '{'], /--settings must be a JSON object/],
      [['realm', 'delete'], /ID is required/],
      [['user', 'set-password', '--realm', 'r'], /USERNAME is required/],
      [['client', 'update', '--realm', 'r', 'c'], /nothing to change/],
      [['client', 'update', '--realm', 'r', 'c', '--clear', 'grant-type'], /--clear takes/],
      [['client', 'update', '--realm', 'r', 'c', '--clear', 'uma-scope', '--uma-scope', 's'], /contradict/],
      [['client', 'update', '--realm', 'r', 'c', '--rpt-refresh-tokens', '--no-rpt-refresh-tokens'], /contradict/],
      [['client', 'rotate-secret', '--realm', 'r', 'c', '--grace', '1w'], /--grace must be/],
      [['client', 'rotate-secret', '--realm', 'r', 'c', '--grace', '-5'], /--grace/],
      [['backup'], /FILE is required/],
    ];
    for (const [args, pattern] of cases) {
      const res = await runInProcess(args, env);
      assert.equal(res.code, 2, `${args.join(' ')}: ${res.stdout}${res.stderr}`);
      assert.match(res.stderr, pattern, args.join(' '));
    }
  });

  it('a configuration error exits 2 naming the key', async () => {
    const bad = await runInProcess(['realm', 'list'], { ...env, STEWARD_DATABASE_URL: 'mysql://x' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /STEWARD_DATABASE_URL/);
    const unknown = await runInProcess(['realm', 'list'], { ...env, STEWARD_DATABSE_URL: 'sqlite::memory:' });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /STEWARD_DATABSE_URL/);
  });
});
