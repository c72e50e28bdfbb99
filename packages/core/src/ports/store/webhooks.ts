/** @module ports/store/webhooks — a realm's webhook subscriptions. */
import type { Webhook } from '../../model/webhook.ts';

/** A realm's webhook subscriptions. Secrets are stored as given (signing needs them). */
export interface WebhookStore {
  /** Null when absent. */
  get(realm: string, id: string): Promise<Webhook | null>;
  /** The realm's webhooks ordered by id. */
  list(realm: string): Promise<Webhook[]>;
  /** Throws `conflict` when the realm has a webhook with this id. */
  create(webhook: Webhook): Promise<void>;
  /** Creates the webhook, or replaces url, secret, events and enabled of the one with this id (createdAt kept). */
  put(webhook: Webhook): Promise<void>;
  /** Returns false when absent. Pending deliveries to it stay; the worker dead-letters them. */
  delete(realm: string, id: string): Promise<boolean>;
}
