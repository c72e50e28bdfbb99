/**
 * @module wire/webhooks
 * Webhooks and outbox deliveries on the admin API: a strict reader of a webhook (an unknown member is
 * an `invalid_request`; the service checks the values) and the schemas of the API reference. A
 * webhook's secret is written, never read back, except once in the answer that generated it.
 */
import Type from 'typebox';
import { WEBHOOK_EVENTS, type OutboxDelivery, type Webhook, type WebhookInput, type WebhookView } from '@steward/core';
import { bodyReader } from './validate.ts';

/** A webhook to add (POST) or replace (PUT, where the path names it); the service checks the values. */
export function readWebhook(body: unknown, id?: string): WebhookInput {
  const input: WebhookInput = { ...newWebhook(body) };
  if (id !== undefined) input.id = id;
  return input;
}

export function webhookToWire(webhook: WebhookView | Webhook, withSecret = false): Record<string, unknown> {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events,
    enabled: webhook.enabled,
    createdAt: webhook.createdAt,
    ...(withSecret && 'secret' in webhook ? { secret: webhook.secret } : {}),
  };
}

export function deliveryToWire(d: OutboxDelivery): Record<string, unknown> {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    channel: d.channel,
    target: d.target,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    lastError: d.lastError,
    createdAt: d.createdAt,
  };
}

const events = Type.Array(Type.Union(WEBHOOK_EVENTS.map((e) => Type.Literal(e))), { description: 'The events it receives.' });

export const WebhookSchema = Type.Object(
  {
    id: Type.String(),
    url: Type.String({ format: 'uri' }),
    events,
    enabled: Type.Boolean(),
    createdAt: Type.Integer({ description: 'Seconds since the epoch.' }),
    secret: Type.Optional(Type.String({ description: 'Only in the answer that generated it (no `secret` was sent).' })),
  },
  { $id: 'Webhook' },
);

export const NewWebhookSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'Generated when omitted (POST); the path\'s on PUT.' })),
    url: Type.String({ description: 'http or https, no credentials nor fragment.' }),
    secret: Type.Optional(Type.String({ minLength: 16, description: 'The HMAC key; generated (and returned once) when omitted.' })),
    events: Type.Optional({ ...events, description: 'Default: all of them.' }),
    enabled: Type.Optional(Type.Boolean({ default: true })),
  },
  { $id: 'NewWebhook', additionalProperties: false },
);

export const DeliverySchema = Type.Object(
  {
    id: Type.String({ description: 'What the receiver saw as `Steward-Delivery`.' }),
    eventId: Type.String(),
    eventType: Type.String(),
    channel: Type.Union([Type.Literal('webhook'), Type.Literal('mail')]),
    target: Type.String({ description: 'The webhook id, or the e-mail address.' }),
    status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')]),
    attempts: Type.Integer(),
    nextAttemptAt: Type.Integer({ description: 'Milliseconds since the epoch.' }),
    lastError: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.Integer({ description: 'Seconds since the epoch.' }),
  },
  { $id: 'Delivery' },
);

const newWebhook = bodyReader(NewWebhookSchema, { what: 'a webhook' });
