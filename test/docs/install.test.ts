/**
 * docs/install.md and deploy/: the systemd unit passes `systemd-analyze verify` without a warning and
 * rates "OK" in the offline security check (skipped with a message where systemd-analyze is missing);
 * its paths are the ones install.md tells the reader to create, and install.md's excerpts are the
 * files' own lines; the example configuration loads and the proxy examples match it (upstream, host,
 * body limit, unbuffered /realms/); and the unit's own command line, run from this checkout with the
 * example configuration, migrates, creates a realm and serves it on both stores, warning at start
 * exactly when the account console is not built.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../packages/server/src/config/load.ts';
import { consoleBuilt, consoleNotBuiltWarning } from '../../packages/server/src/endpoints/account-console.ts';
import { dialects, freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { freePort } from '../helpers/steward.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const install = read('docs/install.md');
const unitText = read('deploy/steward.service');
const envText = read('deploy/steward.env');
const nginx = read('deploy/nginx.conf');
const caddy = read('deploy/Caddyfile');
const cli = read('deploy/steward-cli');

/** The unit's settings by section: `Key=value` lines, a key given twice keeping both values in order. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    assert.ok(current && eq > 0, `not a setting: ${line}`);
    const key = line.slice(0, eq);
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

/** An EnvironmentFile of `KEY=value` lines (no quotes), as deploy/steward.env is written. */
function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    assert.ok(eq > 0, `not KEY=value: ${line}`);
    const [key, value] = [line.slice(0, eq), line.slice(eq + 1)];
    assert.ok(!/^["']|\s/.test(value), `${key}: a value without quotes or spaces reads the same for systemd and sh`);
    env[key] = value;
  }
  return env;
}

