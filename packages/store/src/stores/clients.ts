/** @module stores/clients — ClientStore on Kysely. */
import type { Client, ClientStore, GrantType, SigningAlg } from '@steward/core';
import type { Kysely } from 'kysely';
import { affected, byKey, fromFlag, fromJson, insertOrConflict, toFlag, toJson } from '../codec.ts';
import type { ClientRow, Database } from '../schema.ts';
import { NO_SYNC, type WriteDurability } from '../durability.ts';
import { cachedRow } from '../prepared.ts';

export class KyselyClientStore implements ClientStore {
  readonly #db: Kysely<Database>;
  /** Told of each write that removes access (durability). */
  readonly #durable: WriteDurability;

  constructor(db: Kysely<Database>, durable: WriteDurability = NO_SYNC) {
    this.#db = db;
    this.#durable = durable;
  }

  async get(realm: string, clientId: string): Promise<Client | null> {
    const row = await cachedRow(this.#db, 'clients.get', [realm, clientId], () =>
      this.#db.selectFrom('clients').selectAll().where('realm', '=', realm).where('client_id', '=', clientId),
    );
    return row ? toClient(row) : null;
  }

  async create(client: Client): Promise<void> {
    await insertOrConflict(`client ${client.clientId}`, () =>
      this.#db
        .insertInto('clients')
        .values({ realm: client.realm, client_id: client.clientId, ...mutableColumns(client), created_at: client.createdAt })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst(),
    );
  }

  async list(realm: string): Promise<Client[]> {
    const rows = await this.#db.selectFrom('clients').selectAll().where('realm', '=', realm).orderBy('client_id').execute();
    return byKey(rows.map(toClient), (c) => c.clientId);
  }

  async update(client: Client): Promise<boolean> {
    const result = await this.#db
      .updateTable('clients')
      .set(mutableColumns(client))
      .where('realm', '=', client.realm)
      .where('client_id', '=', client.clientId)
      .executeTakeFirst();
    // A disabled client, a new secret or fewer grant types or redirect URIs remove access.
    const changed = affected(result.numUpdatedRows) > 0;
    if (changed) this.#durable.accessRemoved();
    return changed;
  }

  async delete(realm: string, clientId: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('clients').where('realm', '=', realm).where('client_id', '=', clientId).executeTakeFirst();
    const changed = affected(result.numDeletedRows) > 0;
    if (changed) this.#durable.accessRemoved();
    return changed;
  }
}

function toClient(row: ClientRow): Client {
  return {
    realm: row.realm,
    clientId: row.client_id,
    secretHash: row.secret_hash,
    ...(row.previous_secret_hash !== null && row.previous_secret_until !== null ? { previousSecret: { hash: row.previous_secret_hash, until: Number(row.previous_secret_until) } } : {}),
    name: row.name,
    grantTypes: fromJson<GrantType[]>(row.grant_types),
    redirectUris: fromJson<string[]>(row.redirect_uris),
    claimsRedirectUris: fromJson<string[]>(row.claims_redirect_uris),
    umaScopes: fromJson<string[]>(row.uma_scopes),
    signingAlg: row.signing_alg as SigningAlg | null,
    rptRefreshTokens: fromFlag(row.rpt_refresh_tokens),
    disabled: fromFlag(row.disabled),
    createdAt: Number(row.created_at),
  };
}

/** The columns an update replaces: every field but the key and the creation time. */
function mutableColumns(client: Client) {
  return {
    secret_hash: client.secretHash,
    previous_secret_hash: client.previousSecret?.hash ?? null,
    previous_secret_until: client.previousSecret?.until ?? null,
    name: client.name,
    grant_types: toJson(client.grantTypes),
    redirect_uris: toJson(client.redirectUris),
    claims_redirect_uris: toJson(client.claimsRedirectUris),
    uma_scopes: toJson(client.umaScopes),
    signing_alg: client.signingAlg,
    rpt_refresh_tokens: toFlag(client.rptRefreshTokens),
    disabled: toFlag(client.disabled),
  };
}
