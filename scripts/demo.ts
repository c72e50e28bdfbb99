/**
 * @module scripts/demo
 * `npm run demo`: starts Steward (demo realm, temporary SQLite file) with photoz-rs's public
 * configuration published (its record types and their template scopes), and the reference records
 * server, then plays two stories: Alice shares her bank account read-only with Bob, and Alice's medical
 * record shared with Dr. Bob; delete and recreate of the share) with narrated output. Exits 0 when every
 * step behaves as told, 1 with the step that did not; always cleans up.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig, publishDemoConfiguration, startSteward, type Steward } from '@steward/server';
import { createRecordsServer } from '../examples/records-rs/src/index.ts';

const PASSWORD = 'Ch4ng31t';
const RS = { id: 'photoz-rs', secret: 'photoz-rs-secret' };
const CLIENT = { id: 'photoz-client', secret: 'photoz-client-secret' };

/** A step that did not behave as narrated. */
class DemoFailure extends Error {}

function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new DemoFailure(what);
}

const say = (line: string) => console.log(line);
const ok = (line: string) => console.log(`  ✔ ${line}`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

interface Answer {
  status: number;
  json: any;
  headers: Headers;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers };
}

function jsonInit(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** The actors of both stories, talking to Steward at `issuer` and the records server at `records`. */
function actors(baseUrl: string, issuer: string, records: string) {
  const tokenUrl = `${issuer}/protocol/openid-connect/token`;
  const basic = (c: { id: string; secret: string }) => `Basic ${Buffer.from(`${c.id}:${c.secret}`).toString('base64')}`;
  const token = (c: { id: string; secret: string }, params: Record<string, string>) =>
    call(tokenUrl, { method: 'POST', headers: { authorization: basic(c) }, body: new URLSearchParams(params) });

  return {
    /** Alice signs in to the records service's app: her access token there is her PAT. */
    async ownerToken(user: string): Promise<string> {
      const t = await token(RS, { grant_type: 'password', username: user, password: PASSWORD, scope: 'uma_protection' });
      check(t.status === 200, `${user} could not sign in to the records service (${t.status})`);
      return t.json.access_token;
    },
    /** Alice's Steward session, which the owner application passes on as X-SSO-Token. */
    async ssoToken(user: string): Promise<string> {
      const a = await call(`${baseUrl}/json/realms/root/realms/demo/authenticate`, { method: 'POST', headers: { 'x-openam-username': user, 'x-openam-password': PASSWORD } });
      check(a.status === 200, `${user} could not sign in at Steward (${a.status})`);
      return a.json.tokenId;
    },
    async idToken(user: string): Promise<string> {
      const t = await token(CLIENT, { grant_type: 'password', username: user, password: PASSWORD, scope: 'openid' });
      check(t.status === 200, `${user} could not sign in to the requesting client (${t.status})`);
      return t.json.id_token;
    },
    async createRecord(pat: string, body: unknown): Promise<{ meta: any }> {
      const r = await call(`${records}/manage/resources`, jsonInit('POST', body, { authorization: `Bearer ${pat}` }));
      check(r.status === 201, `creating a record answered ${r.status}: ${JSON.stringify(r.json)}`);
      return r.json;
    },
    async applyPolicy(pat: string, sso: string, recordId: string, permissions: unknown): Promise<Answer> {
      return call(`${records}/manage/resources/${recordId}/policy`, jsonInit('PUT', { permissions }, { authorization: `Bearer ${pat}`, 'x-sso-token': sso }));
    },
    /** A requesting party re-shares, at Steward, what was shared with them (their own policy on the owner's resource). */
    async reshare(sso: string, user: string, resourceId: string, permissions: Array<{ subject: string; scopes: string[] }>): Promise<number> {
      const d = await call(`${baseUrl}/json/realms/root/realms/demo/users/${user}/uma/policies/${resourceId}`, jsonInit('PUT', { policyId: resourceId, permissions }, { iplanetdirectorypro: sso, 'if-none-match': '*' }));
      return d.status;
    },
    async revoke(sso: string, owner: string, resourceId: string): Promise<number> {
      const d = await call(`${baseUrl}/json/realms/root/realms/demo/users/${owner}/uma/policies/${resourceId}`, { method: 'DELETE', headers: { iplanetdirectorypro: sso } });
      return d.status;
    },
    /**
     * The requesting party's client: tries (with its RPT, if any), and on a UMA challenge trades the
     * ticket (with the party's ID token) for an RPT and tries once more.
     */
    async access(method: string, path: string, idToken: string, rpt?: string): Promise<{ status: number; json: any; refusal?: string; rpt?: string }> {
      const first = await call(`${records}${path}`, { method, headers: rpt ? { authorization: `Bearer ${rpt}` } : {} });
      if (first.status !== 401) return { status: first.status, json: first.json };
      const ticket = /ticket="([^"]+)"/.exec(first.headers.get('www-authenticate') ?? '')?.[1];
      check(ticket, `a 401 without a UMA ticket on ${path}`);
      const grant = await token(CLIENT, { grant_type: 'urn:ietf:params:oauth:grant-type:uma-ticket', ticket, claim_token: idToken, claim_token_format: 'urn:ietf:params:oauth:token-type:id_token' });
      if (grant.status !== 200) return { status: 401, json: first.json, refusal: grant.json?.error ?? String(grant.status) };
      const second = await call(`${records}${path}`, { method, headers: { authorization: `Bearer ${grant.json.access_token}` } });
      return { status: second.status, json: second.json, rpt: grant.json.access_token };
    },
  };
}