/** The fenced blocks of a Markdown text in `language`. */
const blocks = (markdown: string, language: string) => [...markdown.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

/** The lines of an excerpt that are not in the file it excerpts. */
function notInFile(excerpt: string, file: string): string[] {
  const have = new Set(lines(file));
  return lines(excerpt).filter((l) => !have.has(l));
}

const unit = parseUnit(unitText);
const service = unit.get('Service')!;
const one = (key: string) => {
  const values = service.get(key);
  assert.equal(values?.length, 1, `${key} is set once`);
  return values[0]!;
};
const WORKDIR = one('WorkingDirectory');
const ENV_FILE = one('EnvironmentFile');
const USER = one('User');
const DATA_DIR = `/var/lib/${one('StateDirectory')}`;
const EXEC = one('ExecStart').split(' ');

/** systemd-analyze's version line, or null where the command does not exist. */
const systemdAnalyze = (() => {
  const run = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  return run.error ? null : run.stdout.split('\n')[0]!;
})();

/** The unit as installed at WORKDIR, written for this checkout (systemd-analyze checks that ExecStart exists). */
function unitHere(text: string, dir: string): string {
  const file = join(dir, 'steward.service');
  writeFileSync(file, text.replaceAll(WORKDIR, ROOT));
  return file;
}

function verify(text: string): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'steward-unit-'));
  try {
    const run = spawnSync('systemd-analyze', ['verify', unitHere(text, dir)], { encoding: 'utf8' });
    return { status: run.status, stderr: run.stderr.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('deploy/steward.service', () => {
  it('passes systemd-analyze verify without a warning, and the check catches a broken unit', (t) => {
    if (!systemdAnalyze) return t.skip('systemd-analyze is not installed on this machine: the unit is not verified');
    assert.deepEqual(verify(unitText), { status: 0, stderr: '' });
    assert.match(verify(unitText.replace('PrivateTmp=yes', 'PrivatTmp=yes')).stderr, /Unknown key 'PrivatTmp'/);
    assert.match(verify(unitText.replace('ProtectHome=yes', 'ProtectHome=maybe')).stderr, /ProtectHome|protect home/i);
    assert.notEqual(verify(unitText.replace('node_modules/.bin/node', 'node_modules/.bin/no-node')).status, 0);
  });

  it('rates "OK" (exposure 2.0 or less) in systemd-analyze security', (t) => {
    if (!systemdAnalyze) return t.skip('systemd-analyze is not installed on this machine: the sandbox is not rated');
    const dir = mkdtempSync(join(tmpdir(), 'steward-unit-'));
    try {
      const file = unitHere(unitText, dir);
      const run = spawnSync('systemd-analyze', ['security', '--offline=true', '--threshold=20', file], { encoding: 'utf8' });
      if (/unrecognized option|unknown option/i.test(run.stderr)) return t.skip(`${systemdAnalyze}: no offline security check`);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /Overall exposure level for steward\.service: [0-2]\.\d OK/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs as its own user in the sandbox install.md describes', () => {
    assert.equal(USER, 'steward');
    assert.equal(one('Group'), 'steward');
    for (const [key, value] of Object.entries({ NoNewPrivileges: 'yes', CapabilityBoundingSet: '', AmbientCapabilities: '', ProtectSystem: 'strict', ProtectHome: 'yes', PrivateTmp: 'yes', Restart: 'on-failure', RestartPreventExitStatus: '2', Type: 'exec' })) {
      assert.equal(one(key), value, key);
    }
    assert.deepEqual(service.get('ReadWritePaths'), [DATA_DIR], 'the data directory is the only writable path');
    assert.equal(service.get('MemoryDenyWriteExecute'), undefined, "V8's JIT needs writable code pages");
    assert.ok(Number(one('TimeoutStopSec')) > loadConfig({}).shutdownTimeout + 5, 'systemd waits longer than the drain and its last resort');
  });
});

describe('docs/install.md tells the reader to create what the unit uses', () => {
  const shell = blocks(install, 'sh').join('\n');

  it('the checkout, built, at WorkingDirectory; the user; the configuration file; the unit', () => {
    assert.ok(WORKDIR.startsWith('/') && EXEC[0]!.startsWith(`${WORKDIR}/`), 'ExecStart runs a program of the checkout');
    assert.match(shell, new RegExp(`git clone .* ${WORKDIR}\\n`));
    assert.ok(shell.indexOf(`cd ${WORKDIR}\nnpm ci`) >= 0 && shell.indexOf('npm run build') > shell.indexOf('npm ci'), 'npm ci then npm run build in the checkout');
    assert.match(shell, new RegExp(`useradd --system .*\\b${USER}\\n`));
    assert.ok(shell.includes(`${WORKDIR}/deploy/steward.env ${ENV_FILE}\n`), 'the example configuration is installed as the EnvironmentFile');
    assert.ok(shell.includes(`${WORKDIR}/deploy/steward.service /etc/systemd/system/steward.service\n`));
    assert.ok(shell.includes(`${WORKDIR}/deploy/steward-cli /usr/local/bin/steward\n`));
    assert.ok(install.includes(`\`${DATA_DIR}\``), 'install.md names the data directory');
  });

  it('the program ExecStart runs exists in this checkout after npm ci', () => {
    const [program, script, command] = EXEC;
    assert.ok(existsSync(program!.replace(WORKDIR, ROOT)), `${program} (the pinned Node.js of npm ci)`);
    assert.ok(existsSync(join(ROOT, script!)), script);
    assert.equal(command, 'serve');
    const node = spawnSync(program!.replace(WORKDIR, ROOT), ['--version'], { encoding: 'utf8' });
    assert.match(node.stdout, /^v24\./, 'the pinned Node.js is version 24');
  });

  it("its excerpts are the deploy files' own lines", () => {
    const [ini] = blocks(install, 'ini');
    assert.ok(ini, 'install.md shows the unit');
    assert.deepEqual(notInFile(ini, unitText), []);
    assert.ok(ini.includes(`ExecStart=${EXEC.join(' ')}\n`));
    assert.deepEqual(notInFile(blocks(install, 'nginx')[0] ?? '', nginx), []);
    assert.deepEqual(notInFile(blocks(install, 'caddyfile')[0] ?? '', caddy), []);
    assert.deepEqual(notInFile('proxy_buffering off;\nlisten 8443;', nginx), ['listen 8443;'], 'the check catches a line the file lacks');
  });

  it('the command-line wrapper runs the same program, as the same user, with the same configuration', () => {
    assert.ok(cli.includes(`. ${ENV_FILE}\n`));
    assert.ok(cli.includes(`cd ${WORKDIR}\n`));
    assert.ok(cli.includes(`runuser -u ${USER} -- ${EXEC[0]} ${EXEC[1]} "$@"`));
  });
});

describe('deploy/steward.env and the proxy examples', () => {
  const env = parseEnv(envText);
  const config = loadConfig(env);
  const base = new URL(config.baseUrl);
  const upstream = `${config.host}:${config.port}`;

  it('loads as a valid configuration, its SQLite database in the unit\'s data directory', () => {
    assert.equal(base.protocol, 'https:');
    assert.equal(config.demo, false);
    assert.equal(config.host, '127.0.0.1');
    assert.ok(env.STEWARD_TRUST_PROXY!.split(',').includes('127.0.0.1'), 'the proxy on this machine is trusted');
    assert.ok(config.databaseUrl.startsWith(`sqlite:${DATA_DIR}/`), config.databaseUrl);
  });

  it('nginx: proxies to Steward for the base URL\'s host, streams /realms/ unbuffered, accepts Steward\'s body limit', () => {
    assert.match(nginx, new RegExp(`upstream steward \\{\\n\\s+(#.*\\n\\s+)*server ${upstream.replaceAll('.', '\\.')};`));
    assert.match(nginx, new RegExp(`server_name ${base.hostname.replaceAll('.', '\\.')};`));
    const realms = /location \/realms\/ \{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    assert.match(realms, /proxy_buffering off;/);
    assert.match(realms, /proxy_read_timeout 1h;/);
    for (const header of ['Host $host', 'X-Forwarded-For $remote_addr', 'X-Forwarded-Proto $scheme', 'X-Forwarded-Host $host']) assert.ok(nginx.includes(`proxy_set_header ${header};`), header);
    assert.doesNotMatch(nginx.replace(/^\s*#.*$/gm, ''), /location[^{]*\{[^}]*proxy_set_header/, 'no location drops the server-level headers');
    const size = /client_max_body_size (\d+)([km]);/.exec(nginx)!;
    assert.ok(Number(size[1]) * (size[2] === 'm' ? 1 << 20 : 1 << 10) >= config.bodyLimit);
    assert.match(nginx, /location = \/metrics \{\s*return 404;/);
  });

  it('Caddy: proxies to Steward for the base URL\'s host, flushes /realms/ at once, accepts Steward\'s body limit', () => {
    assert.ok(caddy.includes(`\n${base.hostname} {\n`));
    const targets = [...caddy.matchAll(/reverse_proxy (\S+)/g)].map((m) => m[1]);
    assert.ok(targets.length >= 2 && targets.every((t) => t === upstream), targets.join(' '));
    assert.match(/handle \/realms\/\* \{([\s\S]*?)\n {4}\}/.exec(caddy)?.[1] ?? '', /flush_interval -1/);
    assert.ok(Number(/max_size (\d+)MB/.exec(caddy)![1]) * 1e6 >= config.bodyLimit);
    assert.match(caddy, /handle \/metrics \{\s*respond 404/);
  });
});

/** GET over real HTTP with a Host header of our choosing (fetch will not send one). */
function get(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the account console without a build', () => {
  it('counts as built only with its page, and the warning names the command and the directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-dist-'));
    try {
      const dist = join(dir, 'packages', 'console', 'dist') + '/';
      assert.equal(await consoleBuilt(dist), false);
      assert.match(consoleNotBuiltWarning(dist), new RegExp(`\`npm run build\` is run in ${dir}[;]`));
      mkdirSync(dist, { recursive: true });
      writeFileSync(`${dist}index.html`, '<!DOCTYPE html>');
      assert.equal(await consoleBuilt(dist), true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const dialect of dialects) {
  describe(`the unit's command line with the example configuration (${dialect})`, () => {
    const cleanup: Array<() => Promise<void> | void> = [];
    after(async () => {
      for (const step of cleanup.reverse()) await step();
    });

    it('migrates, creates a realm, serves it under the base URL and says whether the console is built', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'steward-data-'));
      cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const port = await freePort();
      const env: Record<string, string> = { ...parseEnv(envText), STEWARD_PORT: String(port) };
      if (dialect === 'sqlite') {
        env.STEWARD_DATABASE_URL = env.STEWARD_DATABASE_URL!.replace(DATA_DIR, dataDir);
      } else {
        // Several nodes, as install.md says: no migration at start, `steward migrate up` once.
        const db = await freshDatabaseUrl('postgres');
        cleanup.push(() => db.drop());
        Object.assign(env, { STEWARD_DATABASE_URL: db.url, STEWARD_MIGRATE_ON_START: '0' });
      }
      const program = EXEC[0]!.replace(WORKDIR, ROOT);
      // No NODE_OPTIONS: systemd starts the program with the EnvironmentFile's variables and nothing of npm's.
      const processEnv = { PATH: process.env.PATH ?? '', ...env };
      const steward = (...args: string[]) => spawnSync(program, [EXEC[1]!, ...args], { cwd: ROOT, env: processEnv, encoding: 'utf8' });
      if (dialect === 'postgres') {
        const refused = steward('realm', 'list');
        assert.equal(refused.status, 1, 'a command refuses a database with pending migrations');
        assert.match(refused.stderr, /migrate up/);
        assert.equal(steward('migrate', 'up').status, 0);
      }
      const created = steward('realm', 'create', 'acme');
      assert.equal(created.status, 0, created.stderr);

      const child = spawn(program, EXEC.slice(1), { cwd: ROOT, env: processEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      cleanup.push(async () => {
        if (child.exitCode === null) child.kill('SIGTERM');
        await exited;
      });

      const publicHost = new URL(env.STEWARD_BASE_URL!).host;
      let ready = { status: 0, body: '' };
      for (let i = 0; i < 150 && ready.status !== 200; i++) {
        assert.equal(child.exitCode, null, output);
        ready = await get(port, '/health/ready', publicHost).catch(() => ready);
        if (ready.status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(ready.status, 200, output);

      const discovery = await get(port, '/realms/acme/.well-known/uma2-configuration', '127.0.0.1');
      assert.equal(JSON.parse(discovery.body).issuer, `${env.STEWARD_BASE_URL}/realms/acme`, 'the issuer is the base URL, whatever the Host');
      assert.equal((await get(port, '/realms/demo', publicHost)).status, 404, 'no demo realm');

      const built = await consoleBuilt();
      const page = await get(port, '/realms/acme/account/', publicHost);
      assert.equal(page.status, built ? 200 : 503);
      if (!built) assert.match(page.body, /npm run build/);
      const warned = /account console is not built.*npm run build/.test(output);
      assert.equal(warned, !built, `a warning at start exactly when there is no build:\n${output}`);
      assert.equal(/"level":50/.test(output), false, output);

      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
    });
  });
}
