/** @module stores/keys — KeyStore on Kysely. */
import type { KeyStore, SigningAlg, SigningKey } from '@steward/core';
import type { Kysely } from 'kysely';
import { fromJson, insertOrConflict, toJson } from '../codec.ts';
import type { Database, KeyRow } from '../schema.ts';

export class KyselyKeyStore implements KeyStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Keys whose `retiredAt` is null (the port gives no time to compare a future retirement with). */
  async list(realm: string): Promise<SigningKey[]> {
    const rows = await this.#db
      .selectFrom('keys')
      .selectAll()
      .where('realm', '=', realm)
      .where('retired_at', 'is', null)
      .orderBy('created_at')
      .orderBy('kid')
      .execute();
    return rows.map(toKey);
  }

  async insert(key: SigningKey): Promise<void> {
    await insertOrConflict(`key ${key.kid}`, () =>
      this.#db
        .insertInto('keys')
        .values({
          realm: key.realm,
          kid: key.kid,
          alg: key.alg,
          private_jwk: toJson(key.privateJwk),
          public_jwk: toJson(key.publicJwk),
          created_at: key.createdAt,
          active_from: key.activeFrom,
          retired_at: key.retiredAt,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst(),
    );
  }
}

function toKey(row: KeyRow): SigningKey {
  return {
    realm: row.realm,
    kid: row.kid,
    alg: row.alg as SigningAlg,
    privateJwk: fromJson<Record<string, unknown>>(row.private_jwk),
    publicJwk: fromJson<Record<string, unknown>>(row.public_jwk),
    createdAt: Number(row.created_at),
    activeFrom: Number(row.active_from),
    retiredAt: row.retired_at === null ? null : Number(row.retired_at),
  };
}