type Actors = ReturnType<typeof actors>;

async function bankAccountStory(a: Actors): Promise<void> {
  say('\n== Story 1: Alice shares her bank account with Bob, read-only ==');
  const alice = await a.ownerToken('alice');
  const account = await a.createRecord(alice, { name: "Alice's Bank Account", type: 'finance', content: { iban: 'DE89 3704 0044 0532 0130 00', balance: 1200 } });
  ok(`Alice registers "${account.meta.name}" (finance: ${account.meta.scopes.join(', ')}); Steward resource ${account.meta.resourceId}`);
  const bob = await a.idToken('bob');
  const path = `/records/${account.meta.id}/content`;

  const before = await a.access('GET', path, bob);
  check(before.status === 401 && before.refusal === 'request_submitted', `Bob should be refused before the share (got ${before.status} ${before.refusal ?? ''})`);
  ok(`Bob is refused: UMA challenge, and Steward answers ${before.refusal} (Alice has a pending request)`);

  const sso = await a.ssoToken('alice');
  const applied = await a.applyPolicy(alice, sso, account.meta.id, [{ subject: 'bob', scopes: ['content'] }]);
  check(applied.status === 201, `applying the policy answered ${applied.status}: ${JSON.stringify(applied.json)}`);
  ok('Alice applies the policy through the records service: bob may read the content (PUT /manage/resources/{id}/policy)');

  const read = await a.access('GET', path, bob);
  check(read.status === 200 && read.json?.balance === 1200, `Bob should read the account (got ${read.status})`);
  ok(`Bob's client gets an RPT and Bob reads the account: balance ${read.json.balance}`);

  const transfer = await a.access('POST', `/records/${account.meta.id}/transfer`, bob, read.rpt);
  check(transfer.status === 401 && transfer.refusal !== undefined, `Bob should not transfer (got ${transfer.status})`);
  ok(`Bob cannot transfer: his RPT does not cover it and Steward answers ${transfer.refusal}`);

  const revoked = await a.revoke(sso, 'alice', account.meta.resourceId);
  check(revoked === 200, `revoking at Steward answered ${revoked}`);
  ok('Alice revokes the share at Steward (DELETE her policy)');

  const after = await a.access('GET', path, bob, read.rpt);
  check(after.status === 401 && after.refusal !== undefined, `Bob should be refused after the revocation (got ${after.status})`);
  ok(`Bob is refused again, even with his old RPT (${after.refusal})`);
}

