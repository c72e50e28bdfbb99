/**
 * The client kit against a scripted fake authorization server and resource server (one node:http
 * server): malformed challenges, need_info, request_denied, polling deadline and abort, unreachable
 * or silent servers, body replay, the grant-attempt cap, and what is held between calls.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createUmaClient, UmaError, type NeedInfo, type UmaClientOptions } from '@steward/client';
import { json, serve } from './fixtures.ts';

type TokenAnswer = [number, Record<string, unknown>];

describe('client kit against a fake AS/RS', () => {
  let srv: Awaited<ReturnType<typeof serve>>;
  let silent: Awaited<ReturnType<typeof serve>>;
  let url: string;
  // Per-test script and log.
  let challenge: () => string;
  let answer: (params: URLSearchParams, n: number) => TokenAnswer;
  let grants: Array<{ params: URLSearchParams; authorization: string | undefined }>;
  let rsSeen: Array<{ method: string; body: string; authorization: string | undefined }>;
  let discoveries: number;
  let issuer: () => string;

  before(async () => {
    srv = await serve((req, res, body) => {
      if (req.url === '/.well-known/uma2-configuration') {
        discoveries++;
        return json(res, 200, { issuer: issuer(), token_endpoint: `${url}/token` });
      }
      if (req.url === '/token') {
        const params = new URLSearchParams(body);
        grants.push({ params, authorization: req.headers.authorization });
        const [status, out] = answer(params, grants.length);
        return json(res, status, out);
      }
      rsSeen.push({ method: req.method!, body, authorization: req.headers.authorization });
      if (req.headers.authorization === 'Bearer good') return json(res, 200, { method: req.method, body });
      json(res, 401, { error: 'unauthorized' }, { 'www-authenticate': challenge() });
    });
    url = srv.url;
    // Accepts connections and never answers.
    silent = await serve(() => {});
  });
  after(async () => {
    await srv?.close();
    await silent?.close();
  });
  beforeEach(() => {
    challenge = () => `UMA realm="fake", as_uri="${url}", ticket="t1"`;
    answer = () => [200, { access_token: 'good', token_type: 'Bearer' }];
    grants = [];
    rsSeen = [];
    discoveries = 0;
    issuer = () => url;
  });

  const client = (extra: Partial<UmaClientOptions> = {}) => createUmaClient({ clientId: 'app', clientSecret: 's3cr:et', maxPollIntervalMs: 10, trustedAs: [url], ...extra });
  const rejection = async (p: Promise<unknown>): Promise<UmaError> => {
    const e = await p.then(() => assert.fail('expected a rejection'), (x: unknown) => x);
    assert.ok(e instanceof UmaError, String(e));
    return e;
  };

  it('full loop with client_secret_basic; discovery is cached', async () => {
    const uma = client();
    const res = await uma.fetch(`${url}/r`);
    assert.equal(res.status, 200);
    assert.equal(grants[0]!.authorization, `Basic ${btoa('app:s3cr%3Aet')}`);
    assert.equal(grants[0]!.params.get('ticket'), 't1');
    assert.equal(grants[0]!.params.get('client_id'), null);
    uma.forget();
    assert.equal((await uma.fetch(`${url}/r`)).status, 200);
    assert.equal(discoveries, 1);
  });

  it('a public client sends client_id and no Authorization', async () => {
    const uma = createUmaClient({ clientId: 'pub' });
    assert.equal((await uma.fetch(`${url}/r`)).status, 200);
    assert.equal(grants[0]!.authorization, undefined);
    assert.equal(grants[0]!.params.get('client_id'), 'pub');
  });

  for (const bad of ['UMA realm="fake", ticket="t1"', 'UMA as_uri="%URL%", ticket="t1', 'Bearer realm="fake"', 'UMA as_uri="%URL%" ticket="t1"']) {
    it(`returns the 401 untouched for a malformed or foreign challenge: ${bad}`, async () => {
      challenge = () => bad.replace('%URL%', url);
      const res = await client().fetch(`${url}/r`);
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), bad.replace('%URL%', url));
      assert.deepEqual(await res.json(), { error: 'unauthorized' });
      assert.equal(grants.length + discoveries, 0);
    });
  }

  it('refuses to start with credentials but no trustedAs', () => {
    assert.throws(() => createUmaClient({ clientId: 'app', clientSecret: 's' }), /trustedAs is required/);
    assert.throws(() => createUmaClient({ clientId: 'app', claimToken: async () => null }), /trustedAs is required/);
    createUmaClient({ clientId: 'public-app' });
  });

  it('returns the 401 untouched when the challenge names an AS outside trustedAs', async () => {
    const res = await client({ trustedAs: ['https://as.example'] }).fetch(`${url}/r`);
    assert.equal(res.status, 401);
    assert.equal(grants.length + discoveries, 0);
  });

  it('retries the request once: a second 401 goes back to the caller', async () => {
    answer = () => [200, { access_token: 'useless' }];
    const res = await client().fetch(`${url}/r`);
    assert.equal(res.status, 401);
    assert.equal(grants.length, 1);
    assert.deepEqual(rsSeen.map((r) => r.authorization), [undefined, 'Bearer useless']);
  });

  it('need_info: onNeedInfo gets redirect_user and required_claims, then UmaError need_info', async () => {
    const claims = [{ name: 'email', claim_token_format: ['urn:ietf:params:oauth:token-type:id_token'] }];
    answer = () => [403, { error: 'need_info', ticket: 't2', redirect_user: 'https://as.example/claims', required_claims: claims }];
    const seen: NeedInfo[] = [];
    const e = await rejection(client({ onNeedInfo: (i) => void seen.push(i) }).fetch(`${url}/r`));
    assert.equal(e.code, 'need_info');
    assert.equal(e.status, 403);
    assert.equal(e.redirectUser, 'https://as.example/claims');
    assert.equal(e.ticket, 't2');
    assert.deepEqual(seen, [{ asUri: url, ticket: 't2', redirectUser: 'https://as.example/claims', requiredClaims: claims }]);
    assert.equal(grants.length, 1);
  });

  it('need_info then claims from claimToken: one more grant with the new ticket', async () => {
    answer = (p) => (p.get('claim_token') === 'idt' ? [200, { access_token: 'good' }] : [403, { error: 'need_info', ticket: 't2', redirect_user: 'https://as.example/claims' }]);
    let haveClaims = false;
    const uma = client({ claimToken: async () => (haveClaims ? { token: 'idt', format: 'jwt' } : null), onNeedInfo: () => void (haveClaims = true) });
    assert.equal((await uma.fetch(`${url}/r`)).status, 200);
    assert.deepEqual(grants.map((g) => [g.params.get('ticket'), g.params.get('claim_token')]), [['t1', null], ['t2', 'idt']]);
  });

  it('need_info twice: only one more attempt', async () => {
    answer = (_p, n) => [403, { error: 'need_info', ticket: `t${n + 1}`, redirect_user: 'https://as.example/claims' }];
    let n = 0;
    const e = await rejection(client({ claimToken: async () => ({ token: `idt${n++}`, format: 'jwt' }) }).fetch(`${url}/r`));
    assert.equal(e.code, 'need_info');
    assert.equal(e.ticket, 't3');
    assert.equal(grants.length, 2);
  });

  for (const code of ['request_denied', 'invalid_grant', 'invalid_scope']) {
    it(`${code} → UmaError with the code and the description`, async () => {
      answer = () => [code === 'request_denied' ? 403 : 400, { error: code, error_description: `said ${code}` }];
      const e = await rejection(client().fetch(`${url}/r`));
      assert.equal(e.code, code);
      assert.equal(e.description, `said ${code}`);
      assert.equal(e.asUri, url);
    });
  }

  it('request_submitted: polls with the latest ticket (slow_down tolerated) until the RPT comes', async () => {
    const script: TokenAnswer[] = [
      [403, { error: 'request_submitted', ticket: 't2', interval: 1 }],
      [400, { error: 'slow_down' }],
      [403, { error: 'request_submitted', ticket: 't3' }],
      [200, { access_token: 'good' }],
    ];
    answer = (_p, n) => script[n - 1]!;
    assert.equal((await client().fetch(`${url}/r`)).status, 200);
    assert.deepEqual(grants.map((g) => g.params.get('ticket')), ['t1', 't2', 't2', 't3']);
  });

  it('request_submitted past pollDeadlineMs → UmaError timeout', async () => {
    answer = (_p, n) => [403, { error: 'request_submitted', ticket: `t${n + 1}`, interval: 1 }];
    const e = await rejection(client({ pollDeadlineMs: 50 }).fetch(`${url}/r`));
    assert.equal(e.code, 'timeout');
    assert.ok(grants.length >= 2);
  });

  it('an abort during polling rejects with the AbortError and stops polling', async () => {
    const ac = new AbortController();
    answer = (_p, n) => {
      if (n === 3) ac.abort();
      return [403, { error: 'request_submitted', ticket: `t${n + 1}` }];
    };
    const e = await client().fetch(`${url}/r`, { signal: ac.signal }).then(() => assert.fail('expected abort'), (x: unknown) => x);
    assert.equal((e as Error).name, 'AbortError');
    const count = grants.length;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(grants.length, count);
  });

  it('stops after maxGrantAttempts grant requests → UmaError too_many_attempts', async () => {
    answer = (_p, n) => [403, { error: 'request_submitted', ticket: `t${n + 1}` }];
    const e = await rejection(client({ maxGrantAttempts: 3 }).fetch(`${url}/r`));
    assert.equal(e.code, 'too_many_attempts');
    assert.equal(grants.length, 3);
  });

  it('an unreachable AS → UmaError as_unreachable', async () => {
    const gone = await serve(() => {});
    const goneUrl = gone.url;
    await gone.close();
    challenge = () => `UMA as_uri="${goneUrl}", ticket="t1"`;
    const e = await rejection(client({ trustedAs: [goneUrl] }).fetch(`${url}/r`));
    assert.equal(e.code, 'as_unreachable');
  });

  it('an AS that does not answer within timeoutMs → UmaError as_unreachable', async () => {
    challenge = () => `UMA as_uri="${silent.url}", ticket="t1"`;
    const e = await rejection(client({ timeoutMs: 100, trustedAs: [silent.url] }).fetch(`${url}/r`));
    assert.equal(e.code, 'as_unreachable');
    assert.match(e.message, /100 ms/);
  });

  it('a discovery document naming another issuer → UmaError invalid_as_response', async () => {
    issuer = () => 'https://evil.example';
    const e = await rejection(client().fetch(`${url}/r`));
    assert.equal(e.code, 'invalid_as_response');
    assert.equal(grants.length, 0);
  });

  it('a token endpoint answering no JSON object → UmaError invalid_as_response', async () => {
    answer = () => [502, ['not an object']] as unknown as TokenAnswer;
    const e = await rejection(client().fetch(`${url}/r`));
    assert.equal(e.code, 'invalid_as_response');
  });

  for (const [kind, make] of [
    ['string', () => ({ body: 'hello=1' })],
    ['Uint8Array', () => ({ body: new TextEncoder().encode('hello=1') })],
    ['URLSearchParams', () => ({ body: new URLSearchParams({ hello: '1' }) })],
    ['Blob', () => ({ body: new Blob(['hello=1']) })],
  ] as const) {
    it(`replays a ${kind} body on the retry`, async () => {
      const res = await client().fetch(`${url}/r`, { method: 'POST', ...make() });
      assert.equal(res.status, 200);
      assert.deepEqual(rsSeen.map((r) => [r.method, r.body]), [['POST', 'hello=1'], ['POST', 'hello=1']]);
    });
  }

  it('replays the body of a Request', async () => {
    const res = await client().fetch(new Request(`${url}/r`, { method: 'PUT', body: '{"a":1}', headers: { 'content-type': 'application/json' } }));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { method: 'PUT', body: '{"a":1}' });
    assert.equal(rsSeen.length, 2);
  });

  it('a stream body cannot be replayed → UmaError body_not_replayable, with the RPT held for the next call', async () => {
    const uma = client();
    const body = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('x')), c.close()) });
    const e = await rejection(uma.fetch(`${url}/r`, { method: 'POST', body, duplex: 'half' } as RequestInit));
    assert.equal(e.code, 'body_not_replayable');
    assert.equal(uma.rptFor(url), 'good');
    assert.equal((await uma.fetch(`${url}/r`, { method: 'POST', body: 'x' })).status, 200);
    assert.equal(grants.length, 1);
  });

  it('sends the RPT only to the origin whose challenge named its AS', async () => {
    const uma = client();
    await uma.fetch(`${url}/r`);
    const other = await serve((req, res) => json(res, 200, { authorization: req.headers.authorization ?? null }));
    try {
      assert.deepEqual(await (await uma.fetch(`${other.url}/x`)).json(), { authorization: null });
    } finally {
      await other.close();
    }
  });

  it('an expired RPT without a refresh token is dropped; the next grant has no rpt', async () => {
    let now = 1_000_000;
    answer = () => [200, { access_token: 'good', expires_in: 60 }];
    const uma = client({ now: () => now });
    await uma.fetch(`${url}/r`);
    assert.equal(uma.rptInfo(url)?.expiresAt, now + 60_000);
    now += 61_000;
    assert.equal((await uma.fetch(`${url}/r`)).status, 200);
    assert.equal(rsSeen[2]!.authorization, undefined);
    assert.equal(grants[1]!.params.get('rpt'), null);
  });

  it('invalid_grant for a presented rpt: drops it and retries once without it, with a new challenge\'s ticket', async () => {
    let n = 0;
    challenge = () => `UMA realm="fake", as_uri="${url}", ticket="t${++n}"`;
    answer = (p, k) => (k === 1 ? [200, { access_token: 'stale', pct: 'p1' }] : p.get('rpt') ? [400, { error: 'invalid_grant', error_description: 'The rpt was revoked or has expired' }] : [200, { access_token: 'good' }]);
    const uma = client();
    // The RS refuses `stale`: that 401 goes back to the caller, and `stale` is held.
    assert.equal((await uma.fetch(`${url}/r`)).status, 401);
    assert.equal(uma.rptFor(url), 'stale');
    const res = await uma.fetch(`${url}/r`);
    assert.equal(res.status, 200);
    assert.deepEqual(grants.map((g) => [g.params.get('ticket'), g.params.get('rpt'), g.params.get('pct')]), [
      ['t1', null, null],
      ['t3', 'stale', 'p1'],
      ['t4', null, 'p1'],
    ]);
    assert.deepEqual(rsSeen.map((r) => r.authorization), [undefined, 'Bearer stale', 'Bearer stale', undefined, 'Bearer good']);
    assert.equal(uma.rptFor(url), 'good');
    assert.equal(uma.pct(url), 'p1');
  });

  it('invalid_grant again on the retry without the rpt: the pct is dropped too, and the UmaError thrown', async () => {
    answer = (_p, n) => (n === 1 ? [200, { access_token: 'useless', pct: 'p1' }] : [400, { error: 'invalid_grant', error_description: `refused ${n}` }]);
    const uma = client();
    assert.equal((await uma.fetch(`${url}/r`)).status, 401);
    const e = await rejection(uma.fetch(`${url}/r`));
    assert.equal(e.code, 'invalid_grant');
    assert.equal(e.description, 'refused 3');
    assert.deepEqual(grants.slice(1).map((g) => [g.params.get('rpt'), g.params.get('pct')]), [['useless', 'p1'], [null, 'p1']]);
    assert.equal(uma.rptFor(url), null);
    assert.equal(uma.pct(url), null);
  });

  it('invalid_grant for a presented rpt with a stream body: no retry (the body is gone), the rpt dropped for the next call', async () => {
    answer = (p, n) => (n === 1 ? [200, { access_token: 'stale' }] : p.get('rpt') ? [400, { error: 'invalid_grant' }] : [200, { access_token: 'good' }]);
    const uma = client();
    assert.equal((await uma.fetch(`${url}/r`)).status, 401);
    const body = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('x')), c.close()) });
    const e = await rejection(uma.fetch(`${url}/r`, { method: 'POST', body, duplex: 'half' } as RequestInit));
    assert.equal(e.code, 'invalid_grant');
    assert.equal(grants.length, 2);
    assert.equal(uma.rptFor(url), null);
    assert.equal((await uma.fetch(`${url}/r`)).status, 200);
    assert.equal(grants[2]!.params.get('rpt'), null);
  });

  it('the retry without the rpt counts toward maxGrantAttempts', async () => {
    answer = (p, n) => (n === 1 ? [200, { access_token: 'stale' }] : p.get('rpt') ? [400, { error: 'invalid_grant' }] : [403, { error: 'request_submitted', ticket: `t${n + 1}` }]);
    const uma = client({ maxGrantAttempts: 3 });
    assert.equal((await uma.fetch(`${url}/r`)).status, 401);
    const e = await rejection(uma.fetch(`${url}/r`));
    assert.equal(e.code, 'too_many_attempts');
    // One refused upgrade and two polls make the three of this call.
    assert.equal(grants.length, 4);
  });
});
