/**
 * @module test/fakes/tokens — TokenStore in memory, keyed by (realm, id). The revocation log is not
 * kept: revoking only marks the record.
 */
import { fail, type TokenRecord, type TokenStore } from '@steward/core';
import { Table } from './table.ts';

export class FakeTokens implements TokenStore {
  readonly table = new Table<TokenRecord>();

  async insert(token: TokenRecord): Promise<void> {
    this.table.set([token.realm, token.id], token);
  }

  async insertMany(tokens: TokenRecord[]): Promise<void> {
    if (tokens.some((t) => this.table.has([t.realm, t.id]))) throw fail('conflict', 'a token id exists');
    for (const t of tokens) this.table.set([t.realm, t.id], t);
  }

  async get(realm: string, id: string): Promise<TokenRecord | null> {
    return this.table.get([realm, id]);
  }

  async consume(realm: string, id: string, kind: TokenRecord['kind'], now: number): Promise<TokenRecord | null> {
    const token = this.table.get([realm, id]);
    if (!token || token.revoked || token.kind !== kind || token.expiresAt <= now) return null;
    this.table.delete([realm, id]);
    return token;
  }

  async revoke(realm: string, id: string): Promise<boolean> {
    const token = this.table.get([realm, id]);
    if (!token) return false;
    this.table.set([realm, id], { ...token, revoked: true }, true);
    return true;
  }

  async revokeGrant(realm: string, grantId: string): Promise<number> {
    return this.#revokeWhere((t) => t.realm === realm && t.grantId === grantId);
  }

  async revokeAllFor(realm: string, who: { subject: string } | { clientId: string }): Promise<number> {
    return this.#revokeWhere((t) => t.realm === realm && ('subject' in who ? t.subject === who.subject : t.clientId === who.clientId));
  }

  async listLiveByResource(realm: string, resourceId: string, now: number): Promise<TokenRecord[]> {
    return this.table.rows((t) => t.realm === realm && (t.kind === 'rpt' || t.kind === 'refresh') && !t.revoked && t.expiresAt > now && (t.data.permissions ?? []).some((p) => p.resourceId === resourceId));
  }

  async purgeExpired(now: number, limit = Infinity): Promise<number> {
    const expired = this.table.rows((t) => t.expiresAt < now).slice(0, limit);
    for (const t of expired) this.table.delete([t.realm, t.id]);
    return expired.length;
  }

  #revokeWhere(where: (t: TokenRecord) => boolean): number {
    const live = this.table.rows((t) => !t.revoked && where(t));
    for (const t of live) this.table.set([t.realm, t.id], { ...t, revoked: true }, true);
    return live.length;
  }
}
