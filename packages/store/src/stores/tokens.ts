/** @module stores/tokens — TokenStore on Kysely; consume is one DELETE … RETURNING. */
import type { TokenData, TokenKind, TokenRecord, TokenStore } from '@steward/core';
import type { Kysely } from 'kysely';
import { affected, conflict, fromFlag, fromJson, insertOrConflict, isUniqueViolation, toFlag, toJson } from '../codec.ts';
import { deleteBefore } from '../purge.ts';
import type { Database, TokenRow } from '../schema.ts';
import { NO_SYNC, type WriteDurability } from '../durability.ts';
import { cachedRow, firstRow } from '../prepared.ts';
import { grantResourceRows, liveByResourceQuery, upsertGrantResources } from './grant-resources.ts';
import { GRANT_RESOURCES_KEY } from '../migrations/0012-grant-resources.ts';

export function toRow(token: TokenRecord) {
  return {
    realm: token.realm,
    id: token.id,
    kind: token.kind,
    client_id: token.clientId,
    subject: token.subject,
    grant_id: token.grantId,
    created_at: token.createdAt,
    expires_at: token.expiresAt,
    revoked: toFlag(token.revoked),
    data: toJson(token.data),
  };
}

export class KyselyTokenStore implements TokenStore {
  readonly #db: Kysely<Database>;
  /** Told of each write that removes access (durability). */
  readonly #durable: WriteDurability;

  constructor(db: Kysely<Database>, durable: WriteDurability = NO_SYNC) {
    this.#db = db;
    this.#durable = durable;
  }

  async insert(token: TokenRecord): Promise<void> {
    await this.#withIndex([token], async (db) => {
      await insertOrConflict('token', () =>
        db
          .insertInto('tokens')
          .values(toRow(token))
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst(),
      );
    });
  }

  async insertMany(tokens: TokenRecord[]): Promise<void> {
    if (tokens.length === 0) return;
    await this.#withIndex(tokens, async (db) => {
      // No ON CONFLICT here: a unique violation aborts the whole statement, so it is all or nothing.
      try {
        await db.insertInto('tokens').values(tokens.map(toRow)).execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('token');
        throw error;
      }
    });
  }

  /** Runs `insert`, and writes the records' grant index rows (grant-resources) in the same transaction. */
  async #withIndex(tokens: readonly TokenRecord[], insert: (db: Kysely<Database>) => Promise<void>): Promise<void> {
    const rows = grantResourceRows(tokens);
    if (rows.length === 0) return insert(this.#db);
    const run = async (db: Kysely<Database>) => {
      await insert(db);
      await upsertGrantResources(db, rows).execute();
    };
    await (this.#db.isTransaction ? run(this.#db) : this.#db.transaction().execute(run));
  }

  async get(realm: string, id: string): Promise<TokenRecord | null> {
    // Cached on SQLite until any change (a revocation included); an absent record is not remembered,
    // since the grant's own commit inserts records without changing the version.
    const row = await cachedRow(this.#db, 'tokens.get', [realm, id], () => this.#db.selectFrom('tokens').selectAll().where('realm', '=', realm).where('id', '=', id), { misses: false });
    return row ? toToken(row) : null;
  }

  /**
   * One statement removes an unrevoked record of this kind, so exactly one caller receives it. A revoked
   * record or one of another kind is left in place; an expired one (`expiresAt <= now`) is removed and
   * null returned.
   */
  async consume(realm: string, id: string, kind: TokenKind, now: number): Promise<TokenRecord | null> {
    const row = await firstRow(this.#db, 'tokens.consume', [realm, id, kind, 0], () =>
      this.#db.deleteFrom('tokens').where('realm', '=', realm).where('id', '=', id).where('kind', '=', kind).where('revoked', '=', 0).returningAll(),
    );
    if (!row || Number(row.expires_at) <= now) return null;
    return toToken(row);
  }

  async revoke(realm: string, id: string): Promise<boolean> {
    const result = await this.#db
      .updateTable('tokens')
      .set({ revoked: 1 })
      .where('realm', '=', realm)
      .where('id', '=', id)
      .executeTakeFirst();
    const changed = affected(result.numUpdatedRows) > 0;
    if (changed) this.#durable.accessRemoved();
    return changed;
  }

  async revokeGrant(realm: string, grantId: string): Promise<number> {
    const result = await this.#db
      .updateTable('tokens')
      .set({ revoked: 1 })
      .where('realm', '=', realm)
      .where('grant_id', '=', grantId)
      .where('revoked', '=', 0)
      .executeTakeFirst();
    const changed = affected(result.numUpdatedRows);
    if (changed > 0) this.#durable.accessRemoved();
    return changed;
  }

  /**
   * The grants holding a permission on the resource come from their index (grant-resources: one row per
   * realm, resource and grant), then their live records by (realm, grant); each record's permissions
   * are matched exactly. Cost: proportional to the grants on that resource, whatever the realm's size.
   */
  async listLiveByResource(realm: string, resourceId: string, now: number): Promise<TokenRecord[]> {
    const rows = await liveByResourceQuery(this.#db, realm, resourceId, now).execute();
    return rows.map(toToken).filter((token) => namesResource(token.data, resourceId));
  }

  /** Deletes records with `expiresAt < now`, in every realm (at most `limit`). */
  async purgeExpired(now: number, limit?: number): Promise<number> {
    const purged = await deleteBefore(this.#db, 'tokens', 'expires_at', now, limit);
    // The grant index rows expire with the last of their records (a later expiry never precedes them).
    await deleteBefore(this.#db, 'grant_resources', 'expires_at', now, limit, GRANT_RESOURCES_KEY);
    // So do the revocation log's entries (migration 0016): a resource server refuses an expired RPT by itself.
    await deleteBefore(this.#db, 'revocations', 'expires_at', now, limit);
    return purged;
  }

  async revokeAllFor(realm: string, who: { subject: string } | { clientId: string }): Promise<number> {
    const result = await this.#db
      .updateTable('tokens')
      .set({ revoked: 1 })
      .where('realm', '=', realm)
      .where('revoked', '=', 0)
      .where('subject' in who ? 'subject' : 'client_id', '=', 'subject' in who ? who.subject : who.clientId)
      .executeTakeFirst();
    const changed = affected(result.numUpdatedRows);
    if (changed > 0) this.#durable.accessRemoved();
    return changed;
  }
}

function namesResource(data: TokenData, resourceId: string): boolean {
  const permissions: unknown = data.permissions;
  return Array.isArray(permissions) && permissions.some((p) => typeof p === 'object' && p !== null && (p as { resourceId?: unknown }).resourceId === resourceId);
}

function toToken(row: TokenRow): TokenRecord {
  return {
    realm: row.realm,
    id: row.id,
    kind: row.kind as TokenKind,
    clientId: row.client_id,
    subject: row.subject,
    grantId: row.grant_id,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    revoked: fromFlag(row.revoked),
    data: fromJson<TokenData>(row.data),
  };
}
