/**
 * @module test/fuzz/api.fuzz
 * The standing fuzz suite: every route and method of docs/openapi.json, every documented path, query
 * and header parameter and body field, sent hostile values (test/fuzz/values.ts) one change at a time,
 * with the route's own credentials, with none and with another kind's, against a real Steward on
 * SQLite and PostgreSQL. Every answer must be free of 5xx and internal detail and in its route's
 * documented error format (test/fuzz/expect.ts); a refused write must leave what owners and
 * administrators manage as it was (test/fuzz/fingerprint.ts); afterwards Object.prototype is
 * untouched and the store holds no orphan or half-written row (test/fuzz/consistency.ts).
 *
 * Seeded and bounded (about 7 000 requests per store): the fixed seed by default,
 * `STEWARD_FUZZ_SEED=n` to replay another (a failure prints its seed). `STEWARD_FUZZ_ITERATIONS=n`
 * runs n rounds, each on a fresh Steward with other values and tricks; `STEWARD_FUZZ_LONG=1` tries
 * more values per field and path tricks per route, in 10 rounds unless told: a benchmark-style run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { toReply, type Reply } from '../helpers/http.ts';
import { buildCases, type CaseOptions, type FuzzCase } from './cases.ts';
import { storeInconsistencies } from './consistency.ts';
import { buildWorld, startFuzzSteward, type FuzzSteward, type World } from './credentials.ts';
import type { Known } from './examples.ts';
import { documentedErrorCodes, problems, undocumentedStatus } from './expect.ts';
import { changedTables, openStoreProbe, type StoreProbe } from './fingerprint.ts';
import { readApiSpec, type Operation } from './openapi-routes.ts';
import { fuzzSeed, Random } from './random.ts';

const LONG = process.env.STEWARD_FUZZ_LONG === '1';
const ROUNDS = Number(process.env.STEWARD_FUZZ_ITERATIONS || (LONG ? 10 : 1));
if (!Number.isSafeInteger(ROUNDS) || ROUNDS < 1) throw new Error(`STEWARD_FUZZ_ITERATIONS must be a positive integer, got ${process.env.STEWARD_FUZZ_ITERATIONS}`);
const OPTIONS: CaseOptions = LONG ? { perField: 6, pathTricks: 16 } : { perField: 2, pathTricks: 3 };
const SEED = fuzzSeed();
/** Failures shown in full; the rest are counted. */
const SHOWN = 40;
/** Ids for building cases before any Steward runs (the coverage check). */
const PLACEHOLDERS = new Proxy({} as Known, { get: (_, name) => String(name) });

/** Object.prototype's own members before any request. */
const OBJECT_PROTOTYPE = Object.getOwnPropertyNames(Object.prototype);

const spec = readApiSpec();
const codes = documentedErrorCodes();
/** Deleting runs last, so the other routes meet the world's real ids. */
const operations: Operation[] = [...spec.operations].sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));

async function send(world: World, op: Operation, c: FuzzCase): Promise<Reply> {
  if (op.path.endsWith('/authz/protection/events')) return sendToStream(world, op, c);
  const res = await world.s.app.inject({
    method: c.method,
    url: c.url,
    headers: { ...world.headersFor(op, c.credentials), ...c.headers },
    ...(c.payload !== undefined ? { payload: c.payload } : {}),
  });
  return toReply(res);
}

/** The revocation event stream stays open when it is accepted: its status and headers are the answer, and the stream is dropped. */
async function sendToStream(world: World, op: Operation, c: FuzzCase): Promise<Reply> {
  const abort = new AbortController();
  const res = await world.s.app.inject({
    method: c.method,
    url: c.url,
    headers: { ...world.headersFor(op, c.credentials), ...c.headers },
    ...(c.payload !== undefined ? { payload: c.payload } : {}),
    payloadAsStream: true,
    signal: abort.signal,
  });
  if (res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/event-stream')) {
    abort.abort();
    return toReply({ statusCode: 200, headers: res.headers, body: '' });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of res.stream()) chunks.push(chunk as Buffer);
  return toReply({ statusCode: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() });
}

