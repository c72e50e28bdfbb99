/** @module test/suite/single-use — tickets, tokens and sessions: consume, expiry, revocation, purge. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '@steward/core';
import { assertConflict, session, sorted, T, ticket, token } from './fixtures.ts';

export function singleUseTests(s: () => Store): void {
  describe('tickets', () => {
    it('consume returns every field once, then null', async () => {
      const t = ticket('r1');
      await s().tickets.insert(t);
      assert.deepEqual(await s().tickets.consume('r1', t.hash, T), t);
      assert.equal(await s().tickets.consume('r1', t.hash, T), null);
    });

    it('consume is null for an unknown hash or another realm, leaving the ticket', async () => {
      const t = ticket('r1', { permissions: [], claims: {} });
      await s().tickets.insert(t);
      assert.equal(await s().tickets.consume('r1', 'nope', T), null);
      assert.equal(await s().tickets.consume('r2', t.hash, T), null);
      assert.deepEqual(await s().tickets.consume('r1', t.hash, T), t);
    });

    it('is redeemable until just before expiresAt; at expiresAt it is null and removed', async () => {
      const live = ticket('r1');
      const expired = ticket('r1');
      await s().tickets.insert(live);
      await s().tickets.insert(expired);
      assert.deepEqual(await s().tickets.consume('r1', live.hash, live.expiresAt - 1), live);
      assert.equal(await s().tickets.consume('r1', expired.hash, expired.expiresAt), null);
      assert.equal(await s().tickets.consume('r1', expired.hash, T), null, 'an expired ticket is removed');
    });

    it('get reads a live ticket without consuming it; null for another realm, an unknown hash or once expired', async () => {
      const t = ticket('r1');
      await s().tickets.insert(t);
      assert.deepEqual(await s().tickets.get('r1', t.hash, T), t);
      assert.deepEqual(await s().tickets.get('r1', t.hash, t.expiresAt - 1), t, 'reading twice still finds it');
      assert.equal(await s().tickets.get('r2', t.hash, T), null);
      assert.equal(await s().tickets.get('r1', 'nope', T), null);
      assert.equal(await s().tickets.get('r1', t.hash, t.expiresAt), null, 'expired at expiresAt');
      assert.deepEqual(await s().tickets.consume('r1', t.hash, T), t, 'still redeemable after reads');
      assert.equal(await s().tickets.get('r1', t.hash, T), null, 'gone once consumed');
    });

    it('rejects a duplicate hash in the realm with conflict', async () => {
      const t = ticket('r1');
      await s().tickets.insert(t);
      await assertConflict(s().tickets.insert(t));
    });

    it('purgeExpired deletes tickets that expired before now, in every realm, and counts them', async () => {
      const old1 = ticket('r1', { expiresAt: T - 10 });
      const old2 = ticket('r2', { expiresAt: T - 1 });
      const edge = ticket('r1', { expiresAt: T });
      const live = ticket('r1', { expiresAt: T + 10 });
      for (const t of [old1, old2, edge, live]) await s().tickets.insert(t);
      assert.equal(await s().tickets.purgeExpired(T), 2);
      assert.equal(await s().tickets.purgeExpired(T), 0);
      assert.equal(await s().tickets.consume('r1', old1.hash, 0), null);
      assert.deepEqual(await s().tickets.consume('r1', edge.hash, T - 1), edge);
      assert.deepEqual(await s().tickets.consume('r1', live.hash, T), live);
    });
  });

  describe('tokens', () => {
    it('get round-trips every field, revoked and expired records included', async () => {
      const t = token('r1');
      const revokedExpired = token('r1', { kind: 'rpt', revoked: true, expiresAt: T - 1, data: {} });
      await s().tokens.insert(t);
      await s().tokens.insert(revokedExpired);
      assert.deepEqual(await s().tokens.get('r1', t.id), t);
      assert.deepEqual(await s().tokens.get('r1', revokedExpired.id), revokedExpired);
      assert.equal(await s().tokens.get('r2', t.id), null);
      assert.equal(await s().tokens.get('r1', 'nope'), null);
    });

    it('rejects a duplicate id in the realm with conflict', async () => {
      const t = token('r1');
      await s().tokens.insert(t);
      await assertConflict(s().tokens.insert({ ...t, kind: 'access' }));
      await s().tokens.insert({ ...t, realm: 'r2' });
    });

    it('insertMany writes all records, or none when one of them exists', async () => {
      const a = token('r1');
      const b = token('r1', { kind: 'refresh' });
      await s().tokens.insertMany([a, b]);
      assert.deepEqual(await s().tokens.get('r1', a.id), a);
      assert.deepEqual(await s().tokens.get('r1', b.id), b);
      const c = token('r1', { kind: 'pct' });
      await assertConflict(s().tokens.insertMany([c, { ...a, kind: 'access' }]));
      assert.equal(await s().tokens.get('r1', c.id), null, 'nothing of a failed batch is written');
      await s().tokens.insertMany([]);
    });

    it('consume returns the record of that kind once, then null, and it is gone', async () => {
      const code = token('r1', { kind: 'code', data: { redirectUri: 'https://app/cb', codeChallenge: 'abc', codeChallengeMethod: 'S256' } });
      await s().tokens.insert(code);
      assert.deepEqual(await s().tokens.consume('r1', code.id, 'code', T), code);
      assert.equal(await s().tokens.consume('r1', code.id, 'code', T), null);
      assert.equal(await s().tokens.get('r1', code.id), null);
    });

    it('consume is null for another kind, a revoked record, another realm or an unknown id', async () => {
      const refresh = token('r1');
      const revoked = token('r1', { revoked: true });
      await s().tokens.insert(refresh);
      await s().tokens.insert(revoked);
      assert.equal(await s().tokens.consume('r1', refresh.id, 'code', T), null);
      assert.equal(await s().tokens.consume('r2', refresh.id, 'refresh', T), null);
      assert.equal(await s().tokens.consume('r1', 'nope', 'refresh', T), null);
      assert.equal(await s().tokens.consume('r1', revoked.id, 'refresh', T), null);
      assert.deepEqual(await s().tokens.get('r1', revoked.id), revoked);
      assert.deepEqual(await s().tokens.consume('r1', refresh.id, 'refresh', T), refresh);
    });

    it('consume is null at or after expiresAt', async () => {
      const t = token('r1', { kind: 'pct' });
      await s().tokens.insert(t);
      assert.equal(await s().tokens.consume('r1', t.id, 'pct', t.expiresAt), null);
      assert.equal(await s().tokens.consume('r1', t.id, 'pct', T), null);
      const live = token('r1', { kind: 'pct' });
      await s().tokens.insert(live);
      assert.deepEqual(await s().tokens.consume('r1', live.id, 'pct', live.expiresAt - 1), live);
    });

    it('revoke marks one record revoked and is false when absent', async () => {
      const t = token('r1', { kind: 'access' });
      const other = token('r1', { kind: 'access', grantId: t.grantId });
      await s().tokens.insert(t);
      await s().tokens.insert(other);
      assert.equal(await s().tokens.revoke('r1', t.id), true);
      assert.equal(await s().tokens.revoke('r1', t.id), true, 'revoking again still finds the record');
      assert.deepEqual(await s().tokens.get('r1', t.id), { ...t, revoked: true });
      assert.deepEqual(await s().tokens.get('r1', other.id), other);
      assert.equal(await s().tokens.revoke('r1', 'nope'), false);
      assert.equal(await s().tokens.revoke('r2', t.id), false);
    });

    it('revokeGrant revokes every record of the grant in the realm and counts those that changed', async () => {
      const grantId = 'grant-x';
      const a = token('r1', { grantId, kind: 'access' });
      const b = token('r1', { grantId, kind: 'refresh' });
      const already = token('r1', { grantId, kind: 'rpt', revoked: true });
      const otherGrant = token('r1');
      const otherRealm = token('r2', { grantId });
      for (const t of [a, b, already, otherGrant, otherRealm]) await s().tokens.insert(t);
      assert.equal(await s().tokens.revokeGrant('r1', grantId), 2);
      assert.equal(await s().tokens.revokeGrant('r1', grantId), 0);
      assert.equal(await s().tokens.revokeGrant('r1', 'nope'), 0);
      for (const t of [a, b, already]) assert.equal((await s().tokens.get('r1', t.id))?.revoked, true);
      assert.equal((await s().tokens.get('r1', otherGrant.id))?.revoked, false);
      assert.equal((await s().tokens.get('r2', otherRealm.id))?.revoked, false);
      assert.equal(await s().tokens.consume('r1', b.id, 'refresh', T), null);
    });

    it('listLiveByResource lists the live RPT and refresh records naming exactly that resource id', async () => {
      const grant = (resourceId: string, owner = 'alice-id') => ({ resourceId, scopes: ['view'], owner, resourceServer: 'photoz' });
      const rpt = token('r1', { kind: 'rpt', data: { permissions: [grant('other'), grant('a_b%!c')] } });
      const refresh = token('r1', { kind: 'refresh', grantId: rpt.grantId, data: { permissions: [grant('a_b%!c')] } });
      const edge = token('r1', { kind: 'rpt', expiresAt: T + 1, data: { permissions: [grant('a_b%!c')] } });
      const absent = [
        token('r1', { kind: 'rpt', revoked: true, data: { permissions: [grant('a_b%!c')] } }),
        token('r1', { kind: 'refresh', expiresAt: T, data: { permissions: [grant('a_b%!c')] } }),
        token('r1', { kind: 'access', data: { scope: 'x', permissions: [grant('a_b%!c')] } }),
        token('r1', { kind: 'pct', data: { permissions: [grant('a_b%!c')] } }),
        token('r2', { kind: 'rpt', data: { permissions: [grant('a_b%!c')] } }),
        // LIKE wildcards and the escape character in the id match only themselves; case counts.
        token('r1', { kind: 'rpt', data: { permissions: [grant('aXbY!c')] } }),
        token('r1', { kind: 'rpt', data: { permissions: [grant('a_b%!cd')] } }),
        token('r1', { kind: 'rpt', data: { permissions: [grant('A_B%!C')] } }),
        token('r1', { kind: 'rpt', data: { permissions: [grant('xa_b%!c')] } }),
        // The id's JSON text outside `permissions` is not a permission.
        token('r1', { kind: 'rpt', data: { permissions: [grant('other')], elsewhere: [{ resourceId: 'a_b%!c' }] } }),
        token('r1', { kind: 'refresh', data: { scope: 'openid' } }),
      ];
      for (const t of [rpt, refresh, edge, ...absent]) await s().tokens.insert(t);
      const listed = await s().tokens.listLiveByResource('r1', 'a_b%!c', T);
      assert.deepEqual(sorted(listed.map((t) => t.id)), sorted([rpt.id, refresh.id, edge.id]));
      assert.deepEqual(listed.find((t) => t.id === rpt.id), rpt, 'every field round-trips');
      const later = await s().tokens.listLiveByResource('r1', 'a_b%!c', T + 1);
      assert.deepEqual(sorted(later.map((t) => t.id)), sorted([rpt.id, refresh.id]), 'live means expiresAt > now');
      assert.deepEqual(await s().tokens.listLiveByResource('r1', '%', T), []);
      assert.deepEqual(await s().tokens.listLiveByResource('r1', 'nope', T), []);
    });

    it('listLiveByResource matches ids holding quotes, backslashes and non-ASCII characters', async () => {
      const id = 'al"b\\u00e9m_%!\\\\ é✓';
      const t = token('r1', { kind: 'rpt', data: { permissions: [{ resourceId: id, scopes: [], owner: 'alice-id', resourceServer: 'photoz' }] } });
      await s().tokens.insert(t);
      assert.deepEqual(await s().tokens.listLiveByResource('r1', id, T), [t]);
      assert.deepEqual(await s().tokens.listLiveByResource('r1', 'al"bém_%!\\ é✓', T), []);
    });

    it('purgeExpired deletes records that expired before now and counts them', async () => {
      const old = token('r1', { expiresAt: T - 1, revoked: true });
      const oldElsewhere = token('r2', { expiresAt: T - 100 });
      const edge = token('r1', { expiresAt: T });
      for (const t of [old, oldElsewhere, edge]) await s().tokens.insert(t);
      assert.equal(await s().tokens.purgeExpired(T), 2);
      assert.equal(await s().tokens.get('r1', old.id), null);
      assert.deepEqual(await s().tokens.get('r1', edge.id), edge);
    });
  });

  describe('sessions', () => {
    it('round-trips every field while unexpired; null at expiresAt, unknown or in another realm', async () => {
      const x = session('r1');
      await s().sessions.insert(x);
      assert.deepEqual(await s().sessions.get('r1', x.hash, T), x);
      assert.deepEqual(await s().sessions.get('r1', x.hash, x.expiresAt - 1), x);
      assert.equal(await s().sessions.get('r1', x.hash, x.expiresAt), null);
      assert.equal(await s().sessions.get('r1', 'nope', T), null);
      assert.equal(await s().sessions.get('r2', x.hash, T), null);
    });

    it('delete is true once, then false', async () => {
      const x = session('r1');
      await s().sessions.insert(x);
      assert.equal(await s().sessions.delete('r2', x.hash), false);
      assert.equal(await s().sessions.delete('r1', x.hash), true);
      assert.equal(await s().sessions.delete('r1', x.hash), false);
      assert.equal(await s().sessions.get('r1', x.hash, T), null);
    });

    it('rejects a duplicate hash with conflict', async () => {
      const x = session('r1');
      await s().sessions.insert(x);
      await assertConflict(s().sessions.insert(x));
    });
  });
}
