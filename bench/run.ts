/**
 * @module bench/run
 * Side-by-side benchmark, one run, same machine: Steward's RPT issuance, permission ticket creation
 * and RPT introspection against oidc-provider's client_credentials and introspection. Each server
 * runs alone on CPU 0 (taskset, when available); this process generates load from CPU 1. The two
 * servers alternate, round after round; the median ratio per scenario is compared with
 * bench/baseline.json, and a drop of more than 15 % is named in a warning. Prints Markdown tables and
 * writes bench/results/latest.json.
 *
 *   npm run bench                                   # 3 rounds of 10 s per scenario
 *   BENCH_SECONDS=5 BENCH_ROUNDS=1 npm run bench    # a quick look
 *   BENCH_BASELINE_REASON="why" npm run bench       # also record these medians as the new baseline
 *   BENCH_STORE=postgres npm run bench              # Steward on a fresh PostgreSQL database (STEWARD_TEST_POSTGRES_URL)
 *   BENCH_ALG=RS256 npm run bench                   # the realm signs RS256 (as the demo realm does)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONNECTIONS, hasTaskset, measure, pinLoadToCpu1, SECONDS, startServer, stop } from './harness.ts';
import { compareWithBaseline, median, RATIOS, type RoundFigures } from './ratios.ts';
import { setupStewardScenario } from './steward-scenario.ts';
import { freshDatabaseUrl } from '../packages/store/test/databases.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Fresh tickets prepared per second of a grant scenario. */
const TICKETS_PER_SECOND = Number(process.env.BENCH_TICKETS_PER_SECOND ?? 12_000);
/** Steward's store: `sqlite` (a fresh file, the default) or `postgres` (a fresh database on the test server). */
const STORE = process.env.BENCH_STORE === 'postgres' ? 'postgres' : 'sqlite';
const ALG = process.env.BENCH_ALG === 'RS256' ? 'RS256' : 'ES256';

pinLoadToCpu1();

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const FORM = 'application/x-www-form-urlencoded';

async function peerRound(): Promise<Record<string, Awaited<ReturnType<typeof measure>>>> {
  const port = 3400;
  const child = await startServer(new URL('./peer-oidc-provider.ts', import.meta.url).pathname, [String(port)]);
  try {
    const auth = basic('bench', 'bench-secret-bench-secret-bench-secret');
    const tokenUrl = `http://127.0.0.1:${port}/token`;
    const tok: any = await (await fetch(tokenUrl, { method: 'POST', headers: { authorization: auth, 'content-type': FORM }, body: 'grant_type=client_credentials&scope=api%3Aread' })).json();
    const clientCredentials = await measure({ url: tokenUrl, headers: { authorization: auth, 'content-type': FORM }, body: 'grant_type=client_credentials&scope=api%3Aread' });
    const introspection = await measure({ url: `${tokenUrl}/introspection`, headers: { authorization: auth, 'content-type': FORM }, body: `token=${tok.access_token}` });
    return { clientCredentials, introspection };
  } finally {
    await stop(child);
  }
}

async function stewardRound(): Promise<Record<string, Awaited<ReturnType<typeof measure>>>> {
  const port = 3401;
  const db = STORE === 'postgres' ? await freshDatabaseUrl('postgres') : { url: join(mkdtempSync(join(tmpdir(), 'steward-bench-')), 'bench.db'), drop: async () => {} };
  const child = await startServer(new URL('./serve-steward.ts', import.meta.url).pathname, [String(port), db.url]);
  try {
    // One fresh ticket per grant: enough for 12,000 grants a second (a run that uses one twice says so in non-2xx).
    const s = await setupStewardScenario(`http://127.0.0.1:${port}`, SECONDS * TICKETS_PER_SECOND);
    const rptIssuance = await measure({ url: s.tokenUrl, headers: { authorization: s.clientAuth, 'content-type': FORM }, nextBody: s.nextGrantBody });
    const rptForClient = await measure({ url: s.tokenUrl, headers: { authorization: s.clientAuth, 'content-type': FORM }, nextBody: s.nextClientGrantBody });
    const introspection = await measure({ url: s.introspectUrl, headers: { authorization: `Bearer ${s.pat}`, 'content-type': FORM }, body: `token=${await s.oneRpt()}` });
    const permission = await measure({ url: s.permissionUrl, headers: { authorization: `Bearer ${s.pat}`, 'content-type': 'application/json' }, body: s.permissionBody });
    return { rptIssuance, rptForClient, introspection, permission };
  } finally {
    await stop(child);
    await db.drop();
  }
}

