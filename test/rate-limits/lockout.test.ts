/**
 * Progressive lockout after failed passwords, on both stores: the owner API's sign-in (CREST 429) and
 * the password grant (OAuth 429) share the count of a user name; an unknown name is treated exactly
 * like a known one; the lockout ends, doubles after a new failure, and a success forgets failures.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { TestClock } from '../helpers/steward.ts';
import { basic, DEMO, postForm, request, type Reply } from '../helpers/http.ts';
import { startConfigured, type ConfiguredSteward } from '../operations/fixture.ts';
import { Browser, RS_CALLBACK } from '../authorization-code/browser.ts';

const AUTHENTICATE = '/json/realms/root/realms/demo/authenticate';

for (const dialect of dialects) {
  describe(`lockout after failed passwords (${dialect})`, () => {
    let steward: ConfiguredSteward;
    const clock = new TestClock();

    before(async () => {
      steward = await startConfigured(dialect, { lockoutThreshold: 3, lockoutSeconds: 60, lockoutMaxSeconds: 900, rateLimitLoginPerIp: 0 }, { clock });
    });
    after(() => steward?.close());

    const signIn = (username: string, password: string): Promise<Reply> =>
      request(steward.app, 'POST', AUTHENTICATE, { headers: { 'x-openam-username': username, 'x-openam-password': password } });
    const passwordGrant = (username: string, password: string): Promise<Reply> =>
      postForm(steward.app, DEMO.token, { grant_type: 'password', username, password }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });

    function assertLockedCrest(res: Reply, retryAfter: number): void {
      assert.equal(res.status, 429, res.body);
      assert.equal(res.headers['retry-after'], String(retryAfter));
      assert.deepEqual(res.json, { code: 429, reason: 'Too Many Requests', message: 'Too many failed sign-in attempts; try again later' });
    }

    it('locks a known name after the threshold, refusing even the right password, in both API styles', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await signIn('alice', 'wrong')).status, 401);
      assertLockedCrest(await signIn('alice', DEMO.password), 60);
      const grant = await passwordGrant('alice', DEMO.password);
      assert.equal(grant.status, 429, grant.body);
      assert.equal(grant.headers['retry-after'], '60');
      assert.deepEqual(grant.json, { error: 'too_many_requests', error_description: 'Too many failed sign-in attempts; try again later' });
      assert.equal((await signIn('bob', DEMO.password)).status, 200, 'other names are not affected');
    });

    it('answers an unknown name exactly as a known one', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await signIn('no-such-user', 'wrong')).status, 401);
      const unknown = await signIn('no-such-user', 'wrong');
      assertLockedCrest(unknown, 60);
      const known = await signIn('alice', 'anything');
      assert.equal(known.body, unknown.body);
      assert.equal(known.headers['retry-after'], unknown.headers['retry-after']);
    });

    it('counts failures of the password grant and the sign-in together', async () => {
      assert.equal((await passwordGrant('chris', 'wrong')).status, 400);
      assert.equal((await signIn('chris', 'wrong')).status, 401);
      assert.equal((await passwordGrant('chris', 'wrong')).status, 400);
      assertLockedCrest(await signIn('chris', DEMO.password), 60);
    });

    it('ends the lockout, doubles it after the next failure, and forgets failures after a success', async () => {
      clock.advance(30);
      assertLockedCrest(await signIn('alice', DEMO.password), 30);
      clock.advance(30);
      assert.equal((await signIn('alice', 'wrong')).status, 401, 'the lockout is over; the failure counts');
      assertLockedCrest(await signIn('alice', DEMO.password), 120);
      clock.advance(120);
      assert.equal((await signIn('alice', DEMO.password)).status, 200);
      for (let i = 0; i < 2; i++) assert.equal((await signIn('alice', 'wrong')).status, 401);
      assert.equal((await signIn('alice', DEMO.password)).status, 200, 'two failures after a success do not lock');
    });

    it('refuses a locked-out name on the login page with a 429 page and Retry-After', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await signIn('mallory', 'wrong')).status, 401);
      const browser = new Browser(steward.app);
      const { hidden } = await browser.authorize({ client_id: DEMO.rs.id, redirect_uri: RS_CALLBACK, response_type: 'code', state: 's' });
      const page = await browser.submit(hidden, { action: 'allow', username: 'mallory', password: 'anything' });
      assert.equal(page.status, 429, page.body);
      assert.equal(page.headers['retry-after'], '60');
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(page.body, /Too many failed sign-in attempts/);
      assert.equal(page.headers.location, undefined);
    });

    it('forgets failures after the reset period without one', async () => {
      for (let i = 0; i < 2; i++) assert.equal((await signIn('dave', 'wrong')).status, 401);
      clock.advance(3601);
      assert.equal((await signIn('dave', 'wrong')).status, 401);
      assert.equal((await signIn('dave', DEMO.password)).status, 200, 'the count started again');
    });
  });
}
