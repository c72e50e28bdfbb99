/**
 * The client kit against a real Steward over HTTP, on both stores: Bob's client (photoz-client, Bob's
 * ID token as claim token) reads Alice's photos from a resource server that answers the UMA challenge
 * itself. The full loop from 401 to 200, RPT reuse, upgrade, PCT, refresh of an expired RPT, polling
 * while Alice decides, need_info without claims, and a still-shared resource after another share was
 * revoked (the refused RPT is dropped and the grant retried once without it).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createUmaClient, UmaError, type NeedInfo } from '@steward/client';
import { dialects } from '../../store/test/databases.ts';
import { startTestSteward, type TestSteward } from '../../../test/helpers/steward.ts';
import { recordingFetch, startResourceServer, type Protected } from './fixtures.ts';

const PASSWORD = 'Ch4ng31t';
const ID_TOKEN = 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken';
const basic = (id: string, secret: string) => `Basic ${btoa(`${id}:${secret}`)}`;

async function passwordGrant(issuer: string, client: [string, string], username: string, scope: string): Promise<any> {
  const res = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { authorization: basic(...client), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username, password: PASSWORD, scope }).toString(),
  });
  assert.equal(res.status, 200);
  return res.json();
}

for (const dialect of dialects) {
  describe(`client kit against Steward (${dialect})`, () => {
    let s: TestSteward;
    let rs: Awaited<ReturnType<typeof startResourceServer>>;
    let pat: string;
    let sso: string;
    let bobIdToken: string;
    const ids: Record<string, string> = {};

    async function share(name: string): Promise<void> {
      const res = await fetch(`${s.baseUrl}/json/realms/root/realms/demo/users/alice/uma/policies/${ids[name]}`, {
        method: 'PUT',
        headers: { iPlanetDirectoryPro: sso, 'content-type': 'application/json' },
        body: JSON.stringify({ policyId: ids[name], permissions: [{ subject: 'bob', scopes: ['view'] }] }),
      });
      assert.equal(res.status, 201, await res.text());
    }

    async function introspect(token: string): Promise<any> {
      const res = await fetch(`${s.issuer}/protocol/openid-connect/token/introspect`, {
        method: 'POST',
        headers: { authorization: `Bearer ${pat}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }).toString(),
      });
      return res.json();
    }

    before(async () => {
      s = await startTestSteward(dialect, { listen: true });
      // Poll every second (the demo realm says 5): set before the first request caches the realm.
      const realm = await s.deps.store.realms.get('demo');
      assert.ok(realm);
      assert.ok(await s.deps.store.realms.update({ ...realm, settings: { ...realm.settings, pollInterval: 1 } }));
      pat = (await passwordGrant(s.issuer, ['photoz-rs', 'photoz-rs-secret'], 'alice', 'uma_protection')).access_token;
      const resources: Protected[] = [];
      for (const name of ['one', 'two', 'three', 'four', 'pending', 'kept', 'revoked']) {
        const res = await fetch(`${s.issuer}/authz/protection/resource_set`, {
          method: 'POST',
          headers: { authorization: `Bearer ${pat}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `photo ${name}`, resource_scopes: ['view', 'download'] }),
        });
        assert.equal(res.status, 201);
        ids[name] = ((await res.json()) as any)._id;
        resources.push({ path: `/photos/${name}`, resourceId: ids[name]!, scope: 'view' });
      }
      const auth = await fetch(`${s.baseUrl}/json/realms/root/realms/demo/authenticate`, { method: 'POST', headers: { 'x-openam-username': 'alice', 'x-openam-password': PASSWORD } });
      assert.equal(auth.status, 200);
      sso = ((await auth.json()) as any).tokenId;
      for (const name of ['one', 'two', 'three', 'four', 'kept', 'revoked']) await share(name);
      bobIdToken = (await passwordGrant(s.issuer, ['photoz-client', 'photoz-client-secret'], 'bob', 'openid')).id_token;
      rs = await startResourceServer(s.issuer, pat, resources);
      uma = makeUma();
    });
    after(async () => {
      await rs?.close();
      await s?.close();
    });

    let now = Date.now();
    const rec = recordingFetch();
    let claimTokenCalls = 0;
    let claimTokenAvailable = true;
    // Built once the server is up: trustedAs names its issuer.
    let uma: ReturnType<typeof createUmaClient>;
    const makeUma = () => createUmaClient({
      trustedAs: [s.issuer],
      clientId: 'photoz-client',
      clientSecret: 'photoz-client-secret',
      claimToken: async () => {
        claimTokenCalls++;
        return claimTokenAvailable ? { token: bobIdToken, format: ID_TOKEN } : null;
      },
      fetch: rec.fetch,
      now: () => now,
    });

    it('answers the challenge: 401 → ticket → RPT → 200 with the RPT', async () => {
      const res = await uma.fetch(`${rs.url}/photos/one`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { path: '/photos/one', resource: ids['one'] });
      assert.deepEqual(rs.log.map((l) => l.status), [401, 200]);
      assert.equal(rs.log[0]!.authorization, undefined);
      const rpt = uma.rptFor(s.issuer);
      assert.ok(rpt);
      assert.equal(rs.log[1]!.authorization, `Bearer ${rpt}`);
      assert.equal(rec.grants.length, 1);
      const sent = rec.grants[0]!.params;
      assert.equal(sent.get('grant_type'), 'urn:ietf:params:oauth:grant-type:uma-ticket');
      assert.equal(sent.get('claim_token'), bobIdToken);
      assert.equal(sent.get('claim_token_format'), ID_TOKEN);
      assert.equal(sent.get('rpt'), null);
      assert.ok(sent.get('ticket'));
      assert.ok(uma.pct(s.issuer), 'Steward returned a PCT and the client keeps it');
      const info = uma.rptInfo(s.issuer);
      assert.ok(info?.refreshable);
      assert.ok(info.expiresAt !== undefined && info.expiresAt > now);
    });

    it('reuses the RPT on the next request: no challenge, no grant', async () => {
      const before = rs.log.length;
      const res = await uma.fetch(new URL(`${rs.url}/photos/one`));
      assert.equal(res.status, 200);
      assert.deepEqual(rs.log.slice(before).map((l) => [l.status, l.authorization]), [[200, `Bearer ${uma.rptFor(s.issuer)}`]]);
      assert.equal(rec.grants.length, 1);
    });

    it('upgrades the RPT for a second resource (rpt sent, upgraded: true, both permissions)', async () => {
      const old = uma.rptFor(s.issuer);
      const res = await uma.fetch(`${rs.url}/photos/two`);
      assert.equal(res.status, 200);
      assert.equal(rec.grants.length, 2);
      assert.equal(rec.grants[1]!.params.get('rpt'), old);
      assert.equal(rec.grants[1]!.body.upgraded, true);
      assert.equal(uma.rptInfo(s.issuer)?.upgraded, true);
      const intro = await introspect(uma.rptFor(s.issuer)!);
      assert.deepEqual(intro.permissions.map((p: any) => p.resource_id).sort(), [ids['one'], ids['two']].sort());
      const again = await uma.fetch(`${rs.url}/photos/one`);
      assert.equal(again.status, 200);
      assert.equal(rec.grants.length, 2);
    });

    it('uses the PCT on later grants and asks for no claim token', async () => {
      const pct = uma.pct(s.issuer);
      claimTokenAvailable = false;
      const calls = claimTokenCalls;
      const res = await uma.fetch(`${rs.url}/photos/three`);
      assert.equal(res.status, 200);
      const sent = rec.grants.at(-1)!.params;
      assert.equal(sent.get('pct'), pct);
      assert.equal(sent.get('claim_token'), null);
      assert.equal(claimTokenCalls, calls);
    });

    it('refreshes an expired RPT with its refresh token before sending it', async () => {
      const old = uma.rptFor(s.issuer)!;
      const count = rec.grants.length;
      now += 3600_000;
      const res = await uma.fetch(`${rs.url}/photos/one`);
      assert.equal(res.status, 200);
      assert.equal(rec.grants.length, count + 1);
      assert.equal(rec.grants.at(-1)!.params.get('grant_type'), 'refresh_token');
      assert.notEqual(uma.rptFor(s.issuer), old);
      assert.equal(rs.log.at(-1)!.authorization, `Bearer ${uma.rptFor(s.issuer)}`);
    });

    it('polls after request_submitted until Alice shares, then gets the resource', async () => {
      claimTokenAvailable = true;
      const count = rec.grants.length;
      let shared: Promise<void> | undefined;
      const polling = createUmaClient({
        trustedAs: [s.issuer],
        clientId: 'photoz-client',
        clientSecret: 'photoz-client-secret',
        claimToken: async () => ({ token: bobIdToken, format: ID_TOKEN }),
        fetch: async (input, init) => {
          const res = await rec.fetch(input, init);
          // Alice decides once the first request is pending.
          if (rec.grants.at(-1)?.body?.error === 'request_submitted') shared ??= share('pending');
          return res;
        },
      });
      const res = await polling.fetch(`${rs.url}/photos/pending`);
      assert.equal(res.status, 200);
      await shared;
      const grants = rec.grants.slice(count);
      assert.equal(grants[0]!.body.error, 'request_submitted');
      assert.equal(grants[0]!.body.interval, 1);
      assert.equal(grants.at(-1)!.status, 200);
      // Each poll presents the ticket the previous answer rotated to.
      for (let i = 1; i < grants.length; i++) assert.equal(grants[i]!.params.get('ticket'), grants[i - 1]!.body.ticket);
    });

    it('need_info without any claims: onNeedInfo gets redirect_user, then UmaError need_info', async () => {
      const seen: NeedInfo[] = [];
      const anonymous = createUmaClient({ trustedAs: [s.issuer], clientId: 'photoz-client', clientSecret: 'photoz-client-secret', onNeedInfo: (info) => void seen.push(info) });
      const err = await anonymous.fetch(`${rs.url}/photos/four`).then(
        () => assert.fail('expected need_info'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof UmaError);
      assert.equal(err.code, 'need_info');
      assert.equal(err.redirectUser, `${s.issuer}/uma/claims`);
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.redirectUser, err.redirectUser);
      assert.equal(seen[0]!.ticket, err.ticket);
      assert.equal(anonymous.rptFor(s.issuer), null);
    });

    it('gets a still-shared resource after Alice revoked another share: the revoked RPT is refused, dropped, and the grant retried once without it', async () => {
      const client = createUmaClient({
        trustedAs: [s.issuer],
        clientId: 'photoz-client',
        clientSecret: 'photoz-client-secret',
        claimToken: async () => ({ token: bobIdToken, format: ID_TOKEN }),
        fetch: rec.fetch,
      });
      assert.equal((await client.fetch(`${rs.url}/photos/revoked`)).status, 200);
      assert.equal((await client.fetch(`${rs.url}/photos/kept`)).status, 200);
      const held = client.rptFor(s.issuer)!;
      assert.deepEqual((await introspect(held)).permissions.map((p: any) => p.resource_id).sort(), [ids['kept'], ids['revoked']].sort());
      // Alice stops sharing one photo: Steward revokes the grants holding it, this RPT with them.
      const removed = await fetch(`${s.baseUrl}/json/realms/root/realms/demo/users/alice/uma/policies/${ids['revoked']}`, { method: 'DELETE', headers: { iPlanetDirectoryPro: sso } });
      assert.equal(removed.status, 200, await removed.text());
      assert.equal((await introspect(held)).active, false);

      const grantsBefore = rec.grants.length;
      const logBefore = rs.log.length;
      const res = await client.fetch(`${rs.url}/photos/kept`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { path: '/photos/kept', resource: ids['kept'] });
      const grants = rec.grants.slice(grantsBefore);
      assert.equal(grants.length, 2);
      // The upgrade with the revoked RPT is refused, saying why; the ticket is spent with it.
      assert.equal(grants[0]!.params.get('rpt'), held);
      assert.equal(grants[0]!.status, 400);
      assert.deepEqual(grants[0]!.body, { error: 'invalid_grant', error_description: 'The rpt was revoked or has expired' });
      // A fresh challenge's ticket, without the RPT; the PCT still identifies Bob.
      assert.equal(grants[1]!.params.get('rpt'), null);
      assert.notEqual(grants[1]!.params.get('ticket'), grants[0]!.params.get('ticket'));
      assert.ok(grants[1]!.params.get('pct'));
      assert.equal(grants[1]!.status, 200);
      const rpt = client.rptFor(s.issuer);
      assert.ok(rpt && rpt !== held);
      assert.deepEqual(rs.log.slice(logBefore).map((l) => [l.status, l.authorization]), [
        [401, `Bearer ${held}`],
        [401, undefined],
        [200, `Bearer ${rpt}`],
      ]);
      assert.deepEqual((await introspect(rpt)).permissions.map((p: any) => p.resource_id), [ids['kept']]);
    });

    it('a wrong client secret is an UmaError invalid_client', async () => {
      const bad = createUmaClient({ trustedAs: [s.issuer], clientId: 'photoz-client', clientSecret: 'wrong', claimToken: async () => ({ token: bobIdToken, format: ID_TOKEN }) });
      await assert.rejects(bad.fetch(`${rs.url}/photos/one`), (e: unknown) => e instanceof UmaError && e.code === 'invalid_client' && e.status === 401);
    });
  });
}
