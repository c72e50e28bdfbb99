/**
 * @module bench/soak
 * Soak: Steward (SQLite, the bench realm) under a steady load at a fraction of its measured maximum
 * for several minutes, reported window by window: the rate achieved, p50/p99 latency, failures and the
 * server's resident memory. Each unit of load is the UMA flow as deployed: the resource server asks a
 * permission ticket (PAT), the client redeems it with the requesting party's ID token (a user grant,
 * three token records written). A flat p99 and a flat anonymous memory (heap and caches) over the windows
 * is the expected outcome; the file-backed part grows with the database SQLite maps.
 *
 *   npm run bench:soak                                       # 10 minutes at 70 % of the maximum
 *   BENCH_SOAK_MINUTES=2 BENCH_SOAK_FRACTION=0.5 npm run bench:soak
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { CONNECTIONS, hasTaskset, pinLoadToCpu1, startServer, stop } from './harness.ts';
import { setupStewardScenario } from './steward-scenario.ts';

const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
const FRACTION = Number(process.env.BENCH_SOAK_FRACTION ?? 0.7);
const WINDOW_SECONDS = Number(process.env.BENCH_SOAK_WINDOW ?? 30);
const FORM = 'application/x-www-form-urlencoded';

pinLoadToCpu1();

interface Window {
  minute: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  rssMb: number;
  anonMb: number;
  fileMb: number;
}

/** Resident memory of the server in MB: all of it, the anonymous part (heap, caches) and the file-backed part (SQLite's memory-mapped database). */
function memory(pid: number): { rss: number; anon: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n');
  const mb = (key: string) => Math.round(Number(status.find((l) => l.startsWith(`${key}:`))?.split(/\s+/)[1] ?? 0) / 1024);
  return { rss: mb('VmRSS'), anon: mb('RssAnon'), file: mb('RssFile') };
}

const port = 3402;
const dir = mkdtempSync(join(tmpdir(), 'steward-soak-'));
const child = await startServer(new URL('./serve-steward.ts', import.meta.url).pathname, [String(port), join(dir, 'soak.db')]);
try {
  const s = await setupStewardScenario(`http://127.0.0.1:${port}`, 1);
  /** One flow per two requests: a ticket from the permission endpoint, then the grant that redeems it. */
  const flow = async (seconds: number, overallRate?: number) => {
    // The PAT and the ID token last five minutes: fresh ones for every window, as a resource server and a client would get.
    await s.refresh();
    return autocannon({
      url: s.permissionUrl,
      connections: CONNECTIONS,
      duration: seconds,
      ...(overallRate ? { overallRate } : {}),
      requests: [
        {
          method: 'POST',
          path: new URL(s.permissionUrl).pathname,
          headers: { authorization: `Bearer ${s.pat}`, 'content-type': 'application/json' },
          body: s.permissionBody,
          onResponse: (_status: number, body: string, context: object) => {
            (context as { ticket?: string }).ticket = JSON.parse(body).ticket;
          },
        },
        {
          method: 'POST',
          path: new URL(s.tokenUrl).pathname,
          headers: { authorization: s.clientAuth, 'content-type': FORM },
          setupRequest: (req: any, context: object) => ({ ...req, body: s.grantBody(String((context as { ticket?: string }).ticket)) }),
        },
      ],
    });
  };
  const max = await flow(10);
  const maxRps = (max.requests.total - max.non2xx) / max.duration;
  const rate = Math.round(maxRps * FRACTION);
  process.stdout.write(`maximum: ${Math.round(maxRps)} req/s (tickets and grants alike, p99 ${max.latency.p99} ms); soak at ${rate} req/s for ${MINUTES} min\n`);
  const windows: Window[] = [];
  const count = Math.max(1, Math.round((MINUTES * 60) / WINDOW_SECONDS));
  for (let i = 0; i < count; i++) {
    const r = await flow(WINDOW_SECONDS, rate);
    const m = memory(child.pid!);
    const w = { minute: ((i + 1) * WINDOW_SECONDS) / 60, rps: Math.round((r.requests.total - r.non2xx) / r.duration), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, rssMb: m.rss, anonMb: m.anon, fileMb: m.file };
    windows.push(w);
    process.stdout.write(`${w.minute.toFixed(1)} min: ${w.rps} req/s, p50 ${w.p50} ms, p99 ${w.p99} ms, ${w.non2xx} non-2xx, ${w.errors} errors, RSS ${w.rssMb} MB (anonymous ${w.anonMb}, file ${w.fileMb})\n`);
  }
  const lines = [
    '',
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${CONNECTIONS} connections${hasTaskset ? ', server on CPU 0, load on CPU 1' : ''}; maximum ${Math.round(maxRps)} req/s, soak at ${rate} req/s (${Math.round(FRACTION * 100)} %)`,
    '',
    '| minute | req/s | p50 | p99 | non-2xx | errors | RSS | of which anonymous (heap, caches) | of which file (mapped database) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...windows.map((w) => `| ${w.minute.toFixed(1)} | ${w.rps} | ${w.p50} ms | ${w.p99} ms | ${w.non2xx} | ${w.errors} | ${w.rssMb} MB | ${w.anonMb} MB | ${w.fileMb} MB |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/soak.json', import.meta.url), JSON.stringify({ at: new Date().toISOString(), node: process.version, maxRps, rate, windows }, null, 2));
} finally {
  await stop(child);
}
