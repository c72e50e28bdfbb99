/** @module test/suite/identity — realms, keys, users and clients. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '@steward/core';
import { assertConflict, client, key, realm, T, user } from './fixtures.ts';

export function identityTests(s: () => Store): void {
  describe('hostile strings', () => {
    it('a NUL byte in a looked-up id or name finds nothing, on every dialect, and never throws', async () => {
      const r = realm();
      await s().realms.create(r);
      const nul = 'a\u0000b';
      assert.equal(await s().realms.get(nul), null);
      assert.equal(await s().users.findByUsername(r.id, nul), null);
      assert.equal(await s().users.get(nul, nul), null);
      assert.equal(await s().clients.get(r.id, nul), null);
      assert.equal(await s().tokens.get(r.id, nul), null);
      assert.equal(await s().tickets.consume(r.id, nul, 0), null);
      assert.equal(await s().sessions.get(r.id, nul, 0), null);
      assert.deepEqual(await s().resources.getMany(r.id, nul, [nul]), []);
    });
  });

  describe('realms', () => {
    it('round-trips every field and answers null for an unknown id', async () => {
      const r = realm();
      await s().realms.create(r);
      assert.deepEqual(await s().realms.get(r.id), r);
      assert.equal(await s().realms.get('nope'), null);
    });

    it('rejects a duplicate id with conflict', async () => {
      const r = realm();
      await s().realms.create(r);
      await assertConflict(s().realms.create({ ...r, displayName: 'other' }));
      assert.equal((await s().realms.get(r.id))?.displayName, r.displayName);
    });

    it('update replaces display name and settings, keeps createdAt, and is false when absent', async () => {
      const r = realm();
      await s().realms.create(r);
      const changed = { ...r, displayName: 'Renamed', settings: { ...r.settings, pollInterval: 9 }, createdAt: 1 };
      assert.equal(await s().realms.update(changed), true);
      assert.deepEqual(await s().realms.get(r.id), { ...changed, createdAt: r.createdAt });
      assert.equal(await s().realms.update(realm({ id: 'absent' })), false);
      assert.equal(await s().realms.get('absent'), null);
    });

    it('lists ordered by id', async () => {
      for (const id of ['m-2', 'a_1', 'z', 'a-1', 'm10', '0']) await s().realms.create(realm({ id }));
      assert.deepEqual((await s().realms.list()).map((r) => r.id), ['0', 'a-1', 'a_1', 'm-2', 'm10', 'z']);
    });
  });

  describe('keys', () => {
    it('lists the realm’s unretired keys oldest first, every field intact', async () => {
      const k2 = key('r1', { createdAt: T + 10, alg: 'RS256', kid: 'k2' });
      const k1 = key('r1', { createdAt: T, kid: 'k1' });
      const retired = key('r1', { createdAt: T - 10, retiredAt: T - 5, kid: 'k0' });
      const foreign = key('r2', { kid: 'k1' });
      for (const k of [k2, k1, retired, foreign]) await s().keys.insert(k);
      assert.deepEqual(await s().keys.list('r1'), [k1, k2]);
      assert.deepEqual(await s().keys.list('r2'), [foreign]);
      assert.deepEqual(await s().keys.list('r3'), []);
    });

    it('rejects a duplicate kid in a realm with conflict', async () => {
      await s().keys.insert(key('r1', { kid: 'same' }));
      await assertConflict(s().keys.insert(key('r1', { kid: 'same' })));
    });
  });

  describe('users', () => {
    it('round-trips every field, nulls and both flag values included', async () => {
      const a = user('r1');
      const b = user('r1', { email: null, admin: false, disabled: true });
      await s().users.create(a);
      await s().users.create(b);
      assert.deepEqual(await s().users.get('r1', a.id), a);
      assert.deepEqual(await s().users.get('r1', b.id), b);
    });

    it('is null for an unknown id or another realm', async () => {
      const a = user('r1');
      await s().users.create(a);
      assert.equal(await s().users.get('r1', 'nope'), null);
      assert.equal(await s().users.get('r2', a.id), null);
    });

    it('finds by exact, case-sensitive username within the realm', async () => {
      const a = user('r1', { username: 'alice' });
      await s().users.create(a);
      assert.deepEqual(await s().users.findByUsername('r1', 'alice'), a);
      assert.equal(await s().users.findByUsername('r1', 'Alice'), null);
      assert.equal(await s().users.findByUsername('r1', 'alic'), null);
      assert.equal(await s().users.findByUsername('r2', 'alice'), null);
    });

    it('rejects a duplicate username or id in the realm with conflict, allows it in another realm', async () => {
      const a = user('r1', { username: 'alice' });
      await s().users.create(a);
      await assertConflict(s().users.create(user('r1', { username: 'alice' })));
      await assertConflict(s().users.create(user('r1', { id: a.id })));
      await s().users.create(user('r2', { username: 'alice', id: a.id }));
      assert.equal((await s().users.list('r1')).length, 1);
    });

    it('lists the realm’s users ordered by username', async () => {
      for (const username of ['carol', 'Bob', 'alice', 'bob']) await s().users.create(user('r1', { username }));
      await s().users.create(user('r2', { username: 'aaron' }));
      assert.deepEqual((await s().users.list('r1')).map((u) => u.username), ['Bob', 'alice', 'bob', 'carol']);
      assert.deepEqual(await s().users.list('r3'), []);
    });
  });

  describe('clients', () => {
    it('round-trips every field, for a confidential and a public client', async () => {
      const confidential = client('r1');
      const pub = client('r1', {
        secretHash: null,
        signingAlg: null,
        grantTypes: [],
        redirectUris: [],
        claimsRedirectUris: [],
        umaScopes: [],
        rptRefreshTokens: false,
        disabled: true,
      });
      await s().clients.create(confidential);
      await s().clients.create(pub);
      assert.deepEqual(await s().clients.get('r1', confidential.clientId), confidential);
      assert.deepEqual(await s().clients.get('r1', pub.clientId), pub);
      assert.equal(await s().clients.get('r2', pub.clientId), null);
      assert.equal(await s().clients.get('r1', 'nope'), null);
    });

    it('rejects a duplicate client id in the realm with conflict, allows it in another realm', async () => {
      await s().clients.create(client('r1', { clientId: 'printer' }));
      await assertConflict(s().clients.create(client('r1', { clientId: 'printer', name: 'other' })));
      await s().clients.create(client('r2', { clientId: 'printer' }));
      assert.equal((await s().clients.get('r1', 'printer'))?.name, 'Photo printer');
    });

    it('lists the realm’s clients ordered by client id', async () => {
      for (const clientId of ['photoz', 'Printer', 'console', 'printer']) await s().clients.create(client('r1', { clientId }));
      await s().clients.create(client('r2', { clientId: 'admin' }));
      assert.deepEqual((await s().clients.list('r1')).map((c) => c.clientId), ['Printer', 'console', 'photoz', 'printer']);
    });
  });
}
