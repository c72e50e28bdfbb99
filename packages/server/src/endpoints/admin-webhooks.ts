/**
 * @module endpoints/admin-webhooks
 * `/admin/realms/{realm}/webhooks[/{id}]` and `/admin/realms/{realm}/deliveries[/{id}/retry]`: a
 * realm's webhook subscriptions, and its outbox deliveries (to see what failed and send a dead one
 * again), for administrators. Payload, signature and retries: docs/notifications.md.
 */
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { addWebhook, fail, listWebhooks, removeWebhook, retryDeadDelivery, type OutboxStatus } from '@steward/core';
import type { Deps } from '../deps.ts';
import { ADMIN_AUTH_ERRORS, adminAuth, adminRealm } from '../http/admin-auth.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { DeliverySchema, deliveryToWire, NewWebhookSchema, readWebhook, WebhookSchema, webhookToWire } from '../wire/webhooks.ts';

type RealmParams = { Params: { realm: string } };
type IdParams = { Params: { realm: string; id: string } };
type ListQuery = { Params: { realm: string }; Querystring: { status?: string; limit?: string } };
const base = { tags: ['Admin API'], auth: 'admin' } as const;
const STATUSES: readonly OutboxStatus[] = ['pending', 'delivered', 'dead'];

const DOCS = {
  list: { ...base, summary: 'List webhooks', description: 'Without their secrets.', operationId: 'adminListWebhooks', responses: { '200': { description: 'The realm\'s webhooks, by id.', schema: Type.Array(WebhookSchema) } }, errors: [...ADMIN_AUTH_ERRORS] },
  create: {
    ...base,
    summary: 'Add a webhook',
    description: 'Steward POSTs the chosen events to `url`, signed with `secret` (`Steward-Signature`). Without `secret`, one is generated and returned in this answer only.',
    operationId: 'adminCreateWebhook',
    body: { contentType: 'application/json', schema: NewWebhookSchema, required: true },
    responses: { '201': { description: 'Created.', schema: WebhookSchema } },
    errors: [...ADMIN_AUTH_ERRORS, 'invalid_request', 'conflict'],
  },
  put: {
    ...base,
    summary: 'Create or replace a webhook',
    description: 'Replaces url, secret, events and enabled of the webhook with this id (or creates it). Deliveries not yet sent go with the new settings.',
    operationId: 'adminPutWebhook',
    params: { id: 'The webhook\'s id.' },
    body: { contentType: 'application/json', schema: NewWebhookSchema, required: true },
    responses: { '200': { description: 'Stored.', schema: WebhookSchema } },
    errors: [...ADMIN_AUTH_ERRORS, 'invalid_request'],
  },
  delete: { ...base, summary: 'Remove a webhook', description: 'Its deliveries not yet sent are dropped (dead, `webhook removed`).', operationId: 'adminDeleteWebhook', params: { id: 'The webhook\'s id.' }, responses: { '204': { description: 'Removed.' } }, errors: [...ADMIN_AUTH_ERRORS] },
  deliveries: {
    ...base,
    summary: 'List outbox deliveries',
    description: 'Webhook calls and e-mails of the realm, oldest first: what waits, what was delivered and what was given up (`dead`, with its last error).',
    operationId: 'adminListDeliveries',
    query: Type.Object({ status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })) }),
    responses: { '200': { description: 'The deliveries.', schema: Type.Array(DeliverySchema) } },
    errors: [...ADMIN_AUTH_ERRORS, 'invalid_request'],
  },
  retry: {
    ...base,
    summary: 'Send a dead delivery again',
    description: 'After its receiver (or the SMTP server) was fixed: it starts over with every attempt.',
    operationId: 'adminRetryDelivery',
    params: { id: 'The delivery\'s id (`Steward-Delivery`).' },
    responses: { '204': { description: 'Queued.' } },
    errors: [...ADMIN_AUTH_ERRORS],
  },
} satisfies Record<string, RouteDocs>;

export function adminWebhookRoutes(app: FastifyInstance, deps: Deps): void {
  const onRequest = adminAuth(deps);
  const HOOKS = '/admin/realms/:realm/webhooks';
  const DELIVERIES = '/admin/realms/:realm/deliveries';
  app.get<RealmParams>(HOOKS, { onRequest, config: { docs: DOCS.list } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return (await listWebhooks(deps, realm.id)).map((w) => webhookToWire(w));
  });
  app.post<RealmParams>(HOOKS, { onRequest, config: { docs: DOCS.create } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    const input = readWebhook(request.body);
    const webhook = await addWebhook(deps, realm.id, input);
    return reply.code(201).header('location', `/admin/realms/${realm.id}/webhooks/${webhook.id}`).send(webhookToWire(webhook, input.secret === undefined));
  });
  app.put<IdParams>(`${HOOKS}/:id`, { onRequest, config: { docs: DOCS.put } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    const input = readWebhook(request.body, request.params.id);
    const webhook = await addWebhook(deps, realm.id, input, { replace: true });
    return webhookToWire(webhook, input.secret === undefined);
  });
  app.delete<IdParams>(`${HOOKS}/:id`, { onRequest, config: { docs: DOCS.delete } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    await removeWebhook(deps, realm.id, request.params.id);
    return reply.code(204).send();
  });
  app.get<ListQuery>(DELIVERIES, { onRequest, config: { docs: DOCS.deliveries } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    const { status, limit } = request.query;
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) throw fail('invalid_request', 'status must be pending, delivered or dead');
    const n = limit === undefined ? 100 : /^\d{1,4}$/.test(limit) ? Number(limit) : NaN;
    if (!(n >= 1 && n <= 1000)) throw fail('invalid_request', 'limit must be a whole number from 1 to 1000');
    return (await deps.store.outbox.list(realm.id, status as OutboxStatus | undefined, n)).map(deliveryToWire);
  });
  app.post<IdParams>(`${DELIVERIES}/:id/retry`, { onRequest, config: { docs: DOCS.retry } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    await retryDeadDelivery(deps, realm.id, request.params.id);
    return reply.code(204).send();
  });
}
