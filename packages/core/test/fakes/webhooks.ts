/** @module test/fakes/webhooks — a realm's webhook subscriptions, keyed by (realm, id). */
import type { Webhook, WebhookStore } from '@steward/core';
import { Table } from './table.ts';

export class FakeWebhooks implements Pick<WebhookStore, 'list' | 'put'> {
  readonly table = new Table<Webhook>();

  async list(realm: string): Promise<Webhook[]> {
    return this.table.rows((w) => w.realm === realm).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async put(webhook: Webhook): Promise<void> {
    const stored = this.table.get([webhook.realm, webhook.id]);
    this.table.set([webhook.realm, webhook.id], stored ? { ...webhook, createdAt: stored.createdAt } : webhook, true);
  }
}
