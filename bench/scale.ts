/**
 * @module bench/scale
 * Steward at scale: seeds the `bench` realm of a fresh database to a given size (bench/scale/seed.ts),
 * starts the real server on it (alone on CPU 0, as the other benchmarks do) and times over HTTP what
 * owners touch: their lists (first page, and a deep page of the audit history), a policy write and a
 * share deletion, shared-with-me; then the user UMA grant's throughput against a fresh realm, its p99 at
 * a steady rate idle and while owners list and write and `steward purge` runs, and that purge's time.
 * Prints a Markdown table with each row's target.
 *
 *   npm run bench:scale                          # quick: 1/100 of the full size, SQLite
 *   BENCH_SCALE=full npm run bench:scale         # 100k users, 1M resources, 10M policy subjects, …
 *   BENCH_SCALE=0.1 BENCH_STORE=postgres npm run bench:scale
 *   BENCH_REQUESTS=100 BENCH_SECONDS=10 BENCH_GRANT_RATE=200 BENCH_OWNER_RATE=20 npm run bench:scale
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { connect } from '../packages/store/src/connect.ts';
import { freshDatabaseUrl } from '../packages/store/test/databases.ts';
import { CONNECTIONS, hasTaskset, measure, pinLoadToCpu1, SECONDS, startServer, stop } from './harness.ts';
import { call, signIn, timeCalls, type Timing } from './scale/http.ts';
import { ownerLists, ownerWrites, protectionLists, type MeasuredRequest } from './scale/requests.ts';
import { seedRealm } from './scale/seed.ts';
import { scaleFactor, scaleSize } from './scale/size.ts';
import { setupStewardScenario } from './steward-scenario.ts';

const STORE = process.env.BENCH_STORE === 'postgres' ? 'postgres' : 'sqlite';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50);
const GRANT_RATE = Number(process.env.BENCH_GRANT_RATE ?? 200);
const OWNER_RATE = Number(process.env.BENCH_OWNER_RATE ?? 20);
const TICKETS_PER_SECOND = Number(process.env.BENCH_TICKETS_PER_SECOND ?? 8_000);
const PASSWORD = 'owner-password';
const FORM = 'application/x-www-form-urlencoded';
// The benchmark's server (the `bench` realm, created on first start), without the periodic purge: only
// the benchmark's own `steward purge` deletes expired rows.
const SERVE = new URL('./serve-steward.ts', import.meta.url).pathname;
process.env.BENCH_NO_PURGE = '1';
const CLI = new URL('../packages/server/src/cli.ts', import.meta.url).pathname;

pinLoadToCpu1();
const log = (line: string) => process.stderr.write(`${line}\n`);

/** A fresh database: an SQLite file in a new directory, or a new PostgreSQL database. */
async function freshDatabase(): Promise<{ url: string; arg: string; drop(): Promise<void> }> {
  if (STORE === 'postgres') {
    const db = await freshDatabaseUrl('postgres');
    return { url: db.url, arg: db.url, drop: db.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), 'steward-scale-'));
  const file = join(dir, 'scale.db');
  return { url: `sqlite:${file}`, arg: file, drop: () => rm(dir, { recursive: true, force: true }) };
}

/** `steward purge --json` in its own process against the database; resolves with its counts and wall time. */
function runPurge(url: string): Promise<{ seconds: number; counts: Record<string, number> }> {
  const started = performance.now();
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('STEWARD_') || k.startsWith('STEWARD_TEST_')));
  const child = spawn(process.execPath, [CLI, 'purge', '--json'], { env: { ...env, STEWARD_DATABASE_URL: url, STEWARD_LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve({ seconds: (performance.now() - started) / 1000, counts: JSON.parse(out) }) : reject(new Error(`steward purge exited with ${code}: ${out}`)))),
  );
}

/**
 * An access token of the user with her password, through the resource server's client: with scope
 * uma_protection (a PAT), or with scope sharing (her own token, for her tickets on that resource server).
 */