async function medicalRecordStory(a: Actors): Promise<void> {
  say("\n== Story 2: Alice's medical record, shared with Dr. Bob ==");
  const alice = await a.ownerToken('alice');
  const sso = await a.ssoToken('alice');
  const record = await a.createRecord(alice, { name: "Alice's medical record", type: 'healthcare', content: { bloodType: 'A+', allergies: ['penicillin'] } });
  ok(`Alice registers "${record.meta.name}" (healthcare: ${record.meta.scopes.join(', ')})`);
  const bob = await a.idToken('bob');
  const path = `/records/${record.meta.id}/content`;

  const applied = await a.applyPolicy(alice, sso, record.meta.id, [{ subject: 'bob', scopes: ['meta', 'content'] }]);
  check(applied.status === 201, `sharing with Dr. Bob answered ${applied.status}: ${JSON.stringify(applied.json)}`);
  ok('Alice shares meta and content with Dr. Bob');
  const read = await a.access('GET', path, bob);
  check(read.status === 200 && read.json?.bloodType === 'A+', `Dr. Bob should read the record (got ${read.status})`);
  ok(`Dr. Bob reads the record: blood type ${read.json.bloodType}`);

  const surgery = await a.idToken('chris');
  const reshared = await a.reshare(await a.ssoToken('bob'), 'bob', record.meta.resourceId, [{ subject: 'chris', scopes: ['content'] }]);
  check(reshared === 201, `Dr. Bob's re-share answered ${reshared}`);
  ok('Dr. Bob re-shares the content with the Surgery Center (chris) at his own policies endpoint');
  const viaBob = await a.access('GET', path, surgery);
  check(viaBob.status === 200 && viaBob.json?.bloodType === 'A+', `the Surgery Center should read the record (got ${viaBob.status})`);
  ok('The Surgery Center reads the record through Dr. Bob\'s re-share');

  check((await a.revoke(sso, 'alice', record.meta.resourceId)) === 200, 'deleting the primary share failed');
  ok('Alice deletes the primary share');
  const gone = await a.access('GET', path, bob, read.rpt);
  check(gone.status === 401 && gone.refusal !== undefined, `Dr. Bob should lose access (got ${gone.status})`);
  ok(`Dr. Bob's access is gone (${gone.refusal})`);
  const surgeryGone = await a.access('GET', path, surgery, viaBob.rpt);
  check(surgeryGone.status === 401 && surgeryGone.refusal !== undefined, `the Surgery Center should lose access with the primary share (got ${surgeryGone.status})`);
  ok(`The Surgery Center's access is gone too: Dr. Bob's re-share no longer grants (${surgeryGone.refusal})`);

  const again = await a.applyPolicy(alice, sso, record.meta.id, [{ subject: 'bob', scopes: ['meta', 'content'] }]);
  check(again.status === 201, `recreating the share answered ${again.status}: ${JSON.stringify(again.json)}`);
  ok('Alice recreates the primary share');
  const back = await a.access('GET', path, bob);
  check(back.status === 200 && back.json?.bloodType === 'A+', `Dr. Bob should read the record again (got ${back.status})`);
  ok("Dr. Bob's access is back");
  const surgeryBack = await a.access('GET', path, surgery);
  check(surgeryBack.status === 200 && surgeryBack.json?.bloodType === 'A+', `the Surgery Center should read again once the primary share is back (got ${surgeryBack.status})`);
  ok("The Surgery Center's access is back: Dr. Bob's re-share is reinstated");
}

async function main(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'steward-demo-'));
  let steward: Steward | undefined;
  let records: FastifyInstance | undefined;
  try {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const config = loadConfig({}, { databaseUrl: `sqlite:${join(dir, 'steward.db')}`, port, host: '127.0.0.1', baseUrl, demo: true, logLevel: 'silent' });
    steward = await startSteward(config);
    const issuer = `${baseUrl}/realms/demo`;
    await publishDemoConfiguration(steward.deps);
    const published = await call(`${issuer}/authz/resource-servers/${RS.id}/configuration`);
    check(published.status === 200, `photoz-rs's configuration answered ${published.status}`);
    const types = Object.entries<{ scopes: string[] }>(published.json.types).map(([type, t]) => `${type} (${t.scopes.join(', ')})`);
    const recordsPort = await freePort();
    const recordsUrl = `http://127.0.0.1:${recordsPort}`;
    records = await createRecordsServer({ issuer, baseUrl: recordsUrl, clientId: RS.id, clientSecret: RS.secret, dataDir: join(dir, 'records') });
    await records.listen({ port: recordsPort, host: '127.0.0.1' });
    say(`Steward (demo realm) at ${issuer}; records server at ${recordsUrl}`);
    ok(`photoz-rs publishes its record types and their template scopes: ${types.join('; ')}`);
    const a = actors(baseUrl, issuer, recordsUrl);
    await bankAccountStory(a);
    await medicalRecordStory(a);
    say('\nDemo finished: every step behaved as narrated.');
    return 0;
  } catch (e) {
    console.error(`\nDemo failed: ${e instanceof DemoFailure ? e.message : (e as Error).stack ?? e}`);
    return 1;
  } finally {
    await records?.close().catch(() => {});
    await steward?.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