function report(op: Operation, c: FuzzCase, res: Reply, found: string[]): string {
  const payload = c.payload === undefined ? '' : `\n    body: ${(Buffer.isBuffer(c.payload) ? c.payload.toString('hex') : c.payload).slice(0, 200)}`;
  return [
    `${op.method} ${op.path}: ${c.label} [${c.credentials} credentials]`,
    `    ${c.method} ${c.url.slice(0, 200)}${c.url.length > 200 ? `…(${c.url.length})` : ''}`,
    `    headers: ${JSON.stringify(c.headers).slice(0, 200)}${payload}`,
    `    → ${res.status} ${String(res.headers['content-type'] ?? '')} ${res.body.slice(0, 300)}`,
    `    ${found.join('; ')}`,
  ].join('\n');
}

for (const dialect of dialects) {
  describe(`fuzz: every documented route under hostile input (${dialect})`, () => {
    it('reads every route of openapi.json and builds cases for every parameter and body field', () => {
      assert.ok(operations.length >= 150, `only ${operations.length} operations read from docs/openapi.json`);
      assert.ok(codes.size >= 20, 'the error codes of docs/errors.md');
      for (const op of operations) {
        assert.ok(['oauth', 'crest', 'html'].includes(op.family), `${op.method} ${op.path}`);
        const labels = buildCases(op, PLACEHOLDERS, new Random(SEED), OPTIONS).map((c) => c.label);
        for (const p of op.params) {
          const prefix = p.in === 'path' ? `path ${p.name}=` : p.in === 'query' ? `query ${p.name}=` : `header ${p.name}=`;
          if (p.name !== 'Authorization') assert.ok(labels.some((l) => l.startsWith(prefix)), `${op.method} ${op.path}: no case for ${p.in} ${p.name}`);
        }
        if (op.body) assert.ok(labels.some((l) => l.startsWith('body ') || l.startsWith('form ')), `${op.method} ${op.path}: no body case`);
      }
    });

    for (let round = 0; round < ROUNDS; round++) {
      describe(`round ${round + 1} of ${ROUNDS}, on a fresh Steward`, () => {
        let s: FuzzSteward;
        let world: World;
        before(async () => {
          s = await startFuzzSteward(dialect);
          world = await buildWorld(s);
        });
        after(async () => s?.close());

        it(`answers every case without a 5xx, a leak, an undocumented error shape or a refused write that wrote (seed ${SEED})`, async (t) => {
          const failures: string[] = [];
          const undocumented = new Map<string, string>();
          const statuses = new Map<number, number>();
          let sent = 0;
          const random = new Random(SEED).fork(`round ${round}`);
          const probe: StoreProbe = openStoreProbe(s.databaseUrl);
          try {
            let stored = await probe.fingerprint();
            for (const op of operations) {
              // Only a route that can succeed can write; the refusals of the others are not probed.
              const writes = op.method !== 'GET' && op.statuses.some((status) => status < 300);
              for (const c of buildCases(op, world.known, random.fork(`${op.method} ${op.path}`), OPTIONS)) {
                const res = await send(world, op, c);
                sent++;
                statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
                const found = problems(c, op, res, spec, codes);
                const status = undocumentedStatus(c, op, res);
                if (status !== null) undocumented.set(`${op.method} ${op.path} answers ${status}`, c.label);
                if (writes && c.method !== 'HEAD') {
                  const now = await probe.fingerprint();
                  const changed = changedTables(stored, now);
                  if (res.status >= 400 && changed.length > 0) found.push(`refused, yet changed ${changed.join(', ')}`);
                  stored = now;
                }
                if (found.length > 0) failures.push(report(op, c, res, found));
              }
            }
          } finally {
            await probe.close();
          }
          for (const [what, example] of undocumented) t.diagnostic(`not in the API reference: ${what} (e.g. ${example.slice(0, 80)})`);
          t.diagnostic(`${sent} requests over ${operations.length} operations; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
          assert.equal(
            failures.length,
            0,
            `${failures.length} bad answers (seed ${SEED}, round ${round + 1}: STEWARD_FUZZ_SEED=${SEED} replays them):\n${failures.slice(0, SHOWN).join('\n')}${failures.length > SHOWN ? `\n… and ${failures.length - SHOWN} more` : ''}`,
          );
        });

        it('leaves Object.prototype untouched', () => {
          const probe: Record<string, unknown> = {};
          assert.equal(probe.polluted, undefined);
          assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).filter((k) => !OBJECT_PROTOTYPE.includes(k)), []);
        });

        it('leaves no orphan nor half-written row in the store', async () => {
          assert.deepEqual(await storeInconsistencies(s.databaseUrl), [], `seed ${SEED}, round ${round + 1}`);
        });
      });
    }
  });
}
