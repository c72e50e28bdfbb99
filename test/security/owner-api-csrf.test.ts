/**
 * Security: cross-site request forgery on the owner APIs. `authenticate` also sets the session as a
 * cookie (SameSite=Lax), and a page on any same-site origin (another port of the host, a sibling
 * subdomain) can make the browser send it with a form post. A cookie alone therefore never changes
 * anything: every owner write (policies, re-shares, authorization policies, access-request answers,
 * sign-out) needs the session in its header or a bearer token, and a read with the cookie alone is
 * refused when the browser says it comes from another site. Each refusal is checked against the
 * store afterwards: nothing changed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { bearer, request, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertCrest, policyUrl, session, signIn, userAccessToken, userId } from '../owner-policies/fixture.ts';
import { assertError, UmaWorld } from '../uma-grant/fixture.ts';
import { accessRequestsOf } from '../../packages/store/test/helpers/lists.ts';

const BASE = '/json/realms/root/realms/demo';
const COOKIE = 'iPlanetDirectoryPro';
const FOREIGN = { origin: 'http://127.0.0.1:9999', 'sec-fetch-site': 'same-site' };

function pendingUrl(user: string, id?: string): string {
  return `${BASE}/users/${user}/uma/pendingrequests${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;
}

function authzPolicyUrl(user: string, id: string): string {
  return `${BASE}/users/${user}/policies/${encodeURIComponent(id)}`;
}

/** What a same-site page's form or fetch sends: the browser's cookie, never the session header. */
function cookieOnly(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { cookie: `${COOKIE}=${token}`, 'accept-api-version': 'resource=1.0', ...extra };
}

