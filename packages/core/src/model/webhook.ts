/**
 * @module model/webhook
 * A realm's webhook subscription: Steward POSTs the events named in `events` to `url`, signed with
 * `secret` (HMAC-SHA256). The secret is kept as given, because signing needs it; it never leaves the
 * server except as the key of the signature.
 */
import type { EventType } from './event.ts';

/** The events a webhook may subscribe to: the ones a party outside Steward acts upon. */
export const WEBHOOK_EVENTS = [
  'access_request.created',
  'access_request.approved',
  'access_request.denied',
  'share.granted',
  'share.revoked',
] as const satisfies readonly EventType[];

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export function isWebhookEvent(value: string): value is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

export interface Webhook {
  realm: string;
  /** Unique within the realm: letters, digits, `.`, `_`, `-` (1–64). */
  id: string;
  /** Absolute http(s) URL without credentials or fragment. */
  url: string;
  /** The HMAC key shared with the receiver (at least 16 characters). */
  secret: string;
  /** Non-empty, without duplicates. */
  events: WebhookEvent[];
  enabled: boolean;
  createdAt: number;
}

/** A webhook as listed to administrators: everything but the secret. */
export type WebhookView = Omit<Webhook, 'secret'>;

export const WEBHOOK_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const WEBHOOK_SECRET_MIN_LENGTH = 16;
