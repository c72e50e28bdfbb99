/**
 * @module services/webhooks
 * A realm's webhook subscriptions: add (or replace), list and remove; and its dead deliveries: list
 * and send again. The administrator API, the CLI, realm creation and the `webhooks` configuration key
 * all go through these, so one set of rules holds: an http(s) URL without credentials or fragment, an
 * id unique in the realm, a secret of at least 16 characters (generated when omitted and shown once),
 * and events among `WEBHOOK_EVENTS`.
 */
import { fail } from '../errors.ts';
import {
  isWebhookEvent,
  WEBHOOK_EVENTS,
  WEBHOOK_ID_PATTERN,
  WEBHOOK_SECRET_MIN_LENGTH,
  type Webhook,
  type WebhookEvent,
  type WebhookView,
} from '../model/webhook.ts';
import type { OutboxDelivery } from '../model/outbox.ts';
import type { Ports } from './ports.ts';

/** What a caller gives: everything but the realm and the creation time; most members optional. */
export interface WebhookInput {
  /** Generated (a UUID) when omitted. */
  id?: string;
  url: string;
  /** Generated when omitted; returned once by `addWebhook`. */
  secret?: string;
  /** Default: every event of `WEBHOOK_EVENTS`. */
  events?: string[];
  /** Default true. */
  enabled?: boolean;
}

/** Checks and completes `input` into a webhook of `realm`; throws `invalid_request` naming the member. */
export function webhookFrom(ports: Pick<Ports, 'random'>, realm: string, input: WebhookInput, now: number): Webhook {
  if (typeof input !== 'object' || input === null) throw fail('invalid_request', 'A webhook must be an object');
  const id = input.id ?? ports.random.uuid();
  if (typeof id !== 'string' || !WEBHOOK_ID_PATTERN.test(id)) throw fail('invalid_request', 'Webhook id must be 1–64 letters, digits, ".", "_" or "-"');
  const url = webhookUrl(input.url);
  const secret = input.secret ?? ports.random.token();
  if (typeof secret !== 'string' || secret.length < WEBHOOK_SECRET_MIN_LENGTH) {
    throw fail('invalid_request', `Webhook secret must be a string of at least ${WEBHOOK_SECRET_MIN_LENGTH} characters`);
  }
  const events = webhookEvents(input.events);
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') throw fail('invalid_request', 'Webhook enabled must be true or false');
  return { realm, id, url, secret, events, enabled: input.enabled ?? true, createdAt: now };
}

function webhookUrl(value: unknown): string {
  if (typeof value !== 'string') throw fail('invalid_request', 'Webhook url must be an absolute http(s) URL');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail('invalid_request', 'Webhook url must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail('invalid_request', 'Webhook url must use http or https');
  if (url.username || url.password || url.hash) throw fail('invalid_request', 'Webhook url must not hold credentials nor a fragment');
  return url.toString();
}

function webhookEvents(value: unknown): WebhookEvent[] {
  if (value === undefined) return [...WEBHOOK_EVENTS];
  if (!Array.isArray(value) || value.length === 0) throw fail('invalid_request', 'Webhook events must be a non-empty list');
  const events: WebhookEvent[] = [];
  for (const e of value) {
    if (typeof e !== 'string' || !isWebhookEvent(e)) {
      throw fail('invalid_request', `Webhook event ${JSON.stringify(e)} is not one of ${WEBHOOK_EVENTS.join(', ')}`);
    }
    if (!events.includes(e)) events.push(e);
  }
  return events;
}

export function webhookView(webhook: Webhook): WebhookView {
  const { secret: _secret, ...view } = webhook;
  return view;
}

/**
 * Adds a webhook to an existing realm (`not_found` otherwise). With `replace`, a webhook of the same id
 * is replaced (its url, secret, events and enabled); without, it is a `conflict`. Returns the webhook
 * with its secret: the only time the secret is shown.
 */
export async function addWebhook(ports: Ports, realm: string, input: WebhookInput, options: { replace?: boolean } = {}): Promise<Webhook> {
  const webhook = webhookFrom(ports, realm, input, ports.clock.now());
  if (!(await ports.store.realms.get(realm))) throw fail('not_found', `No realm ${realm}`);
  if (options.replace) await ports.store.webhooks.put(webhook);
  else await ports.store.webhooks.create(webhook);
  return webhook;
}

/** The realm's webhooks, without their secrets, ordered by id. */
export async function listWebhooks(ports: Ports, realm: string): Promise<WebhookView[]> {
  return (await ports.store.webhooks.list(realm)).map(webhookView);
}

/** Removes a webhook; `not_found` when the realm has none of this id. Its pending deliveries are dropped as dead. */
export async function removeWebhook(ports: Ports, realm: string, id: string): Promise<void> {
  if (!(await ports.store.webhooks.delete(realm, id))) throw fail('not_found', `No webhook ${id} in realm ${realm}`);
}

/** The realm's dead deliveries (webhook calls and e-mails given up), oldest first, at most `limit`. */
export async function listDeadDeliveries(ports: Ports, realm: string, limit = 100): Promise<OutboxDelivery[]> {
  return ports.store.outbox.list(realm, 'dead', limit);
}

/**
 * Sends a dead delivery again (after its receiver was fixed): it starts over with the full number of
 * attempts. `not_found` unless the realm has a dead delivery with this id.
 */
export async function retryDeadDelivery(ports: Ports, realm: string, id: string): Promise<void> {
  if (!(await ports.store.outbox.requeue(realm, id, ports.clock.now() * 1000))) throw fail('not_found', `No dead delivery ${id} in realm ${realm}`);
}
