/**
 * @module test/fuzz/unprintable
 * A JSON object whose `toString` and `valueOf` are not functions cannot be turned into text: putting
 * one in an error message throws. Every JSON body field of every documented route, given such a value
 * (alone and in a list), is refused as `invalid_request`-style 4xx, never a 500 (found by the fuzz on
 * the admin API's `grantTypes`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { example, fieldPaths, pruned, withField } from './examples.ts';
import { buildWorld, startFuzzSteward, type FuzzSteward, type World } from './credentials.ts';
import { readApiSpec } from './openapi-routes.ts';
import { Random } from './random.ts';

const UNPRINTABLE = { toString: 'x', valueOf: 1 };
const operations = readApiSpec().operations.filter((op) => op.body?.contentType === 'application/json');

for (const dialect of dialects) {
  describe(`values that cannot be printed (${dialect})`, () => {
    let s: FuzzSteward;
    let world: World;
    before(async () => {
      s = await startFuzzSteward(dialect);
      world = await buildWorld(s);
    });
    after(async () => s?.close());

    it('the admin API refuses a client whose grant type is such a value (400, not 500)', async () => {
      const res = await s.app.inject({
        method: 'POST',
        url: '/admin/realms/demo/clients',
        headers: { ...world.headersFor(operations.find((o) => o.path === '/admin/realms/{realm}/clients')!, 'own'), 'content-type': 'application/json' },
        payload: JSON.stringify({ clientId: 'printer', grantTypes: [UNPRINTABLE] }),
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error, 'invalid_request');
    });

    it('every JSON body field of every route answers such a value without a 5xx', async () => {
      const random = new Random(1);
      const failures: string[] = [];
      for (const op of operations) {
        const value = example(op.body!.schema, random, world.known);
        for (const path of fieldPaths(value, 6)) {
          for (const hostile of [UNPRINTABLE, [UNPRINTABLE]]) {
            const url = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(name === 'realm' ? 'demo' : name === 'user' ? world.known.owner : world.known.resourceId));
            const res = await s.app.inject({
              method: op.method,
              url,
              headers: { ...world.headersFor(op, 'own'), 'content-type': 'application/json' },
              payload: JSON.stringify(pruned(withField(value, path, hostile))),
            });
            if (res.statusCode >= 500) failures.push(`${op.method} ${op.path} ${path.join('.')}=${JSON.stringify(hostile)} → ${res.statusCode} ${res.body.slice(0, 120)}`);
          }
        }
      }
      assert.deepEqual(failures, []);
    });
  });
}
