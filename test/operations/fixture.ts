/**
 * @module test/operations/fixture
 * Stewards for the operations tests: in process with any configuration (`startConfigured`), or as real
 * `steward serve` processes (`spawnServe`) whose output is captured and which stop on a signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSteward, loadConfig, type Config, type Steward } from '@steward/server';
import { freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { freePort, type Dialect } from '../helpers/steward.ts';

export const CLI = new URL('../../packages/server/src/cli.ts', import.meta.url).pathname;

export interface ConfiguredSteward extends Steward {
  baseUrl: string;
  databaseUrl: string;
}

/**
 * A Steward on a fresh database (or `databaseUrl`) with `overrides` applied to the configuration;
 * listening on a free port when `listen`. `close()` also drops a database it created.
 */
export async function startConfigured(
  dialect: Dialect,
  overrides: Partial<Config> = {},
  options: { listen?: boolean; databaseUrl?: string; clock?: import('@steward/core').Clock } = {},
): Promise<ConfiguredSteward> {
  const db = options.databaseUrl ? { url: options.databaseUrl, drop: async () => {} } : await freshDatabaseUrl(dialect);
  const port = options.listen ? await freePort() : 8080;
  const scheme = overrides.tlsCert ? 'https' : 'http';
  const baseUrl = overrides.baseUrl ?? `${scheme}://127.0.0.1:${port}`;
  const config = loadConfig({}, { databaseUrl: db.url, port, baseUrl, demo: true, logLevel: 'silent', ...overrides });
  const steward = await createSteward(config, { logLevel: process.env.STEWARD_TEST_LOG ?? 'silent', ...(options.clock ? { clock: options.clock } : {}) });
  if (options.listen) await steward.app.listen({ port, host: '127.0.0.1' });
  return {
    ...steward,
    baseUrl,
    databaseUrl: db.url,
    async close() {
      await steward.close();
      await db.drop();
    },
  };
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** Sends SIGTERM unless it has ended; resolves when it has. */
  stop(): Promise<number | string>;
}

/** Spawns `steward serve` with these STEWARD_* variables (PATH is kept) on a free port. */
export async function spawnServe(env: Record<string, string>, options: { port?: number } = {}): Promise<ServeProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: { PATH: process.env.PATH, STEWARD_PORT: String(port), STEWARD_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Waits until `/health/ready` answers 200 (or the process dies: then throws with its output). */
export async function waitReady(node: ServeProcess, attempts = 200): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (node.child.exitCode !== null) throw new Error(`steward serve exited with ${node.child.exitCode}: ${node.output()}`);
    try {
      if ((await fetch(`${node.url}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${node.url} did not become ready: ${node.output()}`);
}

/**
 * `steward serve` on each of `ports` with one configuration, started as a rolling start: the first node
 * migrates and seeds, then the others join. Resolves when all are ready.
 */
export async function startNodes(env: Record<string, string>, ports: number[]): Promise<ServeProcess[]> {
  const first = await spawnServe(env, { port: ports[0]! });
  await waitReady(first);
  const others = await Promise.all(ports.slice(1).map((port) => spawnServe(env, { port })));
  await Promise.all(others.map((n) => waitReady(n)));
  return [first, ...others];
}

export const basicAuth = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** POSTs a form over real HTTP; answers status, headers and parsed JSON (undefined when not JSON). */
export async function postFormTo(url: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
