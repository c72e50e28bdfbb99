/**
 * Signing-key rotation over HTTP with a moving clock, on both stores: a rotated key is published at
 * once but signs only after the activation delay; the old key stops signing then, keeps verifying its
 * tokens until it retires (activation + longest token lifetime + a minute), and leaves `certs` then;
 * another process's key ring picks the new key up from the database; purge deletes retired keys.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { purgeExpired } from '@steward/core';
import { KeyRing } from '../../packages/server/src/crypto/keys.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { admin, startAdminSteward } from '../admin-api/fixture.ts';
import { basic, DEMO, postForm, request } from '../helpers/http.ts';
import { TestClock, type TestSteward } from '../helpers/steward.ts';

const DELAY = 30;
const CERTS = '/realms/demo/protocol/openid-connect/certs';

function kidOf(jwt: string): string {
  return JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')).kid;
}

for (const dialect of dialects) {
  describe(`key rotation (${dialect})`, () => {
    const clock = new TestClock();
    let s: TestSteward;
    const t0 = clock.now();
    before(async () => {
      s = await startAdminSteward(dialect, { clock, keyActivationDelay: DELAY });
    });
    after(() => s?.close());

    const token = async () => {
      const res = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.equal(res.status, 200, res.body);
      return res.json.access_token as string;
    };
    const active = async (jwt: string) => (await postForm(s.app, DEMO.introspect, { token: jwt }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) })).json.active;
    const certKids = async () => ((await request(s.app, 'GET', CERTS)).json.keys as Array<{ kid: string }>).map((k) => k.kid).sort();

    it('publishes the new keys at once, signs with them after the delay, verifies old tokens until retirement', async () => {
      const before = await certKids();
      assert.equal(before.length, 2);
      const oldToken = await token();
      const oldKid = kidOf(oldToken);
      assert.ok(before.includes(oldKid));
      const otherNode = new KeyRing(s.deps.store, clock, s.deps.issuer);
      assert.equal((await otherNode.jwks('demo')).keys.length, 2);

      const rotated = await admin(s, 'POST', '/admin/realms/demo/keys/rotate');
      assert.equal(rotated.status, 200, rotated.body);
      assert.equal(rotated.json.added.length, 2);
      assert.ok(rotated.json.added.every((k: { state: string; activeFrom: number }) => k.state === 'pending' && k.activeFrom === t0 + DELAY));
      const newKids = rotated.json.added.map((k: { kid: string }) => k.kid);
      assert.deepEqual(await certKids(), [...before, ...newKids].sort(), 'published at once');
      assert.ok(!JSON.stringify(rotated.json).includes('"d"'), 'no private key material');
      assert.equal(kidOf(await token()), oldKid, 'the new key does not sign before its activation');

      clock.advance(DELAY);
      const newToken = await token();
      const newKid = kidOf(newToken);
      assert.ok(newKids.includes(newKid), 'the new key signs from its activation on');
      assert.equal(await active(oldToken), true, 'tokens of the old key still verify');
      assert.equal(await active(newToken), true);
      assert.ok(await otherNode.verify('demo', newToken), 'another key ring finds the new key in the database');

      const keys = (await admin(s, 'GET', '/admin/realms/demo/keys')).json as Array<{ kid: string; state: string; retiredAt: number | null }>;
      const old = keys.find((k) => k.kid === oldKid)!;
      assert.equal(old.state, 'retiring');
      assert.equal(old.retiredAt, t0 + DELAY + 300 + 60, 'retires after the longest token lifetime and a minute');
      assert.equal(keys.find((k) => k.kid === newKid)!.state, 'active');

      clock.advance(300 + 60);
      assert.deepEqual(await certKids(), [...newKids].sort(), 'the old keys leave certs when they retire');
      assert.equal(await otherNode.verify('demo', oldToken), null, 'a retired key verifies nothing');
      const states = (await admin(s, 'GET', '/admin/realms/demo/keys')).json.map((k: { state: string }) => k.state).sort();
      assert.deepEqual(states, ['active', 'active', 'retired', 'retired']);

      clock.advance(1);
      const purged = await purgeExpired(s.deps, { batch: 1 });
      assert.equal(purged.keys, 2, 'retired keys are purged, one batch at a time');
      assert.equal((await s.deps.store.keys.listAll('demo')).length, 2);
      assert.equal(await active(newToken), false, 'expired by now');
    });

    it('rotates one algorithm only when asked, and refuses an unknown algorithm or member', async () => {
      const res = await admin(s, 'POST', '/admin/realms/demo/keys/rotate', { alg: 'ES256' });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json.added.map((k: { alg: string }) => k.alg), ['ES256']);
      for (const body of [{ alg: 'HS256' }, { algorithm: 'ES256' }, ['ES256']]) {
        const bad = await admin(s, 'POST', '/admin/realms/demo/keys/rotate', body);
        assert.equal(bad.status, 400, JSON.stringify(body));
        assert.equal(bad.json.error, 'invalid_request');
      }
      assert.equal((await admin(s, 'POST', '/admin/realms/nope/keys/rotate')).status, 404);
    });
  });
}
