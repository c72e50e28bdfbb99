/**
 * @module endpoints/admin-keys
 * `/admin/realms/{realm}/keys` and `/keys/rotate`: the realm's signing keys and their rotation (the
 * CLI's `steward keys …`). A rotated key is published at once and signs after the activation delay.
 */
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { listKeys } from '@steward/core';
import type { Deps } from '../deps.ts';
import { ADMIN_AUTH_ERRORS, adminAuth, adminRealm } from '../http/admin-auth.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { rotateRealmKeys } from '../realms/rotate-keys.ts';
import { AdminKeySchema, KeysRotatedSchema, readKeyRotation, RotateBodySchema } from '../wire/admin.ts';

const base = { tags: ['Admin API'], auth: 'admin' } as const;
const LIST: RouteDocs = {
  ...base,
  summary: 'List signing keys',
  description: 'Every key of the realm with its state, retired ones included, oldest first.',
  operationId: 'adminListKeys',
  responses: { '200': { description: 'The keys.', schema: Type.Array(AdminKeySchema) } },
  errors: [...ADMIN_AUTH_ERRORS],
};
const ROTATE: RouteDocs = {
  ...base,
  summary: 'Rotate signing keys',
  description:
    'Adds a new key per algorithm (or the one named), published in `certs` at once and signing after `STEWARD_KEY_ACTIVATION_DELAY` seconds. The previous keys stop signing then and stay published until the realm\'s longest token lifetime (plus a minute) has passed, so every outstanding token still verifies. The body is optional.',
  operationId: 'adminRotateKeys',
  body: { contentType: 'application/json', schema: RotateBodySchema, required: false },
  responses: { '200': { description: 'The new keys and every key after the rotation.', schema: KeysRotatedSchema } },
  errors: [...ADMIN_AUTH_ERRORS, 'invalid_request'],
};

export function adminKeyRoutes(app: FastifyInstance, deps: Deps): void {
  const onRequest = adminAuth(deps);
  app.get<{ Params: { realm: string } }>('/admin/realms/:realm/keys', { onRequest, config: { docs: LIST } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return listKeys(deps, realm.id);
  });
  app.post<{ Params: { realm: string } }>('/admin/realms/:realm/keys/rotate', { onRequest, config: { docs: ROTATE } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    const { alg } = readKeyRotation(request.body);
    return rotateRealmKeys(deps, realm.id, alg === undefined ? undefined : [alg]);
  });
}
