/**
 * photoz-rs's public configuration in the demo realm: the first start seeds the realm without one
 * (so `type` stays free text and the demo users own nothing); `publishDemoConfiguration`, which
 * `npm run demo` calls, publishes the records server's scopes and types, readable at once at the
 * public endpoint, and a typed record registered without scopes then gets its template. Both stores.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_RS_CONFIGURATION, publishDemoConfiguration } from '@steward/server';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { UmaWorld } from '../uma-grant/fixture.ts';
import { SCOPES, TYPES } from '../../examples/records-rs/src/index.ts';
import { register } from './fixture.ts';

const CONFIGURATION_URL = '/realms/demo/authz/resource-servers/photoz-rs/configuration';

for (const dialect of dialects) {
  describe(`the demo resource server's configuration (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;

    before(async () => {
      s = await startTestSteward(dialect);
      w = new UmaWorld(s);
    });
    after(async () => s?.close());

    it('is the records server\'s own (scopes with descriptions, types with template scopes)', () => {
      assert.deepEqual(DEMO_RS_CONFIGURATION.scopes, SCOPES);
      assert.deepEqual(Object.fromEntries(Object.entries(DEMO_RS_CONFIGURATION.types).map(([name, t]) => [name, { description: t.description, scopes: t.scopes }])), TYPES);
    });

    it('the first start publishes none and registers nothing for the demo users', async () => {
      assert.equal((await request(s.app, 'GET', CONFIGURATION_URL)).status, 404);
      for (const user of ['alice', 'bob', 'chris', 'dave']) {
        const res = await request(s.app, 'GET', DEMO.resourceSet, { headers: { authorization: `Bearer ${await w.pat(user)}` } });
        assert.equal(res.status, 200, res.body);
        assert.deepEqual(res.json, [], `${user} owns nothing at start`);
      }
    });

    it('once published, the public endpoint shows it and a typed record gets its template scopes', async () => {
      await publishDemoConfiguration(s.deps);
      const res = await request(s.app, 'GET', CONFIGURATION_URL);
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json.scopes, SCOPES);
      assert.deepEqual(res.json.types.finance.scopes, TYPES.finance.scopes);
      assert.deepEqual(res.json.types.healthcare.scopes, TYPES.healthcare.scopes);
      const created = await register(w, await w.pat('alice'), { name: 'Current account', type: 'finance' });
      assert.equal(created.status, 201, created.body);
      const read = await request(s.app, 'GET', `${DEMO.resourceSet}/${created.json._id}`, { headers: { authorization: `Bearer ${await w.pat('alice')}` } });
      assert.deepEqual(read.json.resource_scopes, TYPES.finance.scopes);
      await publishDemoConfiguration(s.deps);
      assert.equal((await request(s.app, 'GET', CONFIGURATION_URL)).status, 200, 'publishing again replaces it');
    });
  });
}
