/**
 * @module test/owner-policies/conditions
 * Policy conditions (ForgeRock AM's UMA policies REST API, "Restrict an UMA policy"): `Expiration` and `ClientId` on a permission,
 * written in the UMA policy body or at the per-permission authorization-policy endpoint
 * (`/users/{user}/policies[/{id}]`); what they do to new grants, to RPT permissions' `exp`, and to
 * RPTs already issued.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UMA_GRANT_TYPE } from '@steward/core';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { request } from '../helpers/http.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { assertError, payload, rptPermissions, UmaWorld } from '../uma-grant/fixture.ts';
import { assertCrest, policyUrl, session, signIn } from './fixture.ts';

const OTHER = { id: 'other-app', secret: 'other-app-secret' };
const authzUrl = (user: string, id?: string) => `/json/realms/root/realms/demo/users/${user}/policies${id === undefined ? '?_queryFilter=true' : `/${encodeURIComponent(id)}`}`;

for (const dialect of dialects) {
  describe(`owner policies: conditions (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    let alice: string;
    const clock = new TestClock();
    before(async () => {
      s = await startTestSteward(dialect, { clock });
      w = new UmaWorld(s);
      alice = await signIn(s, 'alice');
      await addClient(s.deps, 'demo', { clientId: OTHER.id, secret: OTHER.secret, grantTypes: [UMA_GRANT_TYPE] });
    });
    after(async () => s?.close());

    async function put(resourceId: string, permissions: unknown[]) {
      return request(s.app, 'PUT', policyUrl('alice', resourceId), { body: { policyId: resourceId, permissions }, headers: session(alice) });
    }

    async function bobGrant(resourceId: string, scopes: string[], client = undefined as typeof OTHER | undefined) {
      const ticket = await w.ticket('alice', [[resourceId, scopes]]);
      return client ? w.grantAs('bob', { ticket }, client) : w.grantAs('bob', { ticket });
    }

    it('an Expiration lets Bob in until then, sets the RPT permission exp, and denies after it', async () => {
      const album = await w.resource('alice', ['view', 'comment']);
      const until = clock.now() + 100;
      const res = await put(album, [{ subject: 'bob', scopes: ['view'], conditions: [{ type: 'Expiration', expirationDate: until }] }]);
      assert.equal(res.status, 201, res.body);
      const read = await request(s.app, 'GET', policyUrl('alice', album), { headers: session(alice) });
      assert.deepEqual(read.json.permissions, [{ subject: 'bob', scopes: ['view'], conditions: [{ type: 'Expiration', expirationDate: until }] }]);

      const granted = await bobGrant(album, ['view']);
      assert.equal(granted.status, 200, granted.body);
      assert.equal(payload(granted.json.access_token).permissions[0].exp, until);
      assert.equal((await w.introspect(granted.json.access_token)).json.active, true);

      clock.advance(101);
      assert.deepEqual((await w.introspect(granted.json.access_token)).json, { active: false });
      assertError(await bobGrant(album, ['view']), 403, 'request_submitted');
    });

    it('a ClientId condition lets only the listed clients obtain an RPT', async () => {
      const album = await w.resource('alice', ['view']);
      assert.equal((await put(album, [{ subject: 'bob', scopes: ['view'], conditions: [{ type: 'ClientId', clientIds: [OTHER.id] }] }])).status, 201);
      assertError(await bobGrant(album, ['view']), 403, 'request_submitted');
      const ok = await bobGrant(album, ['view'], OTHER);
      assert.equal(ok.status, 200, ok.body);
      assert.deepEqual(rptPermissions(ok.json.access_token), [[album, ['view']]]);
      assert.equal(payload(ok.json.access_token).permissions[0].exp, undefined);
    });

    it('the authorization-policy endpoint lists, reads and restricts one permission; RPTs it no longer allows are revoked', async () => {
      const album = await w.resource('alice', ['view', 'comment']);
      assert.equal((await put(album, [{ subject: 'bob', scopes: ['view', 'comment'] }, { subject: 'chris', scopes: ['view'] }])).status, 201);
      const id = `${album}~bob`;
      const list = await request(s.app, 'GET', authzUrl('alice'), { headers: session(alice) });
      assert.equal(list.status, 200, list.body);
      const mine = list.json.result.filter((p: { _id: string }) => p._id.startsWith(album));
      assert.deepEqual(mine.map((p: { _id: string }) => p._id), [id, `${album}~chris`]);

      const read = await request(s.app, 'GET', authzUrl('alice', id), { headers: session(alice) });
      assert.equal(read.status, 200, read.body);
      assert.deepEqual(read.json.actionValues, { view: true, comment: true });
      assert.deepEqual(read.json.subject, { type: 'Uma', claimValue: 'bob' });
      assert.deepEqual(read.json.resources, [`uma://${album}`]);
      assert.equal(read.json.active, true);
      assert.equal(read.json.condition, undefined);

      const before = await bobGrant(album, ['view']);
      assert.equal(before.status, 200, before.body);
      const chrisRpt = (await (async () => w.grantAs('chris', { ticket: await w.ticket('alice', [[album, ['view']]]) }))()).json.access_token;

      // AM's documented body: the GET representation with a condition added (and the scopes narrowed).
      const until = clock.now() + 50;
      const body = { ...read.json, actionValues: { view: true, comment: false }, condition: { type: 'AND', conditions: [{ type: 'Expiration', expirationDate: until }, { type: 'ClientId', clientIds: [OTHER.id] }] } };
      const written = await request(s.app, 'PUT', authzUrl('alice', id), { body, headers: session(alice, { 'if-match': '*' }) });
      assert.equal(written.status, 200, written.body);
      assert.deepEqual(written.json.actionValues, { view: true });
      assert.deepEqual(written.json.condition, body.condition);
      assert.notEqual(written.json._rev, read.json._rev);
      const uma = await request(s.app, 'GET', policyUrl('alice', album), { headers: session(alice) });
      assert.deepEqual(uma.json.permissions, [
        { subject: 'bob', scopes: ['view'], conditions: [{ type: 'Expiration', expirationDate: until }, { type: 'ClientId', clientIds: [OTHER.id] }] },
        { subject: 'chris', scopes: ['view'] },
      ]);

      // Bob's RPT came through photoz-client with no expiry: revoked. Chris's share did not change.
      assert.deepEqual((await w.introspect(before.json.access_token)).json, { active: false });
      assert.equal((await w.introspect(chrisRpt)).json.active, true);
      const viaOther = await bobGrant(album, ['view'], OTHER);
      assert.equal(viaOther.status, 200, viaOther.body);
      assert.equal(payload(viaOther.json.access_token).permissions[0].exp, until);

      // A stale revision is refused; removing the condition (null) lifts it.
      assertCrest(await request(s.app, 'PUT', authzUrl('alice', id), { body, headers: session(alice, { 'if-match': `"${read.json._rev}"` }) }), 412, 'Precondition Failed');
      const lifted = await request(s.app, 'PUT', authzUrl('alice', id), { body: { ...body, condition: null }, headers: session(alice) });
      assert.equal(lifted.status, 200, lifted.body);
      assert.equal(lifted.json.condition, undefined);
      assert.equal((await bobGrant(album, ['view'])).status, 200);

      // Deleting one authorization policy removes that permission only.
      assert.equal((await request(s.app, 'DELETE', authzUrl('alice', `${album}~chris`), { headers: session(alice) })).status, 200);
      assert.deepEqual((await request(s.app, 'GET', policyUrl('alice', album), { headers: session(alice) })).json.permissions, [{ subject: 'bob', scopes: ['view'] }]);
      assert.deepEqual((await w.introspect(chrisRpt)).json, { active: false });
    });

    it('refuses bad conditions and bodies with CREST 400s, unknown ids with 404', async () => {
      const album = await w.resource('alice', ['view']);
      const bad = async (conditions: unknown) => assertCrest(await put(album, [{ subject: 'bob', scopes: ['view'], conditions }]), 400, 'Bad Request', /^Invalid UMA policy condition\./);
      await bad({ type: 'Expiration', expirationDate: 1 });
      await bad([{ type: 'Expiration', expirationDate: '2030-01-01' }]);
      await bad([{ type: 'Expiration', expirationDate: -1 }]);
      await bad([{ type: 'Expiration', expirationDate: 1.5 }]);
      await bad([{ type: 'Expiration', expirationDate: 1 }, { type: 'Expiration', expirationDate: 2 }]);
      await bad([{ type: 'ClientId', clientIds: [] }]);
      await bad([{ type: 'ClientId', clientIds: [7] }]);
      await bad([{ type: 'Time', from: 1 }]);
      await bad(['Expiration']);
      assertCrest(
        await put(album, [{ subject: 'bob', scopes: ['view'] }, { subject: 'bob', scopes: ['view'], conditions: [{ type: 'Expiration', expirationDate: 5 }] }]),
        400,
        'Bad Request',
        /repeated with different conditions/,
      );
      assert.equal((await put(album, [{ subject: 'bob', scopes: ['view'] }])).status, 201);

      const id = `${album}~bob`;
      const body = { actionValues: { view: true }, subject: { type: 'Uma', claimValue: 'bob' } };
      const putAuthz = (b: unknown, target = id) => request(s.app, 'PUT', authzUrl('alice', target), { body: b, headers: session(alice) });
      assertCrest(await putAuthz({ ...body, subject: { type: 'Uma', claimValue: 'chris' } }), 400, 'Bad Request', 'The subject in the body does not match the policy id.');
      assertCrest(await putAuthz({ ...body, subject: 'bob' }), 400, 'Bad Request');
      assertCrest(await putAuthz({ ...body, actionValues: { view: false } }), 400, 'Bad Request');
      assertCrest(await putAuthz({ ...body, actionValues: { view: 'yes' } }), 400, 'Bad Request');
      assertCrest(await putAuthz({ ...body, actionValues: { print: true } }), 400, 'Bad Request', /Unknown scope/);
      assertCrest(await putAuthz({ ...body, condition: { type: 'AND', conditions: [{ type: 'Expiration' }] } }), 400, 'Bad Request');
      assertCrest(await putAuthz([]), 400, 'Bad Request');
      assertCrest(await putAuthz(body, `${album}~dave`), 404, 'Not Found');
      assertCrest(await putAuthz(body, 'no-separator'), 404, 'Not Found');
      assertCrest(await request(s.app, 'GET', authzUrl('alice', 'nope~bob'), { headers: session(alice) }), 404, 'Not Found');
      assertCrest(await request(s.app, 'GET', '/json/realms/root/realms/demo/users/alice/policies?_queryFilter=name+eq+%22x%22', { headers: session(alice) }), 400, 'Bad Request');
      assertCrest(await request(s.app, 'GET', authzUrl('alice', id)), 401, 'Unauthorized');
      // Another user cannot see Alice's authorization policies.
      const bob = await signIn(s, 'bob');
      assertCrest(await request(s.app, 'GET', authzUrl('alice', id), { headers: session(bob) }), 403, 'Forbidden');
      assertCrest(await request(s.app, 'POST', authzUrl('alice', id), { body, headers: session(alice) }), 405, 'Method Not Allowed');
    });
  });
}