const rounds: RoundFigures[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const peer = await peerRound();
  const steward = await stewardRound();
  rounds.push({ peer, steward });
}

const cell = (m: Awaited<ReturnType<typeof measure>>) => `${m.rps} req/s (p99 ${m.p99} ms${m.non2xx ? `, ${m.non2xx} non-2xx` : ''})`;
const lines = [
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Steward on ${STORE} signing ${ALG}, ${CONNECTIONS} connections, ${SECONDS} s per scenario, ${ROUNDS} rounds${hasTaskset ? ', server on CPU 0, load on CPU 1' : ''}`,
  '',
  '| round | oidc-provider client_credentials | oidc-provider introspection | ' + RATIOS.map((r) => `Steward ${r.label} | ratio`).join(' | ') + ' |',
  '|---|---|---|' + RATIOS.map(() => '---|---|').join('') ,
];
rounds.forEach((r, i) => {
  const cells = RATIOS.map((ratio) => `${cell(r.steward[ratio.steward]!)} | **${ratio.of(r).toFixed(2)}×**`);
  lines.push(`| ${i + 1} | ${cell(r.peer.clientCredentials!)} | ${cell(r.peer.introspection!)} | ${cells.join(' | ')} |`);
});
const medians = Object.fromEntries(RATIOS.map((ratio) => [ratio.key, median(rounds.map((r) => ratio.of(r)))]));
const baselineUrl = new URL('./baseline.json', import.meta.url);
const baseline = existsSync(baselineUrl) ? JSON.parse(readFileSync(baselineUrl, 'utf8')) : null;
// The baseline is the default configuration's (SQLite, ES256): other stores and algorithms are reported, not compared.
const defaultSetup = STORE === 'sqlite' && ALG === 'ES256';
const comparison = compareWithBaseline(medians, defaultSetup ? (baseline?.ratios ?? null) : null);
lines.push('', '| scenario | median ratio | baseline | change | goal |', '|---|---|---|---|---|');
for (const c of comparison) lines.push(`| ${c.label} | **${c.median.toFixed(2)}×** | ${c.baseline === null ? '—' : `${c.baseline.toFixed(2)}×`} | ${c.change === null ? '—' : `${c.change > 0 ? '+' : ''}${(c.change * 100).toFixed(0)} %`} | ≥ ${c.goal.toFixed(1)}× |`);
process.stdout.write(`${lines.join('\n')}\n`);
for (const c of comparison.filter((x) => x.regressed)) {
  process.stdout.write(`\nWARNING: ${c.label}: the median ratio ${c.median.toFixed(2)}× is ${(-c.change! * 100).toFixed(0)} % below the baseline ${c.baseline!.toFixed(2)}× (more than 15 %). Explain or fix it before it lands.\n`);
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/latest.json', import.meta.url), JSON.stringify({ at: new Date().toISOString(), node: process.version, seconds: SECONDS, connections: CONNECTIONS, rounds, medians }, null, 2));
const reason = process.env.BENCH_BASELINE_REASON;
if (reason && !defaultSetup) throw new Error('BENCH_BASELINE_REASON records the default setup only (SQLite, ES256)');
if (reason) {
  writeFileSync(baselineUrl, `${JSON.stringify({ recorded: new Date().toISOString().slice(0, 10), reason, machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`, rounds: ROUNDS, seconds: SECONDS, ratios: medians }, null, 2)}\n`);
  process.stdout.write(`\nbench/baseline.json recorded: ${reason}\n`);
}
