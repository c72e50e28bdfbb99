/** @module stores/tokens — TokenStore on Kysely; consume is one DELETE … RETURNING. */
import type { TokenData, TokenKind, TokenRecord, TokenStore } from '@steward/core';
import { sql, type Kysely } from 'kysely';
import { affected, conflict, fromFlag, fromJson, insertOrConflict, isUniqueViolation, toFlag, toJson } from '../codec.ts';
import { deleteBefore } from '../purge.ts';
import type { Database, TokenRow } from '../schema.ts';
import { NO_SYNC, type WriteDurability } from '../durability.ts';
import { cachedRow, firstRow } from '../prepared.ts';

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
    await insertOrConflict('token', () =>
      this.#db
        .insertInto('tokens')
        .values(toRow(token))
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst(),
    );
  }

  async insertMany(tokens: TokenRecord[]): Promise<void> {
    if (tokens.length === 0) return;
    // No ON CONFLICT here: a unique violation aborts the whole statement, so it is all or nothing.
    try {
      await this.#db.insertInto('tokens').values(tokens.map(toRow)).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('token');
      throw error;
    }
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
   * A `data LIKE` match on the JSON text of the records narrows the rows, then each record's permissions
   * are parsed and matched exactly (SQLite's LIKE ignores ASCII case, and the text could sit in another
   * field). Cost: no index covers `data`, so this scans every live 'rpt' and 'refresh' record of the
   * realm; it runs once per policy change, not per token request.
   */
  async listLiveByResource(realm: string, resourceId: string, now: number): Promise<TokenRecord[]> {
    // The stored text is JSON.stringify output, so the id appears exactly as toJson encodes it.
    const pattern = `%${escapeLike(`"resourceId":${toJson(resourceId)}`)}%`;
    const rows = await this.#db
      .selectFrom('tokens')
      .selectAll()
      .where('realm', '=', realm)
      .where('kind', 'in', ['rpt', 'refresh'])
      .where('revoked', '=', 0)
      .where('expires_at', '>', now)
      .where(sql<boolean>`${sql.ref('data')} LIKE ${pattern} ESCAPE '!'`)
      .execute();
    return rows.map(toToken).filter((token) => namesResource(token.data, resourceId));
  }

  /** Deletes records with `expiresAt < now`, in every realm (at most `limit`). */
  purgeExpired(now: number, limit?: number): Promise<number> {
    return deleteBefore(this.#db, 'tokens', ['realm', 'id'], 'expires_at', now, limit);
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

/** `value` as a LIKE pattern matching itself literally, with `!` as the escape character. */
function escapeLike(value: string): string {
  return value.replace(/[!%_]/g, (c) => `!${c}`);
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
