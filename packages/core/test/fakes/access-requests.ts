/** @module test/fakes/access-requests — the AccessRequestStore steps of a refused grant, keyed by (realm, owner, id). */
import type { AccessRequest, AccessRequestStore } from '@steward/core';
import { Table } from './table.ts';

export class FakeAccessRequests implements Pick<AccessRequestStore, 'upsertPending' | 'get' | 'answer' | 'listDenied'> {
  readonly table = new Table<AccessRequest>();

  async upsertPending(request: AccessRequest): Promise<AccessRequest> {
    const same = (r: AccessRequest) =>
      r.status === 'pending' && r.realm === request.realm && r.owner === request.owner && r.resourceId === request.resourceId && r.requester === request.requester && r.clientId === request.clientId;
    const pending = this.table.rows(same)[0];
    const stored = pending ? { ...pending, scopes: [...new Set([...pending.scopes, ...request.scopes])], updatedAt: request.updatedAt } : request;
    this.table.set([stored.realm, stored.owner, stored.id], stored, true);
    return stored;
  }

  async get(realm: string, owner: string, id: string): Promise<AccessRequest | null> {
    return this.table.get([realm, owner, id]);
  }

  async answer(realm: string, owner: string, id: string, status: 'approved' | 'denied', now: number, approvedScopes?: string[]): Promise<boolean> {
    const request = this.table.get([realm, owner, id]);
    if (!request || request.status !== 'pending') return false;
    this.table.set([realm, owner, id], { ...request, status, updatedAt: now, ...(approvedScopes ? { approvedScopes } : {}) }, true);
    return true;
  }

  async listDenied(realm: string, owner: string, resourceId: string, requester: string): Promise<AccessRequest[]> {
    return this.table.rows((r) => r.realm === realm && r.owner === owner && r.resourceId === resourceId && r.requester === requester && r.status === 'denied').sort((a, b) => b.updatedAt - a.updatedAt);
  }
}
