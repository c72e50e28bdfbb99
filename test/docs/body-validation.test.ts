/**
 * The wire schemas are the validators: every JSON body a route documents is checked by a reader
 * compiled from that very schema (packages/server/src/wire/validate.ts), so docs/api.md and the
 * behaviour cannot drift. The few bodies still read by hand are listed with why; the list only shrinks.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Type from 'typebox';
import { isValidatedSchema, bodyReader } from '../../packages/server/src/wire/validate.ts';
import type { RouteEntry } from '../../packages/server/src/http/route-docs.ts';
import { loadRoutes } from '../../tools/gen-api-docs.ts';

/**
 * JSON bodies read by hand, by `METHOD url`. Form bodies (application/x-www-form-urlencoded) are not
 * here: every form value is a string, read by http/form.ts, so their schemas only document them.
 */
const HAND_READ_BODIES: Record<string, string> = {
  'POST /admin/realms/import': 'a realm document, checked by the core\'s realm import (the CLI imports the same document)',
  'PUT /json/realms/root/realms/:realm/users/:user/uma/policies/:policyId': 'wire/policy.ts gives AM\'s own messages ("Invalid UMA policy. …"), which AM clients expect',
  'PUT /json/realms/root/realms/:realm/users/:user/policies/:policyId': 'wire/policy.ts gives AM\'s own messages ("Invalid policy. …")',
  'POST /realms/:realm/authz/protection/resource_set': 'wire/resource.ts and wire/keycloak-resource.ts: not converted yet',
  'POST /realms/:realm/authz/protection/resource_set/': 'wire/resource.ts and wire/keycloak-resource.ts: not converted yet',
  'PUT /realms/:realm/authz/protection/resource_set/:id': 'wire/resource.ts and wire/keycloak-resource.ts: not converted yet',
  'POST /realms/:realm/authz/protection/permission': 'wire/permission.ts (one object or an array of them): not converted yet',
  'POST /realms/:realm/authz/protection/uma-policy/:id': 'parseUmaPolicy in endpoints/uma-policy.ts: not converted yet',
  'PUT /realms/:realm/authz/protection/uma-policy/:id': 'parseUmaPolicy in endpoints/uma-policy.ts: not converted yet',
  'POST /realms/:realm/authz/protection/access': 'wire/audit.ts (one report or an array of them): not converted yet',
};

const key = (r: RouteEntry) => `${r.method} ${r.url}`;

describe('wire schemas as validators', () => {
  let routes: readonly RouteEntry[];

  before(async () => {
    routes = (await loadRoutes()).routes;
  });

  it('checks every documented JSON body with a reader compiled from its schema', () => {
    const json = routes.filter((r) => r.docs?.body && r.docs.body.contentType === 'application/json');
    assert.ok(json.length >= 20, `only ${json.length} JSON bodies found`);
    const unchecked = json.filter((r) => !isValidatedSchema(r.docs!.body!.schema)).map(key);
    assert.deepEqual(unchecked.filter((k) => !(k in HAND_READ_BODIES)), [], 'read these bodies with bodyReader(<their documented schema>)');
    assert.deepEqual(Object.keys(HAND_READ_BODIES).filter((k) => !unchecked.includes(k)), [], 'these are checked by their schema now: remove them from HAND_READ_BODIES');
  });

  it('would catch a route whose documented schema is not the one it validates with', () => {
    const documented = Type.Object({ a: Type.String() });
    const validating = Type.Object({ a: Type.String() });
    bodyReader(validating, { what: 'a sample' });
    assert.equal(isValidatedSchema(documented), false);
    assert.equal(isValidatedSchema(validating), true);
  });

  it('names the member and keeps the endpoint\'s error code', () => {
    const read = bodyReader(Type.Object({ scopes: Type.Array(Type.String({ minLength: 1, maxLength: 8 }), { maxItems: 2 }), alg: Type.Optional(Type.Union([Type.Literal('ES256'), Type.Literal('RS256')])) }, { additionalProperties: false }), { what: 'a sample', code: 'invalid_scope' });
    const cases: Array<[unknown, string]> = [
      [[], 'The body must be a JSON object (a sample)'],
      [{}, 'scopes is required'],
      [{ scopes: ['a'], extra: 1 }, "Unknown member 'extra' (a sample has scopes, alg)"],
      [{ scopes: 'a' }, 'scopes must be an array'],
      [{ scopes: ['a', 'b', 'c'] }, 'scopes must have at most 2 items'],
      [{ scopes: [''] }, 'scopes[0] must be 1–8 characters'],
      [{ scopes: [], alg: 'none' }, "alg must be one of ES256, RS256, not 'none'"],
    ];
    for (const [body, description] of cases) {
      assert.throws(() => read(body), (e: Error & { code?: string }) => e.code === 'invalid_scope' && e.message.endsWith(description), JSON.stringify(body));
    }
    assert.deepEqual(read({ scopes: ['a'] }), { scopes: ['a'] });
  });
});
