/** @module stores/webhooks — WebhookStore on Kysely: a realm's webhook subscriptions. */
import type { Webhook, WebhookEvent, WebhookStore } from '@steward/core';
import type { Kysely } from 'kysely';
import { affected, byKey, fromFlag, fromJson, insertOrConflict, toFlag, toJson } from '../codec.ts';
import type { Database, WebhookRow } from '../schema.ts';

export class KyselyWebhookStore implements WebhookStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async get(realm: string, id: string): Promise<Webhook | null> {
    const row = await this.#db.selectFrom('webhooks').selectAll().where('realm', '=', realm).where('id', '=', id).executeTakeFirst();
    return row ? toWebhook(row) : null;
  }

  async list(realm: string): Promise<Webhook[]> {
    const rows = await this.#db.selectFrom('webhooks').selectAll().where('realm', '=', realm).execute();
    return byKey(rows.map(toWebhook), (w) => w.id);
  }

  async create(webhook: Webhook): Promise<void> {
    await insertOrConflict(`webhook ${webhook.id}`, () =>
      this.#db.insertInto('webhooks').values(toRow(webhook)).onConflict((oc) => oc.doNothing()).executeTakeFirst(),
    );
  }

  async put(webhook: Webhook): Promise<void> {
    const row = toRow(webhook);
    await this.#db
      .insertInto('webhooks')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['realm', 'id']).doUpdateSet({ url: row.url, secret: row.secret, events: row.events, enabled: row.enabled }),
      )
      .execute();
  }

  async delete(realm: string, id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('webhooks').where('realm', '=', realm).where('id', '=', id).executeTakeFirst();
    return affected(result.numDeletedRows) > 0;
  }
}

function toRow(w: Webhook): WebhookRow {
  return {
    realm: w.realm,
    id: w.id,
    url: w.url,
    secret: w.secret,
    events: toJson(w.events),
    enabled: toFlag(w.enabled),
    created_at: w.createdAt,
  };
}

function toWebhook(row: WebhookRow): Webhook {
  return {
    realm: row.realm,
    id: row.id,
    url: row.url,
    secret: row.secret,
    events: fromJson<WebhookEvent[]>(row.events),
    enabled: fromFlag(row.enabled),
    createdAt: Number(row.created_at),
  };
}
