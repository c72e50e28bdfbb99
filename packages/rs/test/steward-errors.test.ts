/**
 * Honest errors against a real Steward over HTTP, on both stores. Each misconfiguration (wrong client
 * secret, a PAT function that throws, an issuer with a trailing slash or another host than the one
 * Steward announces, a realm that does not exist) gets its own code: 500 `uma_misconfigured` (403
 * `ticket_unavailable` for the PAT function, whose failure is per resource), a call to `onError`, and
 * a rejecting `selfCheck()`; a good configuration's `selfCheck()` resolves. An unreachable AS is still
 * 403 + Warning (UMA Grant §3.2.2). Expired, wrong-audience and insufficient RPTs get their own
 * RFC 6750 §3.1 `error`/`error_description` in the UMA challenge, which still carries a ticket.
 */
import { after, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { dialects } from '../../store/test/databases.ts';
import { startTestSteward, TestClock, type TestSteward } from '../../../test/helpers/steward.ts';
import { createUmaEnforcer, TOKEN_DESCRIPTIONS, UmaEnforcerError, type UmaEnforcerOptions, type UmaEnforcerErrorCode, type UmaRefusalContext } from '../src/index.ts';
import { expressApp, fastifyApp, type AppReply, type TestApp } from './apps.ts';
import { bobRpt, bobTrades, registerResource, rsPat, rsSharesWithBob, ticketOf } from './steward-world.ts';

const ADAPTERS = ['fastify', 'express'] as const;
const RS = { clientId: 'photoz-rs', clientSecret: 'photoz-rs-secret' };
const realm = 'photos';
const DAY = 86_400;

/** An `onError` that records what it is told. */
function recorder(): { onError: NonNullable<UmaEnforcerOptions['onError']>; calls: Array<{ error: UmaEnforcerError; context: UmaRefusalContext }> } {
  const calls: Array<{ error: UmaEnforcerError; context: UmaRefusalContext }> = [];
  return { calls, onError: (error, context) => void calls.push({ error, context }) };
}

async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

async function appFor(adapter: (typeof ADAPTERS)[number], options: UmaEnforcerOptions): Promise<TestApp> {
  const enforcer = createUmaEnforcer({ realm, timeoutMs: 2000, ...options });
  return adapter === 'fastify' ? fastifyApp(enforcer) : expressApp(enforcer);
}

/** The 500 of a misconfigured kit with this code: no Warning, no challenge, no handler. */
function assertMisconfigured(res: AppReply, app: TestApp, code: UmaEnforcerErrorCode): void {
  assert.equal(res.status, 500, JSON.stringify(res.json));
  assert.equal(res.json.error, 'uma_misconfigured');
  assert.equal(res.json.code, code);
  assert.equal(res.headers.warning, undefined);
  assert.equal(res.headers['www-authenticate'], undefined);
  assert.equal(app.seen.length, 0);
}

/** The one refusal reported, with its code, kind and the status the request got. */
function assertReported(calls: ReturnType<typeof recorder>['calls'], code: UmaEnforcerErrorCode, status: number, resourceId: string): UmaEnforcerError {
  assert.equal(calls.length, 1, calls.map((c) => c.error.code).join(', '));
  const { error, context } = calls[0]!;
  assert.ok(error instanceof UmaEnforcerError);
  assert.equal(error.code, code, error.message);
  assert.equal(context.status, status);
  assert.equal(context.resourceId, resourceId);
  assert.deepEqual(context.scopes, ['view']);
  assert.ok(context.request, 'the framework request');
  return error;
}

/** `selfCheck()` rejects with a UmaEnforcerError of this code whose message matches. */
async function assertSelfCheckFails(options: UmaEnforcerOptions, code: UmaEnforcerErrorCode, message: RegExp, check: Parameters<ReturnType<typeof createUmaEnforcer>['selfCheck']>[0] = {}): Promise<void> {
  const enforcer = createUmaEnforcer({ timeoutMs: 2000, onError: () => {}, ...options });
  await assert.rejects(enforcer.selfCheck(check), (e: unknown) => {
    assert.ok(e instanceof UmaEnforcerError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

for (const dialect of dialects) {
  describe(`@steward/rs errors against Steward (${dialect})`, () => {
    let s: TestSteward;
    let album: string;
    const clock = new TestClock();

    before(async () => {
      // Steward starts two days ago by its clock (its keys, the album and the share date from then),
      // so that an RPT it issues one day ago has long expired by the kit's clock.
      clock.advance(-2 * DAY);
      s = await startTestSteward(dialect, { listen: true, clock });
      album = await registerResource(s, await rsPat(s), 'The shop album', ['view', 'pay']);
      await rsSharesWithBob(s, album, ['view']);
      clock.advance(2 * DAY);
    });
    after(async () => s?.close());

    it('a good configuration passes selfCheck in both modes, with client credentials and with a pat function', async () => {
      const jwks = await createUmaEnforcer({ issuer: s.issuer, ...RS }).selfCheck();
      assert.equal(jwks.verify, 'jwks');
      assert.equal(jwks.pat, 'client_credentials');
      assert.ok(jwks.jwksKeys! >= 1);
      assert.equal(jwks.endpoints.permission_endpoint, `${s.issuer}/authz/protection/permission`);
      const introspection = await createUmaEnforcer({ issuer: s.issuer, ...RS, verify: 'introspection' }).selfCheck();
      assert.equal(introspection.introspection, 'accepted');
      const pat = await rsPat(s);
      const supplied = createUmaEnforcer({ issuer: s.issuer, pat: () => pat });
      assert.equal((await supplied.selfCheck()).pat, 'not_checked');
      const withResource = await supplied.selfCheck({ resourceId: album, verify: 'introspection' });
      assert.equal(withResource.pat, 'supplied');
      assert.equal(withResource.introspection, 'accepted');
    });

    for (const adapter of ADAPTERS) {
      it(`wrong client secret → 500 invalid_client, reported (${adapter})`, async () => {
        const r = recorder();
        const app = await appFor(adapter, { issuer: s.issuer, clientId: RS.clientId, clientSecret: 'not-the-secret', onError: r.onError });
        try {
          assertMisconfigured(await app.call('GET', `/albums/${album}`), app, 'invalid_client');
          const error = assertReported(r.calls, 'invalid_client', 500, album);
          assert.equal(error.kind, 'misconfigured');
          assert.match(error.message, /refused the client credentials of "photoz-rs" \(HTTP 401 invalid_client/);
        } finally {
          await app.close();
        }
      });

      it(`a PAT function that throws → 403 ticket_unavailable pat_supplier_failed, reported with its cause (${adapter})`, async () => {
        const r = recorder();
        const sealed = new Error('vault sealed');
        const app = await appFor(adapter, { issuer: s.issuer, onError: r.onError, pat: () => { throw sealed; } });
        try {
          const res = await app.call('GET', `/albums/${album}`);
          assert.equal(res.status, 403, JSON.stringify(res.json));
          assert.equal(res.headers.warning, '199 - "UMA Authorization Server Unreachable"');
          assert.deepEqual(res.json, { error: 'ticket_unavailable', error_description: 'No permission ticket could be obtained for this request', code: 'pat_supplier_failed' });
          const error = assertReported(r.calls, 'pat_supplier_failed', 403, album);
          assert.equal(error.cause, sealed);
          assert.match(error.message, /vault sealed/);
        } finally {
          await app.close();
        }
      });

      it(`an issuer with a trailing slash, or localhost for 127.0.0.1 → 500 issuer_mismatch, reported (${adapter})`, async () => {
        const cases: Array<[string, RegExp]> = [
          [`${s.issuer}/`, /trailing slash: drop it/],
          [s.issuer.replace('127.0.0.1', 'localhost'), /host localhost vs 127\.0\.0\.1/],
        ];
        for (const [issuer, hint] of cases) {
          const r = recorder();
          const app = await appFor(adapter, { issuer, ...RS, onError: r.onError });
          try {
            assertMisconfigured(await app.call('GET', `/albums/${album}`), app, 'issuer_mismatch');
            assert.match(assertReported(r.calls, 'issuer_mismatch', 500, album).message, hint);
          } finally {
            await app.close();
          }
        }
      });

      it(`a realm that does not exist → 500 discovery_not_found, reported (${adapter})`, async () => {
        const r = recorder();
        const app = await appFor(adapter, { issuer: `${s.baseUrl}/realms/no-such-realm`, ...RS, onError: r.onError });
        try {
          assertMisconfigured(await app.call('GET', `/albums/${album}`), app, 'discovery_not_found');
          assert.match(assertReported(r.calls, 'discovery_not_found', 500, album).message, /HTTP 404.*check the issuer/);
        } finally {
          await app.close();
        }
      });

      it(`an unreachable AS is still 403 + Warning (UMA Grant §3.2.2), reported as_unreachable (${adapter})`, async () => {
        const r = recorder();
        const app = await appFor(adapter, { issuer: `http://127.0.0.1:${await deadPort()}/realms/demo`, ...RS, onError: r.onError });
        try {
          const res = await app.call('GET', `/albums/${album}`);
          assert.equal(res.status, 403);
          assert.equal(res.headers.warning, '199 - "UMA Authorization Server Unreachable"');
          assert.deepEqual(res.json, { error: 'authorization_server_unreachable', error_description: 'The authorization server could not be reached to check or request permissions', code: 'as_unreachable' });
          assert.equal(assertReported(r.calls, 'as_unreachable', 403, album).kind, 'unreachable');
          assert.equal(app.seen.length, 0);
        } finally {
          await app.close();
        }
      });
    }

    it('selfCheck rejects loudly for each misconfiguration', async () => {
      await assertSelfCheckFails({ issuer: s.issuer, clientId: RS.clientId, clientSecret: 'not-the-secret' }, 'invalid_client', /check clientId and clientSecret/);
      await assertSelfCheckFails({ issuer: s.issuer, pat: () => { throw new Error('vault sealed'); } }, 'pat_supplier_failed', /vault sealed/, { resourceId: album });
      await assertSelfCheckFails({ issuer: `${s.issuer}/`, ...RS }, 'issuer_mismatch', /trailing slash/);
      await assertSelfCheckFails({ issuer: s.issuer.replace('127.0.0.1', 'localhost'), ...RS }, 'issuer_mismatch', /announces issuer "http:\/\/127\.0\.0\.1:\d+\/realms\/demo"/);
      await assertSelfCheckFails({ issuer: `${s.baseUrl}/realms/no-such-realm`, ...RS }, 'discovery_not_found', /HTTP 404/);
      await assertSelfCheckFails({ issuer: `http://127.0.0.1:${await deadPort()}/realms/demo`, ...RS }, 'as_unreachable', /unreachable/);
      // The PAT of another realm's client, or a made-up one, is refused at introspection.
      await assertSelfCheckFails({ issuer: s.issuer, pat: () => 'made-up-pat', verify: 'introspection' }, 'pat_rejected', /refused the PAT, and the fresh one too/, { resourceId: album });
    });

    it('the default reporter warns once per misconfiguration code, and says nothing about an unreachable AS', async () => {
      const warn = mock.method(console, 'warn', () => {});
      try {
        const wrong = createUmaEnforcer({ issuer: s.issuer, clientId: RS.clientId, clientSecret: 'not-the-secret', timeoutMs: 2000 });
        for (let i = 0; i < 3; i++) assert.equal((await wrong.check({ resourceId: album, scopes: ['view'] })).ok, false);
        assert.equal(warn.mock.callCount(), 1);
        const line = String(warn.mock.calls[0]!.arguments[0]);
        assert.match(line, /^@steward\/rs: UMA misconfigured \(invalid_client\): .*photoz-rs/);
        assert.equal(line.includes('\n'), false);
        const down = createUmaEnforcer({ issuer: `http://127.0.0.1:${await deadPort()}/realms/demo`, ...RS, timeoutMs: 2000 });
        assert.equal((await down.check({ resourceId: album, scopes: ['view'] })).ok, false);
        assert.equal(warn.mock.callCount(), 1);
      } finally {
        warn.mock.restore();
      }
    });

    for (const verify of ['jwks', 'introspection'] as const) {
      it(`expired, wrong-audience and insufficient RPTs get distinct descriptions in the challenge, each with a ticket (${verify})`, async () => {
        const r = recorder();
        const options = { issuer: s.issuer, realm, ...RS, verify, timeoutMs: 2000, onError: r.onError, introspectionCache: { maxEntries: 0 } };
        const app = await fastifyApp(createUmaEnforcer(options));
        const picky = await expressApp(createUmaEnforcer({ ...options, audience: 'not-this-rs' }));
        try {
          const challengeOf = async (res: AppReply, code: UmaEnforcerErrorCode) => {
            assert.equal(res.status, 401, JSON.stringify(res.json));
            const header = String(res.headers['www-authenticate']);
            const kind = code === 'insufficient_scope' ? 'insufficient_scope' : 'invalid_token';
            const params = `, error="${kind}", error_description="${TOKEN_DESCRIPTIONS[code as keyof typeof TOKEN_DESCRIPTIONS]}"`;
            assert.ok(header.endsWith(params), header);
            // The UMA part is untouched: the ticket still buys an RPT.
            const ticket = ticketOf(header.slice(0, -params.length), realm, s.issuer);
            assert.equal(res.json.ticket, ticket);
            return { header, ticket };
          };
          const first = await app.call('GET', `/albums/${album}`);
          assert.equal(first.headers['www-authenticate'], `UMA realm="${realm}", as_uri="${s.issuer}", ticket="${first.json.ticket}"`, 'no error parameters without a token');
          const rpt = await bobRpt(s, ticketOf(first.headers['www-authenticate'], realm, s.issuer));

          // Insufficient: a valid RPT for view on a route needing pay.
          const pay = await challengeOf(await app.call('POST', `/albums/${album}/pay`, { rpt }), 'insufficient_scope');
          // Wrong audience: the same RPT at a resource server that wants another audience.
          const aud = await challengeOf(await picky.call('GET', `/albums/${album}`, { rpt }), 'token_audience_mismatch');
          // Expired: an RPT issued one day ago by Steward's clock.
          clock.advance(-DAY);
          let old: string;
          try {
            // A fresh enforcer: its PAT is issued by the moved clock too.
            const back = await fastifyApp(createUmaEnforcer(options));
            let ticket: string;
            try {
              const res = await back.call('GET', `/albums/${album}`);
              assert.equal(res.status, 401, `${JSON.stringify(res.json)} ${r.calls.map((c) => c.error.message).join(' | ')}`);
              ticket = ticketOf(res.headers['www-authenticate'], realm, s.issuer);
            } finally {
              await back.close();
            }
            const traded = await bobTrades(s, ticket);
            assert.equal(traded.status, 200, JSON.stringify(traded.json));
            assert.ok(traded.json.expires_in < DAY - 60, 'the RPT lives less than a day');
            old = traded.json.access_token;
          } finally {
            clock.advance(DAY);
          }
          const expired = await challengeOf(await app.call('GET', `/albums/${album}`, { rpt: old }), verify === 'jwks' ? 'token_expired' : 'token_inactive');
          assert.equal(new Set([pay.header, aud.header, expired.header].map((h) => h.slice(h.indexOf(', error=')))).size, 3);
          const codes = r.calls.map((c) => [c.error.code, c.context.status]);
          assert.deepEqual(codes, [
            ['insufficient_scope', 401],
            ['token_audience_mismatch', 401],
            [verify === 'jwks' ? 'token_expired' : 'token_inactive', 401],
          ]);
          assert.equal(app.seen.length + picky.seen.length, 0);
        } finally {
          await app.close();
          await picky.close();
        }
      });
    }

    it('a permission request Steward refuses (a resource it does not know) → 403 ticket_unavailable permission_refused, reported', async () => {
      const r = recorder();
      const app = await appFor('fastify', { issuer: s.issuer, ...RS, onError: r.onError });
      try {
        const res = await app.call('GET', '/albums/no-such-resource');
        assert.equal(res.status, 403, JSON.stringify(res.json));
        assert.equal(res.headers.warning, '199 - "UMA Authorization Server Unreachable"');
        assert.equal(res.json.error, 'ticket_unavailable');
        assert.equal(res.json.code, 'permission_refused');
        assert.equal(r.calls.length, 1);
        assert.equal(r.calls[0]!.error.code, 'permission_refused');
        assert.match(r.calls[0]!.error.message, /refused a ticket for resource/);
      } finally {
        await app.close();
      }
    });
  });
}
