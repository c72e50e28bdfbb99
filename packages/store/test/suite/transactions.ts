/** @module test/suite/transactions — commit, rollback and stores bound to the transaction. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '@steward/core';
import { policy, realm, resource, T, ticket, token, user } from './fixtures.ts';

export function transactionTests(s: () => Store): void {
  describe('transaction', () => {
    it('commits every write when fn resolves, and returns its value', async () => {
      const r = realm();
      const u = user(r.id);
      const result = await s().transaction(async (tx) => {
        await tx.realms.create(r);
        await tx.users.create(u);
        assert.deepEqual(await tx.users.get(r.id, u.id), u, 'reads see the transaction’s own writes');
        return 'done';
      });
      assert.equal(result, 'done');
      assert.deepEqual(await s().realms.get(r.id), r);
      assert.deepEqual(await s().users.get(r.id, u.id), u);
    });

    it('rolls back every write when fn throws, and rethrows the same error', async () => {
      const r = realm();
      const t = ticket('r1');
      await s().tickets.insert(t);
      const boom = new Error('boom');
      await assert.rejects(
        s().transaction(async (tx) => {
          await tx.realms.create(r);
          assert.deepEqual(await tx.tickets.consume('r1', t.hash, T), t);
          await tx.tokens.insert(token('r1'));
          throw boom;
        }),
        (e) => e === boom,
      );
      assert.equal(await s().realms.get(r.id), null);
      assert.deepEqual(await s().tickets.consume('r1', t.hash, T), t, 'the consumed ticket is back');
    });

    it('rolls back a resource delete, its policy included', async () => {
      const res = resource('r1', 'alice');
      const p = policy('r1', 'alice', res.id);
      await s().resources.insert(res);
      await s().policies.create(p);
      await assert.rejects(
        s().transaction(async (tx) => {
          assert.equal(await tx.resources.delete('r1', 'alice', res.id), true);
          assert.equal(await tx.policies.get('r1', 'alice', res.id), null);
          throw new Error('undo');
        }),
        /undo/,
      );
      assert.deepEqual(await s().resources.get('r1', 'alice', res.id), res);
      assert.deepEqual(await s().policies.get('r1', 'alice', res.id), p);
    });

    it('a conflict inside a transaction surfaces as conflict and rolls back', async () => {
      const r = realm();
      await s().realms.create(r);
      const other = realm();
      await assert.rejects(
        s().transaction(async (tx) => {
          await tx.realms.create(other);
          await tx.realms.create(r);
        }),
        (e: unknown) => (e as { code?: string }).code === 'conflict',
      );
      assert.equal(await s().realms.get(other.id), null);
    });

    it('transactions run one after another without losing writes', async () => {
      const ids = Array.from({ length: 10 }, (_, i) => `seq-${i}`);
      await Promise.all(ids.map((id) => s().transaction((tx) => tx.realms.create(realm({ id })))));
      assert.deepEqual((await s().realms.list()).map((r) => r.id), ids);
    });

    it('ping resolves', async () => {
      await s().ping();
    });
  });
}
