/**
 * @module notify/configured-webhooks
 * `STEWARD_WEBHOOKS`: webhook subscriptions declared in configuration, created or replaced by id at
 * start (so a redeploy with a new URL or secret takes effect), through the same rules as the API.
 */
import { addWebhook, isJsonObject, isStewardError, type WebhookInput } from '@steward/core';
import type { FastifyBaseLogger } from 'fastify';
import { ConfigError } from '../config/load.ts';
import type { Deps } from '../deps.ts';

const KEY = 'STEWARD_WEBHOOKS';

/** Parses the JSON text: an object from realm id to a list of webhooks, each with an id and a secret. */
export function parseConfiguredWebhooks(text: string | null): Map<string, WebhookInput[]> {
  const out = new Map<string, WebhookInput[]>();
  if (text === null) return out;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${KEY} must be JSON: ${(e as Error).message}`);
  }
  if (!isJsonObject(value)) throw new ConfigError(`${KEY} must be a JSON object from realm id to a list of webhooks`);
  for (const [realm, list] of Object.entries(value)) {
    if (!Array.isArray(list)) throw new ConfigError(`${KEY}: realm ${realm} must map to a list of webhooks`);
    list.forEach((hook: unknown, i) => {
      const where = `${KEY}: ${realm}[${i}]`;
      if (!isJsonObject(hook)) throw new ConfigError(`${where} must be an object`);
      const h = hook as Record<string, unknown>;
      for (const k of Object.keys(h)) if (!['id', 'url', 'secret', 'events', 'enabled'].includes(k)) throw new ConfigError(`${where}: member ${k} is unknown`);
      if (typeof h.id !== 'string') throw new ConfigError(`${where}: id is required (a stable id lets a restart replace it)`);
      if (typeof h.secret !== 'string') throw new ConfigError(`${where}: secret is required`);
    });
    out.set(realm, list as WebhookInput[]);
  }
  return out;
}

/** Creates or replaces the configured webhooks of the realms that exist; skips others with a warning. */
export async function applyConfiguredWebhooks(deps: Deps, log: FastifyBaseLogger): Promise<void> {
  for (const [realm, hooks] of parseConfiguredWebhooks(deps.config.webhooks)) {
    if (!(await deps.store.realms.get(realm))) {
      log.warn({ realm }, `${KEY} names a realm that does not exist; its webhooks are skipped`);
      continue;
    }
    for (const [i, hook] of hooks.entries()) {
      try {
        await addWebhook(deps, realm, hook, { replace: true });
      } catch (e) {
        if (isStewardError(e)) throw new ConfigError(`${KEY}: ${realm}[${i}]: ${e.description ?? e.code}`);
        throw e;
      }
    }
  }
}
