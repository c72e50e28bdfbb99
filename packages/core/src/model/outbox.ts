/**
 * @module model/outbox
 * One notification to deliver (a webhook call or an e-mail), written in the same transaction as the
 * change it reports and delivered at least once by a worker, with retries, until delivered or dead.
 */

export type OutboxChannel = 'webhook' | 'mail';
export type OutboxStatus = 'pending' | 'delivered' | 'dead';

/** The JSON body a webhook receives. */
export interface WebhookPayload {
  /** The event id: the same on every delivery of one event to any receiver. */
  id: string;
  type: string;
  /** Seconds since the epoch. */
  at: number;
  realm: string;
  data: Record<string, unknown>;
}

/** What an e-mail says, before it is rendered to text (the server adds links and wording). */
export interface MailPayload {
  /** The event type the mail reports. */
  type: string;
  realm: string;
  /** Whom the mail addresses: `owner` (a new request) or `requester` (an answer). */
  audience: 'owner' | 'requester';
  /** Display names only: no tokens nor secrets ever. */
  ownerName: string;
  requesterName: string;
  resourceName: string | null;
  scopes: string[];
}

export interface OutboxDelivery {
  /** UUID v7; receivers see it as `Steward-Delivery`. */
  id: string;
  realm: string;
  eventId: string;
  eventType: string;
  channel: OutboxChannel;
  /** The webhook id (channel `webhook`) or the e-mail address (channel `mail`). */
  target: string;
  payload: WebhookPayload | MailPayload;
  /** Attempts started so far (a claim counts as one). */
  attempts: number;
  /** Milliseconds since the epoch: not claimed before. */
  nextAttemptAt: number;
  status: OutboxStatus;
  lastError: string | null;
  /** Milliseconds since the epoch until which the current claim holds; null when unclaimed. */
  lockedUntil: number | null;
  /** Seconds since the epoch. */
  createdAt: number;
}

/** A delivery handed to one worker by `claimDue`; `claim` proves the worker still holds it. */
export interface ClaimedDelivery extends OutboxDelivery {
  claim: string;
}

export interface OutboxCounts {
  pending: number;
  delivered: number;
  dead: number;
}
