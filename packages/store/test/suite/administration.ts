/**
 * @module test/suite/administration — what realm administration and housekeeping need: user and
 * client update/delete, revoking everything of a subject or client, key retirement, bounded purges,
 * realm-wide listings.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '@steward/core';
import { client, key, policy, resource, session, T, ticket, token, user } from './fixtures.ts';

export function administrationTests(s: () => Store): void {
  describe('users: update and delete', () => {
    it('update replaces email, password hash, admin and disabled; keeps username and createdAt; false when absent', async () => {
      const u = user('r1', { admin: false });
      await s().users.create(u);
      const changed = { ...u, username: 'renamed', email: null, passwordHash: 'other', admin: true, disabled: true, createdAt: 1 };
      assert.equal(await s().users.update(changed), true);
      assert.deepEqual(await s().users.get('r1', u.id), { ...changed, username: u.username, createdAt: u.createdAt });
      assert.equal(await s().users.update(user('r1')), false);
      assert.equal(await s().users.update({ ...u, realm: 'r2' }), false);
    });

    it('delete removes only that user of that realm; false when absent', async () => {
      const a = user('r1');
      const b = user('r1');
      const other = user('r2', { id: a.id, username: a.username });
      for (const u of [a, b, other]) await s().users.create(u);
      assert.equal(await s().users.delete('r1', a.id), true);
      assert.equal(await s().users.delete('r1', a.id), false);
      assert.equal(await s().users.get('r1', a.id), null);
      assert.deepEqual(await s().users.get('r1', b.id), b);
      assert.deepEqual(await s().users.get('r2', a.id), other);
      // The name is free again.
      await s().users.create({ ...a, id: 'new-id' });
    });
  });

  describe('clients: update and delete', () => {
    it('update replaces every field but createdAt; false when absent', async () => {
      const c = client('r1');
      await s().clients.create(c);
      const changed = { ...c, secretHash: null, name: 'Other', grantTypes: ['password' as const], redirectUris: [], claimsRedirectUris: ['https://x.example/c'], umaScopes: [], signingAlg: null, rptRefreshTokens: false, disabled: true, createdAt: 5 };
      assert.equal(await s().clients.update(changed), true);
      assert.deepEqual(await s().clients.get('r1', c.clientId), { ...changed, createdAt: c.createdAt });
      assert.equal(await s().clients.update(client('r1')), false);
    });

    it('delete removes only that client; false when absent', async () => {
      const a = client('r1');
      const b = client('r2', { clientId: a.clientId });
      await s().clients.create(a);
      await s().clients.create(b);
      assert.equal(await s().clients.delete('r1', a.clientId), true);
      assert.equal(await s().clients.delete('r1', a.clientId), false);
      assert.equal(await s().clients.get('r1', a.clientId), null);
      assert.deepEqual(await s().clients.get('r2', a.clientId), b);
    });
  });

  describe('tokens: revokeAllFor', () => {
    it('revokes every unrevoked record of the subject (or of the client) in the realm only, and counts', async () => {
      const mine = [token('r1', { subject: 'u1', kind: 'access' }), token('r1', { subject: 'u1', kind: 'pct' }), token('r1', { subject: 'u1', revoked: true })];
      const others = [token('r1', { subject: 'u2', clientId: 'c2' }), token('r2', { subject: 'u1' })];
      for (const t of [...mine, ...others]) await s().tokens.insert(t);
      assert.equal(await s().tokens.revokeAllFor('r1', { subject: 'u1' }), 2);
      for (const t of mine) assert.equal((await s().tokens.get('r1', t.id))?.revoked, true);
      assert.equal((await s().tokens.get('r1', others[0]!.id))?.revoked, false);
      assert.equal((await s().tokens.get('r2', others[1]!.id))?.revoked, false);
      assert.equal(await s().tokens.revokeAllFor('r1', { clientId: 'c2' }), 1);
      assert.equal((await s().tokens.get('r1', others[0]!.id))?.revoked, true);
      assert.equal(await s().tokens.revokeAllFor('r1', { clientId: 'nobody' }), 0);
    });
  });

  describe('sessions: deleteForUser and purge', () => {
    it('deleteForUser removes that user’s sessions in that realm only', async () => {
      const a = session('r1', { userId: 'u1' });
      const b = session('r1', { userId: 'u1' });
      const c = session('r1', { userId: 'u2' });
      const d = session('r2', { userId: 'u1' });
      for (const x of [a, b, c, d]) await s().sessions.insert(x);
      assert.equal(await s().sessions.deleteForUser('r1', 'u1'), 2);
      assert.equal(await s().sessions.get('r1', a.hash, T), null);
      assert.notEqual(await s().sessions.get('r1', c.hash, T), null);
      assert.notEqual(await s().sessions.get('r2', d.hash, T), null);
    });

    it('purgeExpired deletes sessions expired before now in every realm, at most limit per call', async () => {
      for (const r of ['r1', 'r2', 'r1']) await s().sessions.insert(session(r, { expiresAt: T - 1 }));
      const boundary = session('r1', { expiresAt: T });
      await s().sessions.insert(boundary);
      assert.equal(await s().sessions.purgeExpired(T, 2), 2);
      assert.equal(await s().sessions.purgeExpired(T, 2), 1);
      assert.equal(await s().sessions.purgeExpired(T, 2), 0);
      assert.equal(await s().sessions.purgeExpired(T + 1), 1);
    });
  });

  describe('bounded purges of tickets and tokens', () => {
    it('honour the limit and leave unexpired rows', async () => {
      for (let i = 0; i < 5; i++) await s().tickets.insert(ticket(i % 2 ? 'r1' : 'r2', { expiresAt: T - 10 }));
      const live = ticket('r1', { expiresAt: T + 10 });
      await s().tickets.insert(live);
      assert.equal(await s().tickets.purgeExpired(T, 3), 3);
      assert.equal(await s().tickets.purgeExpired(T, 3), 2);
      assert.equal(await s().tickets.purgeExpired(T, 3), 0);
      assert.notEqual(await s().tickets.get(live.realm, live.hash, T), null);
      for (let i = 0; i < 4; i++) await s().tokens.insert(token('r1', { expiresAt: T - 10 }));
      const keep = token('r1', { expiresAt: T + 10 });
      await s().tokens.insert(keep);
      assert.equal(await s().tokens.purgeExpired(T, 3), 3);
      assert.equal(await s().tokens.purgeExpired(T, 3), 1);
      assert.notEqual(await s().tokens.get('r1', keep.id), null);
    });
  });

  describe('keys: retirement', () => {
    it('list with now includes keys retiring later; listAll includes retired ones; retire keeps the earlier time', async () => {
      const current = key('r1', { kid: 'a', createdAt: T });
      const retiring = key('r1', { kid: 'b', createdAt: T + 1 });
      const gone = key('r1', { kid: 'c', createdAt: T + 2, retiredAt: T - 1 });
      for (const k of [current, retiring, gone]) await s().keys.insert(k);
      assert.equal(await s().keys.retire('r1', 'b', T + 100), true);
      assert.equal(await s().keys.retire('r1', 'b', T + 500), true, 'a later time keeps the earlier retirement');
      assert.equal(await s().keys.retire('r1', 'nope', T), false);
      assert.deepEqual((await s().keys.list('r1')).map((k) => k.kid), ['a']);
      assert.deepEqual((await s().keys.list('r1', T + 99)).map((k) => k.kid), ['a', 'b']);
      assert.deepEqual((await s().keys.list('r1', T + 100)).map((k) => k.kid), ['a']);
      assert.deepEqual((await s().keys.listAll('r1')).map((k) => [k.kid, k.retiredAt]), [['a', null], ['b', T + 100], ['c', T - 1]]);
      assert.equal(await s().keys.retire('r1', 'b', T + 50), true);
      assert.equal((await s().keys.listAll('r1'))[1]!.retiredAt, T + 50, 'an earlier time wins');
    });

    it('purgeRetired deletes keys retired before now, at most limit, never current ones', async () => {
      await s().keys.insert(key('r1', { kid: 'x', retiredAt: T - 5 }));
      await s().keys.insert(key('r2', { kid: 'y', retiredAt: T - 5 }));
      await s().keys.insert(key('r1', { kid: 'z', retiredAt: T + 5 }));
      await s().keys.insert(key('r1', { kid: 'w' }));
      assert.equal(await s().keys.purgeRetired(T, 1), 1);
      assert.equal(await s().keys.purgeRetired(T, 10), 1);
      assert.deepEqual((await s().keys.listAll('r1')).map((k) => k.kid).sort(), ['w', 'z']);
      assert.deepEqual(await s().keys.listAll('r2'), []);
    });
  });

  describe('realm-wide listings', () => {
    it('resources and policies of every owner of the realm, ordered by id; existsForResourceServer; isSubjectNamed', async () => {
      const r1 = resource('r1', 'alice', { id: 'b-res', resourceServer: 'rs1' });
      const r2 = resource('r1', 'bob', { id: 'a-res', resourceServer: 'rs2' });
      const foreign = resource('r2', 'alice', { id: 'c-res', resourceServer: 'rs3' });
      for (const r of [r1, r2, foreign]) await s().resources.insert(r);
      assert.deepEqual(await s().resources.listByRealm('r1'), [r2, r1]);
      assert.equal(await s().resources.existsForResourceServer('r1', 'rs1'), true);
      assert.equal(await s().resources.existsForResourceServer('r1', 'rs3'), false);
      const p1 = policy('r1', 'alice', 'b-res', { permissions: [{ subject: 'carol', scopes: ['view'] }] });
      const p2 = policy('r1', 'bob', 'a-res');
      const p3 = policy('r1', 'dave', 'b-res', { resourceOwner: 'alice', permissions: [{ subject: 'erin', scopes: ['view'] }] });
      for (const p of [p1, p2, p3]) assert.equal(await s().policies.create(p), true);
      assert.deepEqual((await s().policies.listByRealm('r1')).map((p) => [p.id, p.owner]), [['a-res', 'bob'], ['b-res', 'alice'], ['b-res', 'dave']]);
      assert.deepEqual(await s().policies.listByRealm('r2'), []);
      assert.equal(await s().policies.isSubjectNamed('r1', 'carol'), true);
      assert.equal(await s().policies.isSubjectNamed('r1', 'erin'), true);
      assert.equal(await s().policies.isSubjectNamed('r1', 'Carol'), false);
      assert.equal(await s().policies.isSubjectNamed('r2', 'carol'), false);
    });
  });
}
