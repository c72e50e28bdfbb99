/** @module ports/store/tokens — token records (access tokens, RPTs, refresh tokens, PCTs, authorization codes): single-use consumption and revocation. */
import type { TokenRecord } from '../../model/token.ts';

export interface TokenStore {
  /** Throws `conflict` when a record with the same (realm, id) exists. */
  insert(token: TokenRecord): Promise<void>;
  /**
   * Inserts all records with one statement: all are written or none (throws `conflict` when any
   * (realm, id) exists). What one answer issues together (RPT, refresh token, PCT) goes in one call.
   */
  insertMany(tokens: TokenRecord[]): Promise<void>;
  /** The record, revoked or expired ones included (the caller decides). */
  get(realm: string, id: string): Promise<TokenRecord | null>;
  /**
   * Atomically removes and returns an unrevoked record of this kind (codes, refresh tokens). Exactly one
   * concurrent caller receives it. Null when unknown, revoked, of another kind, or expired at `now`.
   */
  consume(realm: string, id: string, kind: TokenRecord['kind'], now: number): Promise<TokenRecord | null>;
  /**
   * Marks one record revoked. Returns false when absent. Every method that revokes an unrevoked RPT
   * record (this one, revokeGrant, revokeAllFor, GrantStore.redeem's `revoke`) appends it to the
   * revocation log, one entry per resource server of its permissions, in the same commit.
   */
  revoke(realm: string, id: string): Promise<boolean>;
  /** Marks every record of the grant revoked; returns how many changed. */
  revokeGrant(realm: string, grantId: string): Promise<number>;
  /**
   * The unrevoked records of kind 'rpt' or 'refresh' in the realm, unexpired at `now` (`expiresAt > now`),
   * whose `data.permissions` contain a permission with exactly this `resourceId`; any order. Records of
   * other kinds, realms or resources never appear, whatever characters the id holds. For revoking what
   * an owner stops sharing: its cost must follow the grants on that resource, never the realm's records
   * (a store indexes the grants by resource as it writes the records).
   */
  listLiveByResource(realm: string, resourceId: string, now: number): Promise<TokenRecord[]>;
  /**
   * Deletes records (every kind) that expired before `now`, in every realm, at most `limit` of them when
   * given; returns how many. Revocation log entries of RPTs expired before `now` go with them.
   */
  purgeExpired(now: number, limit?: number): Promise<number>;
  /**
   * Marks revoked every unrevoked record of the realm whose subject is `who.subject` or whose client is
   * `who.clientId` (the one given); returns how many changed. For disabling or deleting a user or a
   * client: it may scan every token record of the realm, so never call it on a request path.
   */
  revokeAllFor(realm: string, who: { subject: string } | { clientId: string }): Promise<number>;
}