for (const dialect of dialects) {
  describe(`security: owner API writes never act on the session cookie alone (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    let alice: string;
    let bob: string;
    let aliceId: string;
    let bobId: string;
    let shared: string;
    let asked: string;
    let pending: string;
    let denied: string;

    before(async () => {
      s = await startTestSteward(dialect);
      w = new UmaWorld(s);
      alice = await signIn(s, 'alice');
      bob = await signIn(s, 'bob');
      aliceId = await userId(s, 'alice');
      bobId = await userId(s, 'bob');
      // Alice shares one resource with Bob, who re-shares it with Chris.
      shared = await w.resource('alice', ['view', 'comment']);
      await w.share('alice', shared, [{ subject: 'bob', scopes: ['view', 'comment'] }]);
      const reshare = await request(s.app, 'PUT', policyUrl('bob', shared), { headers: session(bob), body: { policyId: shared, permissions: [{ subject: 'chris', scopes: ['view'] }] } });
      assert.equal(reshare.status, 201, reshare.body);
      // Chris and Dave ask for another of her resources; Alice denies Dave's request.
      asked = await w.resource('alice', ['view', 'print']);
      for (const party of ['chris', 'dave']) assertError(await w.grantAs(party, { ticket: await w.ticket('alice', [[asked, ['view']]]) }), 403, 'request_submitted');
      const requests = await accessRequestsOf(s.deps.store, 'demo', aliceId, 'pending');
      assert.equal(requests.length, 2);
      [pending, denied] = requests.map((r) => r.id) as [string, string];
      const deny = await request(s.app, 'POST', `${pendingUrl('alice', denied)}?_action=deny`, { headers: session(alice) });
      assert.equal(deny.status, 200, deny.body);
    });
    after(async () => s?.close());

    /** Everything an owner write could change, read from the store. */
    async function state(): Promise<unknown> {
      const policy = async (owner: string) => {
        const p = await s.deps.store.policies.get('demo', owner, shared);
        return p && { rev: p.rev, permissions: p.permissions };
      };
      const requests = (await accessRequestsOf(s.deps.store, 'demo', aliceId)).map((r) => ({ id: r.id, status: r.status, scopes: r.scopes, approved: r.approvedScopes ?? null }));
      const signedIn = await Promise.all([alice, bob].map(async (token) => (await request(s.app, 'GET', `${BASE}/users/alice/uma/policies?_queryFilter=true`, { headers: session(token) })).status));
      return { alice: await policy(aliceId), bob: await policy(bobId), requests: requests.sort((a, b) => a.id.localeCompare(b.id)), signedIn };
    }

    /** Every owner write as a same-site page makes the browser send it: the session in the cookie only. */
    function writes(): Array<[string, () => Promise<Reply>]> {
      const json = (method: 'PUT' | 'DELETE' | 'POST', url: string, token: string, body?: unknown) => () =>
        request(s.app, method, url, { headers: cookieOnly(token, FOREIGN), ...(body === undefined ? {} : { body }) });
      const textPlain = (url: string, token: string) => () =>
        request(s.app, 'POST', url, { headers: cookieOnly(token, { ...FOREIGN, 'content-type': 'text/plain' }), body: 'x=y' });
      return [
        ['PUT uma/policies (share with someone else)', json('PUT', policyUrl('alice', shared), alice, { policyId: shared, permissions: [{ subject: 'dave', scopes: ['view', 'comment'] }] })],
        ['DELETE uma/policies', json('DELETE', policyUrl('alice', shared), alice)],
        ['PUT uma/policies as the re-sharer', json('PUT', policyUrl('bob', shared), bob, { policyId: shared, permissions: [{ subject: 'dave', scopes: ['view'] }] })],
        ['DELETE the re-share', json('DELETE', policyUrl('bob', shared), bob)],
        ['PUT an authorization policy', json('PUT', authzPolicyUrl('alice', `${shared}~bob`), alice, { subject: { type: 'Uma', claimValue: 'bob' }, actionValues: { view: true } })],
        ['DELETE an authorization policy', json('DELETE', authzPolicyUrl('alice', `${shared}~bob`), alice)],
        ['pendingrequests _action=approve', json('POST', `${pendingUrl('alice', pending)}?_action=approve`, alice)],
        ['pendingrequests _action=deny', json('POST', `${pendingUrl('alice', pending)}?_action=deny`, alice)],
        ['pendingrequests _action=reopen', json('POST', `${pendingUrl('alice', denied)}?_action=reopen`, alice)],
        ['pendingrequests _action=approveAll (text/plain form)', textPlain(`${pendingUrl('alice')}?_action=approveAll`, alice)],
        ['pendingrequests _action=denyAll (text/plain form)', textPlain(`${pendingUrl('alice')}?_action=denyAll`, alice)],
        ['sessions _action=logout', json('POST', `${BASE}/sessions?_action=logout`, alice)],
      ];
    }

    it('refuses every owner write carrying the session as a cookie only (401, CREST), and nothing changes', async () => {
      const before = await state();
      for (const [what, send] of writes()) {
        const res = await send();
        assert.equal(res.status, 401, `${what}: ${res.status} ${res.body}`);
        assertCrest(res, 401, 'Unauthorized', 'Access Denied');
        assert.deepEqual(await state(), before, `${what} changed something`);
      }
    });

    it('refuses the cookie for a write without any Origin header too', async () => {
      const before = await state();
      const res = await request(s.app, 'POST', `${pendingUrl('alice')}?_action=approveAll`, { headers: cookieOnly(alice) });
      assertCrest(res, 401, 'Unauthorized', 'Access Denied');
      const out = await request(s.app, 'POST', `${BASE}/sessions?_action=logout`, { headers: cookieOnly(alice) });
      assertCrest(out, 401, 'Unauthorized', 'Access Denied');
      assert.deepEqual(await state(), before);
    });

    it('refuses a read with the cookie alone when the browser says it comes from another site', async () => {
      const url = `${BASE}/users/alice/uma/policies?_queryFilter=true`;
      for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'http://evil.example' }, FOREIGN] as Array<Record<string, string>>) {
        const res = await request(s.app, 'GET', url, { headers: cookieOnly(alice, headers) });
        assert.equal(res.status, 401, `${JSON.stringify(headers)}: ${res.body}`);
        assertCrest(res, 401, 'Unauthorized', 'Access Denied');
        assert.ok(!res.body.includes(shared), 'nothing of hers is answered');
      }
      for (const headers of [{}, { 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'none' }, { origin: 'http://127.0.0.1:8080' }] as Array<Record<string, string>>) {
        const res = await request(s.app, 'GET', url, { headers: cookieOnly(alice, headers) });
        assert.equal(res.status, 200, `cookie read ${JSON.stringify(headers)}: ${res.body}`);
      }
    });

    it('still takes the session from its header for writes, whatever the Origin, and a bearer token', async () => {
      const put = await request(s.app, 'PUT', policyUrl('alice', shared), { headers: session(alice, { ...FOREIGN, cookie: `${COOKIE}=not-a-session` }), body: { policyId: shared, permissions: [{ subject: 'bob', scopes: ['view'] }] } });
      assert.equal(put.status, 200, put.body);
      assert.deepEqual((await s.deps.store.policies.get('demo', aliceId, shared))?.permissions, [{ subject: 'bob', scopes: ['view'] }]);
      const token = await userAccessToken(s, 'alice');
      const approved = await request(s.app, 'POST', `${pendingUrl('alice', pending)}?_action=approve`, { headers: { authorization: bearer(token), cookie: `${COOKIE}=${bob}` } });
      assert.equal(approved.status, 200, approved.body);
      assert.equal((await s.deps.store.accessRequests.get('demo', aliceId, pending))?.status, 'approved');
      const out = await request(s.app, 'POST', `${BASE}/sessions?_action=logout`, { headers: session(bob) });
      assert.equal(out.status, 200, out.body);
      assertCrest(await request(s.app, 'GET', policyUrl('bob', shared), { headers: session(bob) }), 401, 'Unauthorized', 'Access Denied');
    });
  });
}
