/**
 * @module test/fuzz/oracle
 * The fuzz suite's judges can fail: `problems` refuses a 5xx, a stack trace, a file path, the wrong
 * error format for the route family, a code outside the closed list or at another status; the
 * fingerprint sees a write to a managed table; the store check reports orphan and half-written rows
 * planted through the store ports on both dialects.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import type { Reply } from '../helpers/http.ts';
import type { FuzzCase } from './cases.ts';
import { storeInconsistencies } from './consistency.ts';
import { startFuzzSteward, type FuzzSteward } from './credentials.ts';
import { documentedErrorCodes, problems } from './expect.ts';
import { changedTables, openStoreProbe } from './fingerprint.ts';
import { readApiSpec, type Operation } from './openapi-routes.ts';

const spec = readApiSpec();
const codes = documentedErrorCodes();
const op = (method: string, path: string): Operation => spec.operations.find((o) => o.method === method && o.path === path)!;
const RESOURCE = op('GET', '/realms/{realm}/authz/protection/resource_set/{id}');
const OWNER = op('GET', '/json/realms/root/realms/{realm}/users/{user}/uma/policies');
const LOGIN = op('GET', '/realms/{realm}/protocol/openid-connect/auth');
const READY = op('GET', '/health/ready');

const at = (url: string): FuzzCase => ({ label: 'probe', method: 'GET', url, headers: {}, credentials: 'own', reroutes: false });
function reply(status: number, body: unknown, type = 'application/json; charset=utf-8', cache = 'no-store'): Reply {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, headers: { 'content-type': type, 'cache-control': cache }, body: text, json };
}
const judge = (o: Operation, url: string, res: Reply) => problems(at(url), o, res, spec, codes);

describe('fuzz oracle: what a bad answer is', () => {
  const url = '/realms/demo/authz/protection/resource_set/x';
  const oauth404 = { error: 'not_found', error_description: 'Resource not found' };

  it('accepts the documented answers', () => {
    assert.deepEqual(judge(RESOURCE, url, reply(404, oauth404)), []);
    assert.deepEqual(judge(OWNER, '/json/realms/root/realms/demo/users/alice/uma/policies', reply(400, { code: 400, reason: 'Bad Request', message: 'x' })), []);
    assert.deepEqual(judge(LOGIN, '/realms/demo/protocol/openid-connect/auth', reply(400, '<!DOCTYPE html><p>Bad request</p>', 'text/html; charset=utf-8')), []);
    assert.deepEqual(judge(READY, '/health/ready', reply(503, { status: 'DOWN' })), [], 'a 5xx the route documents, other than 500');
  });

  it('refuses a 500, whatever its body', () => {
    assert.ok(judge(RESOURCE, url, reply(500, { error: 'server_error' })).some((p) => p.includes('status 500')));
    assert.ok(judge(READY, '/health/ready', reply(500, { status: 'DOWN' })).some((p) => p.includes('status 500')));
  });

  it('refuses stack traces, file paths and driver messages', () => {
    const leaks = [
      'TypeError: Cannot read properties of undefined\n    at handler (/srv/app/dist/x.js:1:2)',
      'failed at Object.parse (node:internal/json:1)',
      '/usr/lib/node_modules/fastify/lib/route.js',
      'SQLITE_CONSTRAINT_PRIMARYKEY',
      'duplicate key value violates unique constraint "users_pkey"',
      'FST_ERR_CTP_INVALID_MEDIA_TYPE',
    ];
    for (const leak of leaks) assert.notDeepEqual(judge(RESOURCE, url, reply(400, { error: 'invalid_request', error_description: leak })), [], leak);
    assert.deepEqual(judge(RESOURCE, url, reply(400, { error: 'invalid_request', error_description: 'at most 100 (Fed Authz §4.1)' })), [], 'prose is no stack frame');
  });

  it('refuses the wrong error format for the route family', () => {
    assert.notDeepEqual(judge(RESOURCE, url, reply(404, { code: 404, reason: 'Not Found', message: 'x' })), [], 'CREST on a protocol route');
    assert.notDeepEqual(judge(OWNER, '/json/realms/root/realms/demo/users/alice/uma/policies', reply(400, { error: 'invalid_request' })), [], 'OAuth on an owner API');
    assert.notDeepEqual(judge(LOGIN, '/realms/demo/protocol/openid-connect/auth', reply(400, { error: 'invalid_request' })), [], 'JSON on a page');
    assert.notDeepEqual(judge(RESOURCE, url, reply(404, oauth404, 'text/plain')), [], 'not a JSON content type');
    assert.notDeepEqual(judge(RESOURCE, url, reply(404, oauth404, 'application/json', 'max-age=60')), [], 'cacheable');
    assert.notDeepEqual(judge(RESOURCE, url, reply(404, { ...oauth404, stack: 'x' })), [], 'an undocumented member');
    assert.notDeepEqual(judge(OWNER, '/json/realms/root/realms/demo/users/alice/uma/policies', reply(400, { code: 404, reason: 'Not Found', message: 'x' })), [], 'CREST code is not the status');
  });

  it('refuses a code outside the closed list, or at another status than documented', () => {
    assert.notDeepEqual(judge(RESOURCE, url, reply(400, { error: 'bad_things' })), []);
    assert.notDeepEqual(judge(RESOURCE, url, reply(400, { error: 'not_found' })), []);
  });
});

for (const dialect of dialects) {
  describe(`fuzz oracle: the store check finds planted orphans (${dialect})`, () => {
    let s: FuzzSteward;
    before(async () => {
      s = await startFuzzSteward(dialect);
    });
    after(async () => s?.close());

    it('the fingerprint of managed tables changes with a write to them, not with a sign-in failure', async () => {
      const probe = openStoreProbe(s.databaseUrl);
      try {
        const before = await probe.fingerprint();
        await s.deps.store.rateLimits.recordFailure('demo', 'dave', s.deps.clock.now(), 0);
        assert.deepEqual(changedTables(before, await probe.fingerprint()), []);
        const alice = (await s.deps.store.users.findByUsername('demo', 'alice'))!;
        await s.deps.store.users.update({ ...alice, disabled: true });
        await s.deps.store.groups.create({ realm: 'demo', id: 'g-0', name: 'probe', visible: false, createdAt: 0 });
        assert.deepEqual(changedTables(before, await probe.fingerprint()), ['users', 'groups']);
        await s.deps.store.users.update(alice);
        await s.deps.store.groups.delete('demo', 'g-0');
      } finally {
        await probe.close();
      }
    });

    it('a consistent demo realm passes', async () => {
      assert.deepEqual(await storeInconsistencies(s.databaseUrl), []);
    });

    it('reports a policy without resource, a ticket on another owner\'s resource, a dangling member and an outbox row without event', async () => {
      const store = s.deps.store;
      const alice = (await store.users.findByUsername('demo', 'alice'))!;
      const now = s.deps.clock.now();
      await store.resources.insert({ realm: 'demo', id: 'res-1', owner: alice.id, resourceServer: 'photoz-rs', name: 'Album', type: null, iconUri: null, description: null, scopes: ['view'], extra: {}, createdAt: now, updatedAt: now });
      await store.policies.create({ realm: 'demo', id: 'no-such-resource', owner: alice.id, rev: 'r1', permissions: [{ subject: 'bob', scopes: ['view'] }], createdAt: now, updatedAt: now });
      await store.tickets.insert({ realm: 'demo', hash: 'f'.repeat(64), owner: 'someone-else', resourceServer: 'photoz-rs', permissions: [{ resourceId: 'res-1', scopes: ['view'] }], claims: {}, createdAt: now, expiresAt: now + 300 });
      await store.groups.create({ realm: 'demo', id: 'g-1', name: 'planted', visible: false, createdAt: now });
      await store.groups.addMember('demo', 'g-1', 'no-such-user');
      await store.outbox.enqueue([{
        id: 'd-1', realm: 'demo', eventId: 'no-such-event', eventType: 'share.granted', channel: 'webhook', target: 'w', attempts: 0, nextAttemptAt: 0, status: 'pending', lastError: null, lockedUntil: null, createdAt: now,
        payload: { id: 'no-such-event', type: 'share.granted', at: now, realm: 'demo', data: {} },
      }]);

      const found = await storeInconsistencies(s.databaseUrl);
      const expect = (pattern: RegExp) => assert.ok(found.some((f) => pattern.test(f)), `${pattern} not in:\n${found.join('\n')}`);
      expect(/^policy no-such-resource of .*: its resource does not exist$/);
      expect(/^ticket f{8}: resource res-1 is not someone-else's at photoz-rs$/);
      expect(/^group g-1: member no-such-user does not exist$/);
      expect(/^outbox d-1: event no-such-event does not exist$/);
      assert.equal(found.length, 4, found.join('\n'));
    });
  });
}
