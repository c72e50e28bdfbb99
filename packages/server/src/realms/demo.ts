/**
 * @module realms/demo
 * The `demo` realm of the README's walk-through, created on first start of an empty database unless
 * `STEWARD_DEMO=0`. Passwords and secrets are the published demo values: never use it in production.
 */
import { createClient, createUser, publishConfiguration, StewardError, UMA_GRANT_TYPE, type ConfigurationInput } from '@steward/core';
import type { Deps } from '../deps.ts';
import { createRealm } from './create-realm.ts';

export const DEMO_PASSWORD = 'Ch4ng31t';

/**
 * photoz-rs's public configuration (ForgeRock's UMA scope model): the scopes and record types of the
 * reference records server (examples/records-rs), which runs as photoz-rs. Not published when the realm is created: once
 * published, every typed resource photoz-rs registers must use one of these types (README "Resource
 * types and template scopes"), while the seeded realm keeps `type` free text (UMA Fed Authz §3.1).
 * `npm run demo` publishes it when it starts (publishDemoConfiguration).
 */
export const DEMO_RS_CONFIGURATION: ConfigurationInput = {
  scopes: {
    meta: { description: 'Meta data about the resource' },
    content: { description: 'The content (JSON) related to the resource' },
    print: { description: 'Print the resource' },
    download: { description: 'Download the content as a file' },
    transfer: { description: 'Transfer funds from the resource (an account)' },
  },
  types: {
    healthcare: { description: 'A medical record', scopes: ['meta', 'content', 'print'] },
    finance: { description: 'A bank account', scopes: ['meta', 'content', 'download', 'transfer'] },
  },
};

export async function seedDemoRealm(deps: Deps): Promise<void> {
  await createRealm(deps, {
    id: 'demo',
    displayName: 'Steward demo',
    // RS256 so Keycloak's client libraries work out of the box; access requests recorded for owners.
    settings: { signingAlg: 'RS256', accessRequests: true },
  });
  for (const username of ['alice', 'bob', 'chris', 'dave']) {
    await createUser(deps, 'demo', { username, password: DEMO_PASSWORD, email: `${username}@example.com` });
  }
  await createUser(deps, 'demo', { username: 'amAdmin', password: DEMO_PASSWORD, admin: true });
  const base = deps.config.baseUrl;
  await createClient(deps, 'demo', {
    clientId: 'photoz-rs',
    name: 'Photoz resource server',
    // The UMA grant too: keycloak-connect's policy enforcer asks for its callers' permissions (ticketless).
    grantTypes: ['authorization_code', 'client_credentials', 'password', 'refresh_token', UMA_GRANT_TYPE],
    redirectUris: [`${base}/demo/rs/callback`, 'http://127.0.0.1:3000/callback'],
  }, { secret: 'photoz-rs-secret' });
  // A public single-page client, as keycloak-js runs it: identified at the UMA grant by its user's token.
  await createClient(deps, 'demo', {
    clientId: 'photoz-spa',
    public: true,
    name: 'Photoz single-page app',
    grantTypes: [UMA_GRANT_TYPE, 'authorization_code', 'refresh_token'],
    redirectUris: [`${base}/demo/spa/`, 'http://127.0.0.1:3002/'],
  });
  await createClient(deps, 'demo', {
    clientId: 'photoz-client',
    name: 'Photoz client',
    grantTypes: [UMA_GRANT_TYPE, 'authorization_code', 'password', 'refresh_token'],
    redirectUris: [`${base}/demo/client/callback`, 'http://127.0.0.1:3001/callback'],
    claimsRedirectUris: [`${base}/demo/client/claims-callback`, 'http://127.0.0.1:3001/claims-callback'],
    umaScopes: ['download'],
  }, { secret: 'photoz-client-secret' });
}

/** Publishes photoz-rs's configuration ({@link DEMO_RS_CONFIGURATION}) in the demo realm (creates or replaces it). */
export async function publishDemoConfiguration(deps: Deps): Promise<void> {
  await publishConfiguration(deps, { realm: 'demo', resourceServer: 'photoz-rs', ...DEMO_RS_CONFIGURATION });
}

/** Seeds the demo realm when enabled and the database holds no realm at all. */
export async function seedDemoIfEmpty(deps: Deps): Promise<boolean> {
  if (!deps.config.demo) return false;
  if ((await deps.store.realms.list()).length > 0) return false;
  try {
    await seedDemoRealm(deps);
  } catch (e) {
    // Another node seeding the same empty database at the same moment won the race.
    if (e instanceof StewardError && e.code === 'conflict') return false;
    throw e;
  }
  return true;
}
