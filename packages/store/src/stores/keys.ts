/** @module stores/keys — KeyStore on Kysely. */
import type { KeyStore, SigningAlg, SigningKey } from '@steward/core';
import type { Kysely } from 'kysely';
import { affected, fromJson, insertOrConflict, toJson } from '../codec.ts';
import { deleteBefore } from '../purge.ts';
import type { Database, KeyRow } from '../schema.ts';
import { NO_SYNC, type WriteDurability } from '../durability.ts';

export class KyselyKeyStore implements KeyStore {
  readonly #db: Kysely<Database>;
  /** Told of each write that removes access (durability). */
  readonly #durable: WriteDurability;

  constructor(db: Kysely<Database>, durable: WriteDurability = NO_SYNC) {
    this.#db = db;
    this.#durable = durable;
  }

  /** Keys whose `retiredAt` is null, or (given `now`) later than `now`. */
  async list(realm: string, now?: number): Promise<SigningKey[]> {
    const rows = await this.#db
      .selectFrom('keys')
      .selectAll()
      .where('realm', '=', realm)
      .where((eb) => (now === undefined ? eb('retired_at', 'is', null) : eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', now)])))
      .orderBy('created_at')
      .orderBy('kid')
      .execute();
    return rows.map(toKey);
  }

  async listAll(realm: string): Promise<SigningKey[]> {
    const rows = await this.#db.selectFrom('keys').selectAll().where('realm', '=', realm).orderBy('created_at').orderBy('kid').execute();
    return rows.map(toKey);
  }

  async retire(realm: string, kid: string, at: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('keys')
      .set((eb) => ({ retired_at: eb.case().when('retired_at', 'is', null).then(at).when('retired_at', '>', at).then(at).else(eb.ref('retired_at')).end() }))
      .where('realm', '=', realm)
      .where('kid', '=', kid)
      .executeTakeFirst();
    const changed = affected(result.numUpdatedRows) > 0;
    if (changed) this.#durable.accessRemoved();
    return changed;
  }

  purgeRetired(now: number, limit: number): Promise<number> {
    return deleteBefore(this.#db, 'keys', 'retired_at', now, limit);
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
