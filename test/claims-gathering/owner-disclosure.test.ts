/**
 * @module test/claims-gathering/owner-disclosure
 * A permission ticket travels in the browser's address bar: whoever holds it must not learn whose
 * resources it is about. Before the requesting party signs in, the claims pages (UMA Grant §3.3.2)
 * name only the client application, never the owner's username nor her resources' names or scopes,
 * including after a failed sign-in; once she is signed in, the consent page shows who owns what, so
 * she knows what she confirms her identity for.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertError, UmaWorld } from '../uma-grant/fixture.ts';
import { assertPage, CALLBACK, CLAIMS, claimsUrl, hiddenFields, Jar, location } from './fixture.ts';

const RESOURCE = 'Medical record 2024';

for (const dialect of dialects) {
  describe(`the claims pages name the owner only after sign-in (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    before(async () => {
      s = await startTestSteward(dialect);
      w = new UmaWorld(s);
    });
    after(async () => s?.close());

    /** The need_info ticket the client gets for one of alice's resources (shared with bob). */
    async function needInfoTicket(): Promise<string> {
      const r = await w.resource('alice', ['view', 'annotate'], RESOURCE);
      await w.share('alice', r, [{ subject: 'bob', scopes: ['view', 'annotate'] }]);
      const res = await w.grant({ ticket: await w.ticket('alice', [[r, ['view', 'annotate']]]) });
      assertError(res, 403, 'need_info');
      return res.json.ticket;
    }

    function assertNothingOfTheOwner(body: string): void {
      assert.doesNotMatch(body, /alice/i, 'the owner\'s username');
      assert.doesNotMatch(body, /Medical record/, 'the resource\'s name');
      assert.doesNotMatch(body, /annotate/, 'the scopes asked for');
    }

    it('the sign-in page names the client only, also after a wrong password; the consent page shows the owner and her resources', async () => {
      const ticket = await needInfoTicket();
      const jar = new Jar(s.app);
      const page = await jar.request('GET', claimsUrl({ client_id: DEMO.client.id, ticket, claims_redirect_uri: CALLBACK, state: 's1' }));
      assertPage(page, 200, /Sign in to continue/);
      assert.match(page.body, /Photoz client/);
      assertNothingOfTheOwner(page.body);

      const wrong = await jar.request('POST', CLAIMS, { ...hiddenFields(page.body), action: 'signin', username: 'bob', password: 'wrong' });
      assertPage(wrong, 401, /Invalid username or password/);
      assertNothingOfTheOwner(wrong.body);

      const signedIn = location(await jar.request('POST', CLAIMS, { ...hiddenFields(wrong.body), action: 'signin', username: 'bob', password: DEMO.password }));
      const consent = await jar.request('GET', signedIn.pathname + signedIn.search);
      assertPage(consent, 200, /asks to confirm who you are/);
      assert.match(consent.body, /<strong>alice<\/strong>’s resources/);
      assert.match(consent.body, /Medical record 2024 <span class="muted">\(view, annotate\)<\/span>/);
    });
  });
}
