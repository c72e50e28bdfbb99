/**
 * The Implementer's Guide API patterns shipped as example configurations (docs/examples/resource-servers),
 * each loaded from its file, published through the admin API, read back from the public endpoint, and
 * used: a typed resource registered without scopes gets the template, and the scope the pattern maps an
 * API call to is granted through the grant's set math. Both stores.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { UMA_GRANT_TYPE } from '@steward/core';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { rptPermissions, UmaWorld } from '../uma-grant/fixture.ts';
import { SCOPES, TYPES } from '../../examples/records-rs/src/index.ts';
import { assertOAuthError, enableAdmin, ownerSession, publish, putPolicy, register } from './fixture.ts';

interface Example {
  file: string;
  type: string;
  /** The scopes an attempted API call maps to (the ticket), and what the client asks for with `scope`. */
  call: { ticket: string[]; clientScope?: string };
  /** What Alice shares with Bob, and what Bob's RPT must then hold. */
  shared: string[];
  expected: string[];
}

const EXAMPLES: Example[] = [
  // Any of the five REST calls asks for rest_api.
  { file: 'rest-api.json', type: 'rest-collection', call: { ticket: ['rest_api'] }, shared: ['rest_api'], expected: ['rest_api'] },
  // Turning the camera off asks for power; pan is not shared.
  { file: 'iot-camera.json', type: 'front-door-camera', call: { ticket: ['power'], clientScope: 'pan' }, shared: ['power'], expected: ['power'] },
  // Free/busy in the ticket, calendar-read asked by the client (pre-registered), both shared.
  { file: 'rpc-calendar.json', type: 'calendar', call: { ticket: ['freebusy'], clientScope: 'calendar-read' }, shared: ['freebusy', 'calendar-read'], expected: ['freebusy', 'calendar-read'] },
  // A search of Observations asks for read; write is shared too but not asked.
  { file: 'fhir.json', type: 'Observation', call: { ticket: ['read'] }, shared: ['read', 'write'], expected: ['read'] },
];

const APP = { id: 'pattern-app', secret: 'pattern-app-secret' };

for (const dialect of dialects) {
  describe(`example resource server configurations (${dialect})`, () => {
    let s: TestSteward;
    let alice: string;

    before(async () => {
      s = await startTestSteward(dialect);
      enableAdmin(s);
      await addClient(s.deps, 'demo', { clientId: APP.id, secret: APP.secret, grantTypes: [UMA_GRANT_TYPE], umaScopes: ['pan', 'calendar-read'] });
      alice = await ownerSession(s, 'alice');
    });
    after(async () => s?.close());

    for (const example of EXAMPLES) {
      it(`${example.file}: published, read back, template on registration, ${example.expected.join(' ')} granted`, async () => {
        const config = JSON.parse(await readFile(new URL(`../../docs/examples/resource-servers/${example.file}`, import.meta.url), 'utf8'));
        const rs = { id: `rs-${example.type.toLowerCase()}`, secret: 'rs-secret' };
        await addClient(s.deps, 'demo', { clientId: rs.id, secret: rs.secret, grantTypes: ['password'] });
        await publish(s, 'demo', rs.id, config);
        const read = await request(s.app, 'GET', `/realms/demo/authz/resource-servers/${rs.id}/configuration`);
        assert.deepEqual(read.json, config);

        const w = new UmaWorld(s, 'demo', rs);
        const created = await register(w, await w.pat('alice'), { name: example.file, type: example.type });
        assert.equal(created.status, 201, created.body);
        assert.deepEqual(created.json.resource_scopes, config.types[example.type].scopes);
        const id = created.json._id;
        assert.equal((await putPolicy(s, 'demo', alice, 'alice', id, [{ subject: 'bob', scopes: example.shared }])).status, 201);

        const ticket = await w.ticket('alice', [[id, example.call.ticket]]);
        const res = await w.grantAs('bob', { ticket, scope: example.call.clientScope }, APP);
        assert.equal(res.status, 200, res.body);
        assert.deepEqual(rptPermissions(res.json.access_token), [[id, example.expected]]);
      });
    }

    it('the reference resource server\'s own configuration (ForgeRock\'s UMA scope model) is published by Steward too, and its registrations pass', async () => {
      const config = { scopes: SCOPES, types: TYPES };
      await publish(s, 'demo', 'photoz-rs', config);
      assert.deepEqual((await request(s.app, 'GET', '/realms/demo/authz/resource-servers/photoz-rs/configuration')).json, JSON.parse(JSON.stringify(config)));
      const w = new UmaWorld(s);
      const pat = await w.pat('alice');
      // What records-rs registers: the type's template plus the owner's private scopes.
      const record = await register(w, pat, { name: 'Medical record', type: 'healthcare', resource_scopes: [...TYPES.healthcare.scopes, 'annotate'] });
      assert.equal(record.status, 201, record.body);
      assert.deepEqual((await register(w, pat, { name: 'Account', type: 'finance' })).json.resource_scopes, [...TYPES.finance.scopes]);
      assertOAuthError(await register(w, pat, { name: 'Odd record', type: 'healthcare', resource_scopes: ['meta', 'transfer'] }), 400, 'invalid_request', /Scope 'transfer' is published by resource server photoz-rs/);
    });
  });
}
