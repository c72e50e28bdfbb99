/**
 * ForgeRock's UMA resource-server sample ("RO: Apply Policy") against a real Steward: Alice registers a medical record through the
 * records server, Bob is refused, Alice applies a policy with her SSO session, Bob's client trades the
 * ticket for an RPT and reads the content; scopes not shared stay refused until the policy grows.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { dialects } from '../../../packages/store/test/databases.ts';
import { startTestSteward, type TestSteward } from '../../../test/helpers/steward.ts';
import { createRecordsServer } from '../src/index.ts';
import { challengeTicket, idToken, ownerToken, RS, ssoToken, umaGrant } from './steward-calls.ts';

for (const dialect of dialects) {
  describe(`records server: ForgeRock's UMA resource-server sample, apply policy (${dialect})`, () => {
    let s: TestSteward;
    let rs: FastifyInstance;
    let alicePat: string;
    let aliceSso: string;
    let bobIdToken: string;
    let record: { meta: Record<string, any>; content: unknown };
    const content = { patient: 'Alice', allergies: ['penicillin'] };

    const asAlice = () => ({ authorization: `Bearer ${alicePat}` });
    async function stewardResource(id: string): Promise<{ status: number; json: any }> {
      const res = await fetch(`${s.issuer}/authz/protection/resource_set/${id}`, { headers: asAlice() });
      return { status: res.status, json: res.status === 200 ? await res.json() : undefined };
    }
    /** Bob's client: tries with no RPT, trades the challenge's ticket, and tries again with the RPT. */
    async function bobTries(method: 'GET' | 'POST', url: string) {
      const first = await rs.inject({ method, url });
      assert.equal(first.statusCode, 401, first.body);
      const grant = await umaGrant(s.issuer, challengeTicket(first.headers['www-authenticate'], s.issuer), bobIdToken);
      if (grant.status !== 200) return { grant, res: undefined };
      const res = await rs.inject({ method, url, headers: { authorization: `Bearer ${grant.json.access_token}` } });
      return { grant, res };
    }

    before(async () => {
      s = await startTestSteward(dialect, { listen: true });
      rs = await createRecordsServer({ issuer: s.issuer, baseUrl: 'http://records.test', clientId: RS.id, clientSecret: RS.secret });
      alicePat = await ownerToken(s.issuer, 'alice');
      aliceSso = await ssoToken(s.baseUrl, 'demo', 'alice');
      bobIdToken = await idToken(s.issuer, 'bob');
    });
    after(async () => {
      await rs?.close();
      await s?.close();
    });

    it('publishes its scopes and record types (ForgeRock\'s UMA scope model)', async () => {
      const res = await rs.inject({ method: 'GET', url: '/.well-known/resource-server-configuration' });
      assert.equal(res.statusCode, 200);
      const config = res.json();
      assert.deepEqual(Object.keys(config.scopes), ['meta', 'content', 'print', 'download', 'transfer']);
      assert.equal(config.scopes.content.description, 'The content (JSON) related to the resource');
      assert.deepEqual(config.types.healthcare.scopes, ['meta', 'content', 'print']);
      assert.deepEqual(config.types.finance.scopes, ['meta', 'content', 'download', 'transfer']);
    });

    it('Alice creates a record: stored private, registered at Steward with template + private scopes', async () => {
      const res = await rs.inject({ method: 'POST', url: '/manage/resources', headers: asAlice(), payload: { name: 'Medical record', type: 'healthcare', content, scopes: ['annotate'] } });
      assert.equal(res.statusCode, 201, res.body);
      record = res.json();
      assert.equal(res.headers.location, `/manage/resources/${record.meta.id}`);
      assert.deepEqual(record.content, content);
      assert.equal(record.meta.owner, 'alice');
      assert.equal(record.meta.state, 'private');
      assert.deepEqual(record.meta.scopes, ['meta', 'content', 'print', 'annotate']);
      const registered = await stewardResource(record.meta.resourceId);
      assert.equal(registered.status, 200);
      assert.equal(registered.json.name, 'Medical record');
      assert.equal(registered.json.type, 'healthcare');
      assert.deepEqual(registered.json.resource_scopes, ['meta', 'content', 'print', 'annotate']);
    });

    it('Alice lists and reads her records', async () => {
      const list = await rs.inject({ method: 'GET', url: '/manage/resources', headers: asAlice() });
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json().map((m: { id: string }) => m.id), [record.meta.id]);
      const read = await rs.inject({ method: 'GET', url: `/manage/resources/${record.meta.id}`, headers: asAlice() });
      assert.equal(read.statusCode, 200);
      assert.deepEqual(read.json(), record);
    });

    it('Bob is refused before the policy: a UMA challenge, and the grant answers request_submitted', async () => {
      const { grant, res } = await bobTries('GET', `/records/${record.meta.id}/content`);
      assert.equal(res, undefined);
      assert.equal(grant.status, 403);
      assert.equal(grant.json.error, 'request_submitted');
    });

    it('Alice applies the policy with her SSO session: Steward stores it, the record becomes shared', async () => {
      const res = await rs.inject({
        method: 'PUT',
        url: `/manage/resources/${record.meta.id}/policy`,
        headers: { ...asAlice(), 'x-sso-token': aliceSso },
        payload: { permissions: [{ subject: 'bob', scopes: ['content'] }] },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().policyId, record.meta.resourceId);
      assert.deepEqual(res.json().permissions, [{ subject: 'bob', scopes: ['content'] }]);
      const atSteward = await fetch(`${s.baseUrl}/json/realms/root/realms/demo/users/alice/uma/policies/${record.meta.resourceId}`, { headers: { iplanetdirectorypro: aliceSso } });
      assert.equal(atSteward.status, 200);
      assert.deepEqual(((await atSteward.json()) as any).permissions, [{ subject: 'bob', scopes: ['content'] }]);
      const meta = (await rs.inject({ method: 'GET', url: `/manage/resources/${record.meta.id}`, headers: asAlice() })).json().meta;
      assert.equal(meta.state, 'shared');
      assert.equal(meta.discoverable, false);
    });

    it("Bob's client trades the ticket (Bob's ID token as claim token) for an RPT and reads the content", async () => {
      const { grant, res } = await bobTries('GET', `/records/${record.meta.id}/content`);
      assert.equal(grant.status, 200, JSON.stringify(grant.json));
      assert.equal(res?.statusCode, 200, res?.body);
      assert.deepEqual(res.json(), content);
    });

    it('an RPT for content does not open the meta data; print, not shared, is refused', async () => {
      const { grant } = await bobTries('GET', `/records/${record.meta.id}/content`);
      const other = await rs.inject({ method: 'GET', url: `/records/${record.meta.id}`, headers: { authorization: `Bearer ${grant.json.access_token}` } });
      assert.equal(other.statusCode, 401);
      challengeTicket(other.headers['www-authenticate'], s.issuer);
      const print = await bobTries('POST', `/records/${record.meta.id}/print`);
      assert.equal(print.res, undefined);
      assert.equal(print.grant.status, 403);
      assert.equal(print.grant.json.error, 'request_submitted');
    });

    it('a second PUT updates the policy (If-Match): Bob may now print', async () => {
      const res = await rs.inject({
        method: 'PUT',
        url: `/manage/resources/${record.meta.id}/policy`,
        headers: { ...asAlice(), 'x-sso-token': aliceSso },
        payload: { permissions: [{ subject: 'bob', scopes: ['content', 'print'] }] },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().permissions, [{ subject: 'bob', scopes: ['content', 'print'] }]);
      const print = await bobTries('POST', `/records/${record.meta.id}/print`);
      assert.equal(print.res?.statusCode, 200, print.res?.body);
      assert.equal(print.res.json().printed, 'Medical record');
    });

    it('Alice updates the record: Steward gets the full replacement', async () => {
      const res = await rs.inject({ method: 'PUT', url: `/manage/resources/${record.meta.id}`, headers: asAlice(), payload: { name: 'Medical record 2024', type: 'healthcare', content: { patient: 'Alice' } } });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().meta.scopes, ['meta', 'content', 'print']);
      assert.equal(res.json().meta.state, 'shared');
      const registered = await stewardResource(record.meta.resourceId);
      assert.equal(registered.json.name, 'Medical record 2024');
      assert.deepEqual(registered.json.resource_scopes, ['meta', 'content', 'print']);
      const { res: read } = await bobTries('GET', `/records/${record.meta.id}/content`);
      assert.deepEqual(read?.json(), { patient: 'Alice' });
    });

    it('Alice deletes the record: gone here and at Steward', async () => {
      const res = await rs.inject({ method: 'DELETE', url: `/manage/resources/${record.meta.id}`, headers: asAlice() });
      assert.equal(res.statusCode, 204, res.body);
      assert.equal((await stewardResource(record.meta.resourceId)).status, 404);
      const read = await rs.inject({ method: 'GET', url: `/manage/resources/${record.meta.id}`, headers: asAlice() });
      assert.equal(read.statusCode, 404);
      const bob = await rs.inject({ method: 'GET', url: `/records/${record.meta.id}/content` });
      assert.equal(bob.statusCode, 404);
      assert.equal(bob.json().error, 'not_found');
    });
  });
}
