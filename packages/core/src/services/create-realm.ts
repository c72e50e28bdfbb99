/**
 * @module services/create-realm
 * Creates a realm: its settings (defaults for those not given), an ES256 and an RS256 signing key (the
 * KeyGenerator port), its webhooks and the clients the server registers in every realm, in one
 * transaction. `conflict` when the realm exists.
 */
import { fail } from '../errors.ts';
import type { Client } from '../model/client.ts';
import { DEFAULT_REALM_SETTINGS, REALM_ID_PATTERN, type Realm, type RealmSettings } from '../model/realm.ts';
import type { Ports } from './ports.ts';
import { newSigningKey } from './rotate-keys.ts';
import { webhookFrom, type WebhookInput } from './webhooks.ts';

export interface NewRealm {
  id: string;
  displayName?: string;
  settings?: Partial<RealmSettings>;
  webhooks?: WebhookInput[];
}

/** Creates the realm with `builtInClients` (the server's own, e.g. the account console's, of this realm). */
export async function createRealm(ports: Ports, input: NewRealm, builtInClients: readonly Client[] = []): Promise<Realm> {
  if (!REALM_ID_PATTERN.test(input.id)) throw fail('invalid_request', 'Realm id must be 1–64 lower-case letters, digits, - or _');
  const now = ports.clock.now();
  const realm: Realm = { id: input.id, displayName: input.displayName ?? input.id, settings: { ...DEFAULT_REALM_SETTINGS, ...input.settings }, createdAt: now };
  const keys = [await newSigningKey(ports, realm.id, 'ES256', now, now), await newSigningKey(ports, realm.id, 'RS256', now, now)];
  const webhooks = (input.webhooks ?? []).map((w) => webhookFrom(ports, realm.id, w, now));
  await ports.store.transaction(async (tx) => {
    await tx.realms.create(realm);
    for (const key of keys) await tx.keys.insert(key);
    for (const webhook of webhooks) await tx.webhooks.create(webhook);
    for (const client of builtInClients) await tx.clients.create(client);
  });
  return realm;
}
