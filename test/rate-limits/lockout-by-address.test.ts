/**
 * Lockout is no denial of service: failed passwords lock a user name at the address they came from,
 * so someone elsewhere cannot lock the owner out of her own sign-in with a handful of wrong passwords;
 * a higher ceiling per user name across all addresses still bounds guessing spread over many
 * addresses. Every sign-in path counts by the client's address: the owner API's `authenticate`, the
 * password grant, the login page and the claims page. Unknown names are counted exactly like known ones.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { TestClock } from '../helpers/steward.ts';
import { basic, DEMO, toReply, type Reply } from '../helpers/http.ts';
import { startConfigured, type ConfiguredSteward } from '../operations/fixture.ts';
import { Browser, RS_CALLBACK } from '../authorization-code/browser.ts';
import { assertError, UmaWorld } from '../uma-grant/fixture.ts';
import { CALLBACK, claimsUrl, CLAIMS, hiddenFields, Jar } from '../claims-gathering/fixture.ts';

const AUTHENTICATE = '/json/realms/root/realms/demo/authenticate';
const OWNER_HOME = '198.51.100.20';
const ATTACKER = '203.0.113.7';

for (const dialect of dialects) {
  describe(`lockout per user name and address, with a ceiling per user name (${dialect})`, () => {
    let steward: ConfiguredSteward;
    const clock = new TestClock();

    before(async () => {
      steward = await startConfigured(dialect, { lockoutThreshold: 3, lockoutUserThreshold: 9, lockoutSeconds: 60, lockoutMaxSeconds: 900, rateLimitLoginPerIp: 0 }, { clock });
    });
    after(() => steward?.close());

    const signIn = async (username: string, password: string, from: string): Promise<Reply> =>
      toReply(await steward.app.inject({ method: 'POST', url: AUTHENTICATE, remoteAddress: from, headers: { 'x-openam-username': username, 'x-openam-password': password } }));
    const passwordGrant = async (username: string, password: string, from: string): Promise<Reply> =>
      toReply(
        await steward.app.inject({
          method: 'POST',
          url: DEMO.token,
          remoteAddress: from,
          payload: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(DEMO.rs.id, DEMO.rs.secret) },
        }),
      );
    /** The login page's form posted from `from` (the page itself fetched first, for its CSRF cookie). */
    async function loginPage(username: string, password: string, from: string): Promise<Reply> {
      const browser = new Browser(steward.app);
      const { hidden } = await browser.authorize({ client_id: DEMO.rs.id, redirect_uri: RS_CALLBACK, response_type: 'code', state: 's' });
      const cookie = [...browser.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
      const payload = new URLSearchParams({ ...hidden, action: 'allow', username, password }).toString();
      return toReply(await steward.app.inject({ method: 'POST', url: '/realms/demo/protocol/openid-connect/auth', remoteAddress: from, payload, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } }));
    }
    const address = (i: number) => `192.0.2.${i + 1}`;

    function assertLocked(res: Reply, retryAfter: number): void {
      assert.equal(res.status, 429, res.body);
      assert.equal(res.headers['retry-after'], String(retryAfter));
      assert.deepEqual(res.json, { code: 429, reason: 'Too Many Requests', message: 'Too many failed sign-in attempts; try again later' });
    }

    it('failures from one address lock the name there only: the owner still signs in from hers, by every path', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await signIn('alice', 'wrong', ATTACKER)).status, 401);
      assertLocked(await signIn('alice', DEMO.password, ATTACKER), 60);
      assert.equal((await passwordGrant('alice', DEMO.password, ATTACKER)).status, 429, 'the password grant counts by address too');
      assert.equal((await signIn('alice', DEMO.password, OWNER_HOME)).status, 200, 'the owner at home is not locked out');
      assert.equal((await passwordGrant('alice', DEMO.password, OWNER_HOME)).status, 200);
      assert.equal((await loginPage('alice', DEMO.password, OWNER_HOME)).status, 303);
      assertLocked(await signIn('alice', DEMO.password, ATTACKER), 60);
    });

    it('an unknown name is counted per address exactly like a known one', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await signIn('no-such-user', 'wrong', ATTACKER)).status, 401);
      const unknown = await signIn('no-such-user', 'wrong', ATTACKER);
      assertLocked(unknown, 60);
      assert.equal((await signIn('no-such-user', 'wrong', OWNER_HOME)).status, 401);
    });

    it('failures spread over many addresses lock the name everywhere once they reach the ceiling per user name', async () => {
      clock.advance(3600);
      for (let i = 0; i < 8; i++) assert.equal((await signIn('bob', 'wrong', address(i))).status, 401);
      assert.equal((await signIn('bob', DEMO.password, OWNER_HOME)).status, 200, 'below the ceiling, and a success forgets the failures');
      for (let i = 0; i < 9; i++) assert.equal((await (i % 2 === 0 ? signIn('bob', 'wrong', address(i)) : passwordGrant('bob', 'wrong', address(i)))).status, i % 2 === 0 ? 401 : 400);
      assertLocked(await signIn('bob', DEMO.password, OWNER_HOME), 60);
      assertLocked(await signIn('bob', DEMO.password, address(100)), 60);
      // Unknown names reach the same ceiling the same way.
      for (let i = 0; i < 9; i++) assert.equal((await signIn('nobody-at-all', 'wrong', address(i))).status, 401);
      assert.equal((await signIn('nobody-at-all', 'wrong', address(100))).body, (await signIn('bob', 'wrong', address(101))).body);
      clock.advance(60);
      assert.equal((await signIn('bob', DEMO.password, OWNER_HOME)).status, 200, 'the lockout ends');
    });

    it('the login page and the claims page count by the browser\'s address', async () => {
      clock.advance(3600);
      for (let i = 0; i < 3; i++) assert.equal((await loginPage('chris', 'wrong', ATTACKER)).status, 401);
      const locked = await loginPage('chris', DEMO.password, ATTACKER);
      assert.equal(locked.status, 429, locked.body);
      assert.match(locked.body, /Too many failed sign-in attempts/);

      const w = new UmaWorld(steward as unknown as ConstructorParameters<typeof UmaWorld>[0]);
      const r = await w.resource('alice', ['view']);
      await w.share('alice', r, [{ subject: 'chris', scopes: ['view'] }]);
      const refused = await w.grant({ ticket: await w.ticket('alice', [[r, ['view']]]) });
      assertError(refused, 403, 'need_info');
      const params = { client_id: DEMO.client.id, ticket: refused.json.ticket, claims_redirect_uri: CALLBACK };
      const attacker = new Jar(steward.app, ATTACKER);
      const attackerPage = await attacker.request('GET', claimsUrl(params));
      const claimsLocked = await attacker.request('POST', CLAIMS, { ...hiddenFields(attackerPage.body), action: 'signin', username: 'chris', password: DEMO.password });
      assert.equal(claimsLocked.status, 429, claimsLocked.body);
      const owner = new Jar(steward.app, OWNER_HOME);
      const ownerPage = await owner.request('GET', claimsUrl(params));
      const signedIn = await owner.request('POST', CLAIMS, { ...hiddenFields(ownerPage.body), action: 'signin', username: 'chris', password: DEMO.password });
      assert.equal(signedIn.status, 303, signedIn.body);
    });
  });
}
