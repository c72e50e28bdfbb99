/** @module test/fakes/policies — the PolicyStore lookups the grants use, keyed by (realm, owner, id). */
import type { Policy, PolicyStore } from '@steward/core';
import { Table } from './table.ts';

export class FakePolicies implements Pick<PolicyStore, 'get' | 'getMany' | 'create' | 'update' | 'listNaming'> {
  readonly table = new Table<Policy>();

  async get(realm: string, owner: string, id: string): Promise<Policy | null> {
    return this.table.get([realm, owner, id]);
  }

  async getMany(realm: string, owner: string, ids: string[]): Promise<Policy[]> {
    return ids.flatMap((id) => this.table.get([realm, owner, id]) ?? []);
  }

  async create(policy: Policy): Promise<boolean> {
    if (this.table.has([policy.realm, policy.owner, policy.id])) return false;
    this.table.set([policy.realm, policy.owner, policy.id], policy);
    return true;
  }

  async update(policy: Policy, expectedRev: string | null): Promise<'updated' | 'missing' | 'stale'> {
    const stored = this.table.get([policy.realm, policy.owner, policy.id]);
    if (!stored) return 'missing';
    if (expectedRev !== null && stored.rev !== expectedRev) return 'stale';
    this.table.set([policy.realm, policy.owner, policy.id], { ...stored, rev: policy.rev, permissions: policy.permissions, updatedAt: policy.updatedAt }, true);
    return 'updated';
  }

  async listNaming(realm: string, id: string, subject: string): Promise<Policy[]> {
    return this.table.rows((p) => p.realm === realm && p.id === id && p.permissions.some((q) => q.subject === subject));
  }
}
