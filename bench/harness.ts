/**
 * @module bench/harness
 * What the benchmarks share: a server started alone on CPU 0 (taskset, when there are two or more
 * CPUs), stopped with SIGTERM, and autocannon load from this process (pinned to CPU 1 by the caller).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import autocannon from 'autocannon';

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
export const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0 && cpus().length > 1;

/** Re-runs the calling script pinned to CPU 1 (once), so the load generator does not share the server's core. */
export function pinLoadToCpu1(): void {
  if (!hasTaskset || process.env.BENCH_PINNED) return;
  const res = spawnSync('taskset', ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, BENCH_PINNED: '1' } });
  process.exit(res.status ?? 1);
}

export function startServer(script: string, args: string[]): Promise<ChildProcess> {
  const cmd = hasTaskset ? 'taskset' : process.execPath;
  const argv = hasTaskset ? ['-c', '0', process.execPath, script, ...args] : [script, ...args];
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export interface Load {
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** A fresh body per request (e.g. a new ticket). */
  nextBody?: () => string;
  amount?: number;
}

export async function measure(load: Load): Promise<{ rps: number; p50: number; p99: number; errors: number; non2xx: number }> {
  const result = await autocannon({
    url: load.url,
    connections: CONNECTIONS,
    ...(load.amount ? { amount: load.amount } : { duration: SECONDS }),
    method: 'POST',
    headers: load.headers,
    ...(load.nextBody ? { requests: [{ method: 'POST', setupRequest: (req: any) => ({ ...req, body: load.nextBody!() }) }] } : { body: load.body }),
  });
  const seconds = result.duration;
  // Only successful answers count: a refused request (e.g. a reused ticket) is cheaper than a grant.
  return { rps: Math.round((result.requests.total - result.non2xx) / seconds), p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
}

