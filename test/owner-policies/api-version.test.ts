/**
 * CREST API versions on the owner APIs: `Accept-API-Version` is checked on every `/json/` route and the
 * serving resource version echoed in `Content-API-Version`; malformed or unsupported versions are 400.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { AUTHENTICATE, SESSION_HEADER, assertCrest, bobViewComment, policyUrl, registerResource, signIn } from './fixture.ts';

const COLLECTION = '/json/realms/root/realms/demo/users/alice/uma/policies?_queryFilter=true';
const LOGOUT = '/json/realms/root/realms/demo/sessions?_action=logout';

for (const dialect of dialects) {
  describe(`owner APIs: Accept-API-Version (${dialect})`, () => {
    let steward: TestSteward;
    let alice: string;
    let album: string;
    const as = (version?: string): Record<string, string> => ({ [SESSION_HEADER]: alice, ...(version === undefined ? {} : { 'accept-api-version': version }) });
    const signInWith = (version: string) =>
      request(steward.app, 'POST', AUTHENTICATE, { headers: { 'x-openam-username': 'alice', 'x-openam-password': DEMO.password, 'accept-api-version': version } });

    before(async () => {
      steward = await startTestSteward(dialect);
      alice = await signIn(steward, 'alice');
      album = await registerResource(steward, 'alice');
      const res = await request(steward.app, 'PUT', policyUrl('alice', album), { body: bobViewComment(album), headers: as('resource=1.0') });
      assert.equal(res.status, 201, res.body);
      assert.equal(res.headers['content-api-version'], 'resource=1.0');
    });
    after(() => steward.close());

    it('echoes resource=1.0 on the policy routes, with or without the header', async () => {
      for (const version of ['resource=1.0', 'protocol=1.0, resource=1.0', 'resource=1', ' RESOURCE = 1.0 ', 'protocol=2.1', undefined]) {
        for (const url of [policyUrl('alice', album), COLLECTION]) {
          const res = await request(steward.app, 'GET', url, { headers: as(version) });
          assert.equal(res.status, 200, `${version} ${url}: ${res.body}`);
          assert.equal(res.headers['content-api-version'], 'resource=1.0', String(version));
        }
      }
    });

    it('signs in with AM\'s documented resource=2.0, protocol=1.0 (served by 2.1, the newest 2.x)', async () => {
      const res = await signInWith('resource=2.0, protocol=1.0');
      assert.equal(res.status, 200, res.body);
      assert.equal(res.headers['content-api-version'], 'resource=2.1');
      assertCrest(await signInWith('resource=1.0'), 400, 'Bad Request', 'Unsupported resource version 1.0 for this endpoint; supported: 2.0, 2.1');
      assertCrest(await signInWith('resource=2.2'), 400, 'Bad Request', /Unsupported resource version 2\.2/);
    });

    it('logs out with AM\'s resource=3.1', async () => {
      const token = await signIn(steward, 'bob');
      const res = await request(steward.app, 'POST', LOGOUT, { headers: { [SESSION_HEADER]: token, 'accept-api-version': 'resource=3.1, protocol=1.0' } });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.headers['content-api-version'], 'resource=3.1');
    });

    it('refuses unsupported versions with 400 and a CREST body, before anything else', async () => {
      const url = policyUrl('alice', album);
      assertCrest(await request(steward.app, 'GET', url, { headers: as('resource=2.0') }), 400, 'Bad Request', 'Unsupported resource version 2.0 for this endpoint; supported: 1.0');
      assertCrest(await request(steward.app, 'GET', url, { headers: as('resource=1.1') }), 400, 'Bad Request', /Unsupported resource version 1\.1/);
      assertCrest(await request(steward.app, 'GET', COLLECTION, { headers: as('resource=0.9') }), 400, 'Bad Request', /Unsupported resource version 0\.9/);
      assertCrest(await request(steward.app, 'GET', url, { headers: as('protocol=3.0, resource=1.0') }), 400, 'Bad Request', 'Unsupported protocol version 3.0; supported: 1.0, 2.0, 2.1');
      // A write with a bad version changes nothing.
      const before = await request(steward.app, 'GET', url, { headers: as() });
      const refused = await request(steward.app, 'PUT', url, { body: { policyId: album, permissions: [{ subject: 'chris', scopes: ['view'] }] }, headers: as('resource=9.0') });
      assertCrest(refused, 400, 'Bad Request', /Unsupported resource version 9\.0/);
      assert.deepEqual((await request(steward.app, 'GET', url, { headers: as() })).json, before.json);
      // Checked before authentication: no credentials, still the version error.
      assertCrest(await request(steward.app, 'GET', url, { headers: { 'accept-api-version': 'resource=5.0' } }), 400, 'Bad Request', /Unsupported resource version/);
    });

    it('refuses malformed headers with 400 and a CREST body', async () => {
      const url = policyUrl('alice', album);
      const malformed = "Malformed Accept-API-Version header; expected for example 'resource=1.0, protocol=1.0'";
      for (const value of ['', 'banana', 'resource=', 'resource=1.0.0', 'resource=v1', 'resource=1.0, resource=1.0', 'resource=1.0,', 'version=1.0', 'resource=1.0; protocol=1.0']) {
        assertCrest(await request(steward.app, 'GET', url, { headers: as(value) }), 400, 'Bad Request', malformed);
      }
    });

    it('leaves protocol endpoints and unknown /json/ paths alone', async () => {
      const discovery = await request(steward.app, 'GET', '/realms/demo/.well-known/uma2-configuration', { headers: { 'accept-api-version': 'resource=9.0' } });
      assert.equal(discovery.status, 200);
      assert.equal(discovery.headers['content-api-version'], undefined);
      assertCrest(await request(steward.app, 'GET', '/json/realms/root/realms/demo/nothing-here', { headers: { 'accept-api-version': 'resource=9.0' } }), 404, 'Not Found');
    });
  });
}
