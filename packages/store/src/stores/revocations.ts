/**
 * @module stores/revocations
 * The revocation log (migration 0016) on Kysely, read by sequence. It is written by the database itself:
 * triggers on `tokens` log an RPT when a statement marks it revoked, in that statement, so every way of
 * revoking (one record, a grant, a user's or client's records, an upgraded RPT in the grant's commit)
 * logs it in its own commit, and nothing else writes it.
 */
import type { RevocationLog, RevokedRpt } from '@steward/core';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export class KyselyRevocationLog implements RevocationLog {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async last(): Promise<number> {
    const row = await this.#db.selectFrom('revocations').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row ? Number(row.seq) : 0;
  }

  async after(after: number, limit: number): Promise<RevokedRpt[]> {
    const rows = await this.#db.selectFrom('revocations').selectAll().where('seq', '>', after).orderBy('seq').limit(limit).execute();
    return rows.map(toRevoked);
  }

  async forResourceServer(realm: string, resourceServer: string, after: number, now: number, limit: number): Promise<RevokedRpt[]> {
    const rows = await this.#db
      .selectFrom('revocations')
      .selectAll()
      .where('realm', '=', realm)
      .where('resource_server', '=', resourceServer)
      .where('seq', '>', after)
      .where('expires_at', '>', now)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toRevoked);
  }
}

function toRevoked(row: { seq: number | string; realm: string; resource_server: string; jti: string; expires_at: number | string }): RevokedRpt {
  return { seq: Number(row.seq), realm: row.realm, resourceServer: row.resource_server, jti: row.jti, expiresAt: Number(row.expires_at) };
}
