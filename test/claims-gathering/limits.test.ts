/**
 * The claims pages' sign-in under the sign-in limits, on both stores: the per-address request limit
 * and the lockout after failed passwords (per user name and address) both answer a 429 page, and spend no ticket.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO } from '../helpers/http.ts';
import { startConfigured, type ConfiguredSteward } from '../operations/fixture.ts';
import { assertError, UmaWorld } from '../uma-grant/fixture.ts';
import { assertPage, CALLBACK, CLAIMS, Jar, location, signInPage } from './fixture.ts';

for (const dialect of dialects) {
  describe(`claims gathering: sign-in limits (${dialect})`, () => {
    let s: ConfiguredSteward;
    let w: UmaWorld;

    before(async () => {
      s = await startConfigured(dialect, { rateLimitWindow: 3600, rateLimitLoginPerIp: 3, lockoutThreshold: 2 });
      w = new UmaWorld({ ...s, dialect, issuer: `${s.baseUrl}/realms/demo` });
    });
    after(() => s?.close());

    async function needInfo(): Promise<string> {
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view'] }]);
      const res = await w.grant({ ticket: await w.ticket('alice', [[r, ['view']]]) });
      assertError(res, 403, 'need_info');
      return res.json.ticket;
    }

    it('counts the claims sign-in form against the per-address limit: beyond it a 429 page with Retry-After', async () => {
      const t = await needInfo();
      const jar = new Jar(s.app, '192.0.2.20');
      const fields = await signInPage(jar, { client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK });
      for (let i = 0; i < 3; i++) location(await jar.request('POST', CLAIMS, { ...fields, action: 'signin', username: 'chris', password: DEMO.password }));
      const refused = await jar.request('POST', CLAIMS, { ...fields, action: 'signin', username: 'chris', password: DEMO.password });
      assertPage(refused, 429, /Too many requests/);
      assert.ok(Number(refused.headers['retry-after']) >= 1);
      assertPage(await jar.request('POST', CLAIMS, { ...fields, action: 'allow' }), 429);
      assertError(await w.grant({ ticket: t }), 403, 'need_info');
    });

    it('locks the user name out at that address after failed passwords, even with the right one, and spends nothing', async () => {
      const t = await needInfo();
      const jar = new Jar(s.app, '192.0.2.21');
      const fields = await signInPage(jar, { client_id: DEMO.client.id, ticket: t, claims_redirect_uri: CALLBACK });
      for (let i = 0; i < 2; i++) assertPage(await jar.request('POST', CLAIMS, { ...fields, action: 'signin', username: 'dave', password: 'wrong' }), 401, /Invalid username or password/);
      const locked = await jar.request('POST', CLAIMS, { ...fields, action: 'signin', username: 'dave', password: DEMO.password });
      assertPage(locked, 429, /failed sign-in attempts/);
      assert.equal(jar.get('steward_session_demo'), undefined);
      assertError(await w.grant({ ticket: t }), 403, 'need_info');
    });
  });
}
