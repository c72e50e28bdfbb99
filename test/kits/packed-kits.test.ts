/**
 * The developer kits as a user gets them: `npm pack` of `@steward/rs` and `@steward/client` (their
 * `prepack` builds `dist/`), the two tarballs installed in a fresh project outside the repository, and
 * two consumers run there against a listening Steward: a JavaScript Fastify resource server
 * (`consumer/fastify-consumer.mjs`) and a TypeScript `node:http` one compiled by the repository's tsc
 * with module nodenext, strict and the dependencies' declarations checked (`consumer/http-consumer.ts`).
 * Each consumer checks that a request without a token gets a UMA 401 with a ticket and that the client
 * kit trades it for an RPT and gets through. They run on the pinned Node 24 and on the machine's own
 * Node (the kits support Node 20 and later), which is skipped with a message when there is none.
 * The notes example (examples/notes-api, Express 5) is compiled there against the installed kits and
 * plays the guide's story (examples/notes-api/test/story.ts) on each Node: its server and its client
 * script run as processes, Alice connects through Steward's sign-in page over HTTP.
 * Packaging does not depend on the store, so one dialect is enough.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm } from '../helpers/http.ts';
import { freePort, startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { UMA_GRANT_TYPE } from '@steward/core';
import { addClient, addUser, createRealm } from '../helpers/seed.ts';
import { playNotesStory, type ReadResult } from '../../examples/notes-api/test/story.ts';
import { alicePat, aliceSharesWithBob, bobId, registerResource } from '../../packages/rs/test/steward-world.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const consumerDir = fileURLToPath(new URL('./consumer/', import.meta.url));
const notesSrc = fileURLToPath(new URL('../../examples/notes-api/src/', import.meta.url));
const NOTES_API = { id: 'notes-api', secret: 'notes-api-secret' };
const NOTES_READER = { id: 'notes-reader', secret: 'notes-reader-secret' };
const NOTES_PASSWORD = 'notes-pw-0123';
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
const dialect = dialects.includes('sqlite') ? 'sqlite' : dialects[0]!;

interface Run {
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeout ?? 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(file)} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/**
 * The environment of everything run in the consumer project: the repository's own settings removed
 * (its `.npmrc` puts `--conditions=steward-source` in NODE_OPTIONS, which would resolve the kits to
 * sources the tarballs do not ship), registry and cache settings kept.
 */
function consumerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const k = key.toLowerCase();
    if (k === 'node_options' || k === 'npm_config_node_options' || k.startsWith('npm_package_') || k.startsWith('npm_lifecycle_') || k === 'init_cwd') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** The machine's own Node when it is another binary than the pinned one, or why there is none to test. */
function systemNode(): { path: string } | { skip: string } {
  const candidate = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => existsSync(p));
  if (!candidate) return { skip: 'no system Node (/usr/bin/node, /usr/local/bin/node): only the pinned Node is tested' };
  if (realpathSync(candidate) === realpathSync(process.execPath)) return { skip: `${candidate} is the pinned Node itself` };
  return { path: candidate };
}

async function versionOf(node: string): Promise<string> {
  return (await run(node, ['--version'], { cwd: root, env: consumerEnv() })).stdout.trim();
}