async function userToken(username: string, kind: 'pat' | 'sharing'): Promise<string> {
  const client = 'rs:rs-secret-rs-secret-rs-secret';
  const res = await fetch(`${base}/realms/bench/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(client).toString('base64')}`, 'content-type': FORM },
    body: new URLSearchParams({ grant_type: 'password', username, password: PASSWORD, scope: kind === 'pat' ? 'uma_protection' : 'sharing' }).toString(),
  });
  const body = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || !body.access_token) throw new Error(`${kind} token of ${username}: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** User grants at a steady rate for SECONDS: their p99 (ms) and how many failed. */
async function grantsAtRate(s: Awaited<ReturnType<typeof setupStewardScenario>>): Promise<{ p99: number; p50: number; rps: number; non2xx: number }> {
  const r = await autocannon({
    url: s.tokenUrl,
    connections: Math.min(CONNECTIONS, 20),
    duration: SECONDS,
    overallRate: GRANT_RATE,
    method: 'POST',
    headers: { authorization: s.clientAuth, 'content-type': FORM },
    requests: [{ method: 'POST', setupRequest: (req: any) => ({ ...req, body: s.nextGrantBody() }) }],
  });
  return { p50: r.latency.p50, p99: r.latency.p99, rps: Math.round((r.requests.total - r.non2xx) / r.duration), non2xx: r.non2xx + r.errors };
}

interface Row {
  what: string;
  p50: string;
  p99: string;
  target: string;
  met: boolean | null;
}
const rows: Row[] = [];
const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;
const timingRow = (m: MeasuredRequest, t: Timing) => rows.push({ what: m.label, p50: ms(t.p50), p99: ms(t.p99), target: m.target.label, met: m.target.met(t.p50) });

const size = scaleSize(scaleFactor(process.env.BENCH_SCALE));
const port = 3501;
const base = `http://127.0.0.1:${port}`;
const db = await freshDatabase();
const freshRealmDb = await freshDatabase();
let seededInfo = '';
let seededGrantRps = 0;
try {
  // 1. The realm with its clients and users, created by the server itself; then the bulk rows.
  await stop(await startServer(SERVE, [String(port), db.arg]));
  log(`seeding ${STORE} at ${size.factor}× the full size…`);
  const conn = connect(db.url, { poolSize: 1 });
  const seeded = await seedRealm(conn.db, STORE, size, log);
  await conn.db.destroy();
  seededInfo = Object.entries(seeded.rows).map(([t, n]) => `${t} ${n.toLocaleString('en')}`).join(', ');
  log(`seeded in ${seeded.seconds.toFixed(1)} s: ${seededInfo}`);

  // 2. The owners' requests, one after another, on the server started on the seeded database.
  const server = await startServer(SERVE, [String(port), db.arg]);
  try {
    const sessions = new Map<string, string>();
    const sso = async (user: string) => sessions.get(user) ?? (sessions.set(user, await signIn(base, 'bench', user, PASSWORD)), sessions.get(user)!);
    const pat = await userToken(seeded.biggestOwner, 'pat');
    const measured = [...ownerLists(seeded), ...protectionLists(seeded, pat, await userToken(seeded.biggestOwner, 'sharing')), ...ownerWrites(seeded, REQUESTS, pat)];
    for (const m of measured) {
      log(`timing: ${m.label}`);
      const session = await sso(m.as);
      await m.prepare?.(async (path) => (await fetch(`${base}${path}`, { headers: { iplanetdirectorypro: session } })).json());
      timingRow(m, await timeCalls(base, session, REQUESTS, (i) => m.call(i)));
    }

    // 3. The user grant in the seeded realm (the party is in ten groups among the realm's memberships).
    const wanted = SECONDS * TICKETS_PER_SECOND + 2 * SECONDS * GRANT_RATE * 2;
    log('grant throughput in the seeded realm…');
    const s = await setupStewardScenario(base, wanted);
    const seededGrants = await measure({ url: s.tokenUrl, headers: { authorization: s.clientAuth, 'content-type': FORM }, nextBody: s.nextGrantBody });

    // 4. Grants at a steady rate, idle, then while owners list and write and `steward purge` runs.
    log(`grants at ${GRANT_RATE} req/s, idle…`);
    const idle = await grantsAtRate(s);
    log(`grants at ${GRANT_RATE} req/s while owners list and write and steward purge runs…`);
    const purge = runPurge(db.url);
    let loading = true;
    let ownerCalls = 0;
    const lists = ownerLists(seeded);
    const [put] = ownerWrites(seeded, REQUESTS);
    // Owners at OWNER_RATE requests a second (lists, and every fourth a policy write), one at a time.
    const ownerLoad = (async () => {
      for (let i = 0; loading; i++) {
        const m = i % 4 === 3 ? put! : lists[i % lists.length]!;
        const started = performance.now();
        await call(base, await sso(m.as), m.call(i));
        ownerCalls++;
        await sleep(Math.max(0, 1000 / OWNER_RATE - (performance.now() - started)));
      }
    })();
    const loaded = await grantsAtRate(s);
    loading = false;
    await ownerLoad;
    const purged = await purge;

    seededGrantRps = seededGrants.rps;
    rows.push({ what: 'user UMA grant throughput', p50: ms(seededGrants.p50), p99: ms(seededGrants.p99), target: '≥ 0.9× the fresh realm', met: null });
    rows.push({ what: `user UMA grant at ${GRANT_RATE} req/s, idle (${idle.rps} req/s achieved${idle.non2xx ? `, ${idle.non2xx} failed` : ''})`, p50: ms(idle.p50), p99: ms(idle.p99), target: '—', met: null });
    const loadedMet = loaded.p99 <= 1.5 * idle.p99;
    rows.push({
      what: `user UMA grant at ${GRANT_RATE} req/s, while owners listed and wrote policies (${ownerCalls} requests at up to ${OWNER_RATE}/s) and steward purge ran (${loaded.rps} req/s achieved${loaded.non2xx ? `, ${loaded.non2xx} failed` : ''})`,
      p50: ms(loaded.p50),
      p99: `${ms(loaded.p99)} (${(loaded.p99 / Math.max(idle.p99, 0.001)).toFixed(2)}× idle)`,
      target: 'p99 ≤ 1.5× idle',
      met: loadedMet,
    });
    rows.push({ what: `steward purge of the expired rows (${Object.entries(purged.counts).map(([k, n]) => `${n.toLocaleString('en')} ${k}`).join(', ')}; under the load above)`, p50: `${purged.seconds.toFixed(1)} s`, p99: '', target: '—', met: null });
    if (purged.counts.tokens !== size.expiredTokens) log(`WARNING: purge removed ${purged.counts.tokens} tokens, ${size.expiredTokens} had expired`);
  } finally {
    await stop(server);
  }

  // 5. The same grant in a fresh realm, on a fresh database.
  log('grant throughput in a fresh realm…');
  const freshServer = await startServer(SERVE, [String(port), freshRealmDb.arg]);
  try {
    const s = await setupStewardScenario(base, SECONDS * TICKETS_PER_SECOND);
    const fresh = await measure({ url: s.tokenUrl, headers: { authorization: s.clientAuth, 'content-type': FORM }, nextBody: s.nextGrantBody });
    const seededRow = rows.find((r) => r.what === 'user UMA grant throughput')!;
    const ratio = seededGrantRps / fresh.rps;
    seededRow.what = `user UMA grant throughput: seeded realm ${seededGrantRps.toLocaleString('en')} req/s / fresh realm ${fresh.rps.toLocaleString('en')} req/s = **${ratio.toFixed(2)}×** (p50, p99: seeded realm)`;
    seededRow.met = ratio >= 0.9;
  } finally {
    await stop(freshServer);
  }
} finally {
  await db.drop();
  await freshRealmDb.drop();
}

const lines = [
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Steward on ${STORE}${hasTaskset ? ', server on CPU 0, load on CPU 1' : ''}; scale ${size.factor}× (${seededInfo}); ${REQUESTS} requests per row, one at a time; grants: ${CONNECTIONS} connections for ${SECONDS} s`,
  '',
  '| what | p50 | p99 | target | met |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.what} | ${r.p50} | ${r.p99} | ${r.target} | ${r.met === null ? '' : r.met ? 'yes' : '**no**'} |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
