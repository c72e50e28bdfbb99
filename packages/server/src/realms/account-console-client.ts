/**
 * @module realms/account-console-client
 * At start, every realm gets the account console's client, with its redirect URI under the current
 * `STEWARD_BASE_URL`: realms created before the console existed get one, and a changed base URL
 * moves the redirect URI with it (the console would otherwise be refused at the authorization
 * endpoint). Safe on several nodes starting at once: a client another node just created is kept.
 */
import { isStewardError } from '@steward/core';
import type { Deps } from '../deps.ts';
import { ACCOUNT_CONSOLE_CLIENT_ID, accountConsoleClient } from './create-realm.ts';

export async function ensureAccountConsoleClients(deps: Deps): Promise<void> {
  for (const realm of await deps.store.realms.list()) {
    const wanted = accountConsoleClient(deps.config.baseUrl, realm.id, deps.clock.now());
    const current = await deps.store.clients.get(realm.id, ACCOUNT_CONSOLE_CLIENT_ID);
    if (current === null) {
      try {
        await deps.store.clients.create(wanted);
      } catch (e) {
        if (!isStewardError(e) || e.code !== 'conflict') throw e;
      }
    } else if (current.redirectUris.length !== 1 || current.redirectUris[0] !== wanted.redirectUris[0]) {
      // Only the redirect URI follows the base URL; an administrator's other changes (disabled) stay.
      await deps.store.clients.update({ ...current, redirectUris: wanted.redirectUris });
    }
  }
}