describe('the kits packed and installed from their tarballs', { timeout: 180_000 }, () => {
  let s: TestSteward;
  let work: string;
  let project: string;
  let tarballs: Record<'rs' | 'client', string>;
  let consumerVars: Record<string, string>;
  let bob: string;
  let resourceId: string;
  let notesPorts: number[];

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'steward-kits-'));
    project = path.join(work, 'consumer');
    const packs = path.join(work, 'tarballs');
    await mkdir(packs);
    await run('npm', ['pack', '-w', 'packages/rs', '-w', 'packages/client', '--pack-destination', packs, '--silent'], { cwd: root, timeout: 90_000 });
    const files = await readdir(packs);
    const find = (prefix: string) => {
      const file = files.find((f) => f.startsWith(prefix) && f.endsWith('.tgz'));
      assert.ok(file, `no ${prefix}*.tgz in ${files.join(', ')}`);
      return path.join(packs, file);
    };
    tarballs = { rs: find('steward-rs-'), client: find('steward-client-') };

    await mkdir(project);
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'kits-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarballs.rs, tarballs.client, 'fastify@^5', 'express@^5', '@types/express@^5', '@types/node@^20'], { cwd: project, env: consumerEnv(), timeout: 120_000 });
    await copyFile(path.join(consumerDir, 'fastify-consumer.mjs'), path.join(project, 'fastify-consumer.mjs'));
    await copyFile(path.join(consumerDir, 'http-consumer.ts'), path.join(project, 'http-consumer.ts'));

    s = await startTestSteward(dialect, { listen: true });
    const ownerPat = await alicePat(s);
    resourceId = await registerResource(s, ownerPat, 'Packed album', ['view']);
    await aliceSharesWithBob(s, resourceId, ['view']);
    const idt = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'bob', password: DEMO.password, scope: 'openid' }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
    assert.equal(idt.status, 200, idt.body);
    bob = await bobId(s);
    consumerVars = { ISSUER: s.issuer, RESOURCE_ID: resourceId, OWNER_PAT: ownerPat, ID_TOKEN: idt.json.id_token };

    // The guide's realm (no access requests: an unshared note is request_denied), one redirect URI per Node.
    notesPorts = [await freePort(), await freePort()];
    await createRealm(s.deps, { id: 'notes', settings: { accessRequests: false } });
    for (const username of ['alice', 'bob']) await addUser(s.deps, 'notes', { username, password: NOTES_PASSWORD });
    await addClient(s.deps, 'notes', { clientId: NOTES_API.id, secret: NOTES_API.secret, grantTypes: ['authorization_code', 'refresh_token'], redirectUris: notesPorts.map((p) => `http://127.0.0.1:${p}/connect/callback`) });
    await addClient(s.deps, 'notes', { clientId: NOTES_READER.id, secret: NOTES_READER.secret, grantTypes: [UMA_GRANT_TYPE, 'password'] });
  });

  after(async () => {
    await s?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('ship only dist/, README.md, LICENSE and package.json, with exports, types and engines', async () => {
    for (const [kit, tarball] of Object.entries(tarballs)) {
      const listed = (await run('tar', ['-tzf', tarball], { cwd: work })).stdout.trim().split('\n').map((f) => f.replace(/^package\//, '')).sort();
      const others = listed.filter((f) => !/^dist\/[\w-]+\.(js|d\.ts)$/.test(f) && !['README.md', 'LICENSE', 'package.json'].includes(f));
      assert.deepEqual(others, [], `${kit}: unexpected files in the tarball`);
      for (const f of ['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts']) assert.ok(listed.includes(f), `${kit}: ${f} missing from the tarball`);
      const installed = path.join(project, 'node_modules/@steward', kit);
      const pkg = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8'));
      assert.equal(pkg.type, 'module');
      assert.equal(pkg.license, 'Apache-2.0');
      assert.equal(pkg.engines.node, '>=20');
      assert.equal(pkg.exports['.'].types, './dist/index.d.ts');
      assert.equal(pkg.exports['.'].default, './dist/index.js');
      assert.match(await readFile(path.join(installed, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0, January 2004/);
      for (const f of listed.filter((name) => name.startsWith('dist/'))) {
        const text = await readFile(path.join(installed, f), 'utf8');
        assert.doesNotMatch(text, /from '\.{1,2}\/[^']*\.ts'|import\('\.{1,2}\/[^']*\.ts'\)/, `${kit}/${f} imports a .ts file`);
      }
    }
  });

  it('compile a TypeScript consumer against the declarations (module nodenext, strict, lib check on)', async () => {
    await writeFile(path.join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, skipLibCheck: false, outDir: 'out', types: ['node'] },
      files: ['http-consumer.ts'],
    }, null, 2));
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project, env: consumerEnv() });
    assert.ok(existsSync(path.join(project, 'out/http-consumer.js')));
  });

  it('compile the notes example against the installed kits (module nodenext, strict)', async () => {
    await cp(notesSrc, path.join(project, 'notes-api/src'), { recursive: true });
    await writeFile(path.join(project, 'notes-api/tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, skipLibCheck: true, rewriteRelativeImportExtensions: true, verbatimModuleSyntax: true, outDir: 'out', rootDir: 'src', types: ['node'] },
      include: ['src/*.ts'],
    }, null, 2));
    await run(process.execPath, [tsc, '-p', 'notes-api/tsconfig.json'], { cwd: project, env: consumerEnv() });
    for (const f of ['main.js', 'client.js', 'app.js']) assert.ok(existsSync(path.join(project, 'notes-api/out', f)), f);
  });

  const nodes: Array<{ name: string; node: () => { path: string } | { skip: string } }> = [
    { name: 'the pinned Node', node: () => ({ path: process.execPath }) },
    { name: 'the machine\'s own Node', node: systemNode },
  ];
  for (const { name, node } of nodes) {
    const found = node();
    if ('skip' in found) it(`run on ${name}`, { skip: found.skip }, () => {});
    else {
      const nodePath = found.path;
      it(`run the JavaScript consumer on ${name}: a Fastify RS and the client kit`, async (t) => {
        const version = await versionOf(nodePath);
        if (Number(/^v(\d+)\./.exec(version)?.[1]) < 20) return t.skip(`${nodePath} is ${version}; the kits need Node 20 or later`);
        const { stdout } = await run(nodePath, ['fastify-consumer.mjs'], { cwd: project, env: consumerEnv(consumerVars) });
        const seen = JSON.parse(stdout.trim().split('\n').pop()!);
        assert.equal(seen.node, version);
        assertChallenge(seen.bare, 'packed-js');
        assert.deepEqual(seen.granted, { status: 200, body: { granted: { resourceId, scopes: ['view'] }, subject: bob } });
        assert.equal(seen.heldRpt, true);
      });

      it(`run the compiled TypeScript consumer on ${name}: a node:http RS and the client kit`, async (t) => {
        if (!existsSync(path.join(project, 'out/http-consumer.js'))) return t.skip('the TypeScript consumer did not compile (see that test)');
        const version = await versionOf(nodePath);
        if (Number(/^v(\d+)\./.exec(version)?.[1]) < 20) return t.skip(`${nodePath} is ${version}; the kits need Node 20 or later`);
        const { stdout } = await run(nodePath, ['out/http-consumer.js'], { cwd: project, env: consumerEnv(consumerVars) });
        const seen = JSON.parse(stdout.trim().split('\n').pop()!);
        assert.equal(seen.node, version);
        assert.deepEqual(seen.direct, { ok: false, status: 401, ticket: true });
        assertChallenge(seen.bare, 'packed-ts');
        assert.deepEqual(seen.granted, { status: 200, body: { granted: { resourceId, scopes: ['view'] }, subject: bob } });
        assert.equal(seen.refused, 'invalid_client');
      });

      it(`play the notes guide on ${name}: the compiled example's server and client script`, async (t) => {
        if (!existsSync(path.join(project, 'notes-api/out/main.js'))) return t.skip('the notes example did not compile (see that test)');
        const version = await versionOf(nodePath);
        if (Number(/^v(\d+)\./.exec(version)?.[1]) < 20) return t.skip(`${nodePath} is ${version}; the kits need Node 20 or later`);
        const port = notesPorts[nodes.findIndex((n) => n.name === name)]!;
        const notesUrl = `http://127.0.0.1:${port}`;
        const server = await startProcess(nodePath, ['notes-api/out/main.js'], consumerEnv({ NOTES_PORT: String(port), NOTES_CLIENT_ID: NOTES_API.id, NOTES_CLIENT_SECRET: NOTES_API.secret, STEWARD_ISSUER: notesIssuer() }), /notes API on /);
        try {
          await playNotesStory({
            notesUrl,
            issuer: notesIssuer(),
            owner: { username: 'alice', password: NOTES_PASSWORD },
            reader: { username: 'bob', clientId: NOTES_READER.id },
            read: async (url) => readWithScript(nodePath, url),
            resourceAtSteward: async (id) => {
              const r = await s.deps.store.resources.getByServer('notes', NOTES_API.id, id);
              if (!r) return null;
              return { name: r.name ?? '', owner: (await s.deps.store.users.get('notes', r.owner))?.username ?? r.owner, scopes: r.scopes };
            },
          });
        } finally {
          server.kill('SIGTERM');
        }
      });
    }
  }

  const notesIssuer = () => `${s.baseUrl}/realms/notes`;

  /** Bob's client script (a fresh process each time): the note it read, or the UMA error it printed. */
  async function readWithScript(nodePath: string, url: string): Promise<ReadResult> {
    const env = consumerEnv({ READER_CLIENT_ID: NOTES_READER.id, READER_CLIENT_SECRET: NOTES_READER.secret, BOB_PASSWORD: NOTES_PASSWORD, STEWARD_ISSUER: notesIssuer() });
    const { stdout, stderr } = await new Promise<Run>((resolve) => {
      execFile(nodePath, ['notes-api/out/client.js', url], { cwd: project, env, timeout: 30_000 }, (_error, out, err) => resolve({ stdout: out, stderr: err }));
    });
    const last = stdout.trim().split('\n').pop();
    assert.ok(last, `the client script printed nothing: ${stderr}`);
    const seen = JSON.parse(last);
    return 'error' in seen ? { error: seen.error } : { status: seen.status, body: seen.body };
  }

  /** Starts a long-running process and waits for a line of its standard output. */
  function startProcess(file: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ReturnType<typeof spawn>> {
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const timer = setTimeout(() => (child.kill(), reject(new Error(`${args.join(' ')} did not start: ${output}`))), 20_000);
      const seen = (chunk: Buffer) => {
        output += chunk.toString();
        if (ready.test(output)) {
          clearTimeout(timer);
          resolve(child);
        }
      };
      child.stdout!.on('data', seen);
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`${args.join(' ')} exited with ${code}: ${output}`))));
    });
  }

  function assertChallenge(bare: { status: number; challenge: string | null; body: any }, realm: string): void {
    assert.equal(bare.status, 401);
    const match = /^UMA realm="([^"]*)", as_uri="([^"]*)", ticket="([^"]+)"$/.exec(bare.challenge ?? '');
    assert.ok(match, `not a UMA challenge: ${bare.challenge}`);
    assert.equal(match[1], realm);
    assert.equal(match[2], s.issuer);
    assert.equal(bare.body.error, 'unauthorized');
    assert.equal(bare.body.ticket, match[3]);
    assert.equal(bare.body.as_uri, s.issuer);
  }
});
