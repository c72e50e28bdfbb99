/**
 * @module services/notification-targets
 * Who is told about an event, as outbox deliveries: one per enabled webhook of the realm subscribed to
 * its type, and an e-mail to the owner on a new access request and to the requesting party on an
 * answer (when they have an address). `publishEvents` (or the store method of a hot use case, with `publication`) writes them with the change,
 * so a notification exists exactly when its change was committed. Delivery ids derive from the event
 * id and the target, so the same event never yields two deliveries to one target.
 */
import type { StewardEvent } from '../model/event.ts';
import type { MailPayload, OutboxDelivery, WebhookPayload } from '../model/outbox.ts';
import { isWebhookEvent, type Webhook } from '../model/webhook.ts';
import type { Store } from '../ports/store.ts';

type Stores = Pick<Store, 'webhooks' | 'users' | 'outbox'>;

/** The webhook body's `data`: the event's members that are set, never a secret. */
export function webhookPayload(event: StewardEvent): WebhookPayload {
  const data: Record<string, unknown> = { owner: event.owner };
  if (event.requester !== undefined) data.requester = event.requester;
  if (event.clientId !== undefined) data.clientId = event.clientId;
  if (event.resourceId !== undefined) data.resourceId = event.resourceId;
  if (event.resourceName !== undefined) data.resourceName = event.resourceName;
  if (event.scopes !== undefined) data.scopes = event.scopes;
  if (event.requestId !== undefined) data.requestId = event.requestId;
  return { id: event.id, type: event.type, at: event.at, realm: event.realm, data };
}

/** The deliveries `events` call for, read from the realm's webhooks and users through `tx`. */
export async function notificationsFor(tx: Stores, events: StewardEvent[]): Promise<OutboxDelivery[]> {
  const deliveries: OutboxDelivery[] = [];
  const hooks = new Map<string, Webhook[]>();
  for (const event of events) {
    if (!isWebhookEvent(event.type)) continue;
    let realmHooks = hooks.get(event.realm);
    if (!realmHooks) hooks.set(event.realm, (realmHooks = await tx.webhooks.list(event.realm)));
    const payload = webhookPayload(event);
    for (const hook of realmHooks) {
      if (!hook.enabled || !hook.events.includes(event.type)) continue;
      deliveries.push(delivery(event, `${event.id}.webhook.${hook.id}`, 'webhook', hook.id, payload));
    }
    const mail = await mailFor(tx, event);
    if (mail) deliveries.push(delivery(event, `${event.id}.mail.${mail.payload.audience}`, 'mail', mail.to, mail.payload));
  }
  return deliveries;
}

async function mailFor(tx: Stores, event: StewardEvent): Promise<{ to: string; payload: MailPayload } | null> {
  const audience = event.type === 'access_request.created' ? 'owner' : event.type === 'access_request.approved' || event.type === 'access_request.denied' ? 'requester' : null;
  if (audience === null || event.requester === undefined) return null;
  const owner = await tx.users.get(event.realm, event.owner);
  const requester = await tx.users.get(event.realm, event.requester);
  const to = audience === 'owner' ? owner?.email : requester?.email;
  if (!to || !owner) return null;
  return {
    to,
    payload: {
      type: event.type,
      realm: event.realm,
      audience,
      ownerName: owner.username,
      requesterName: requester?.username ?? event.requester,
      resourceName: event.resourceName ?? null,
      scopes: event.scopes ?? [],
    },
  };
}

function delivery(event: StewardEvent, id: string, channel: OutboxDelivery['channel'], target: string, payload: OutboxDelivery['payload']): OutboxDelivery {
  return {
    id,
    realm: event.realm,
    eventId: event.id,
    eventType: event.type,
    channel,
    target,
    payload,
    attempts: 0,
    nextAttemptAt: event.at * 1000,
    status: 'pending',
    lastError: null,
    lockedUntil: null,
    createdAt: event.at,
  };
}
