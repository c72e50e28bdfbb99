/** @module model/realm — a tenant: its own issuer, keys, users, clients and settings. */
import { REALM_SETTING_NAMES, REALM_SETTINGS } from './realm-settings.ts';

export type SigningAlg = 'ES256' | 'RS256';

export interface RealmSettings {
  /** Seconds a permission ticket stays redeemable. */
  ticketLifetime: number;
  /** Seconds an RPT is valid. */
  rptLifetime: number;
  /** Seconds an access token (PAT, user token) is valid. */
  accessTokenLifetime: number;
  /** Seconds a refresh token is valid. */
  refreshTokenLifetime: number;
  /** Seconds a persisted claims token (PCT) is valid. */
  pctLifetime: number;
  /** Seconds an authorization code is valid. */
  codeLifetime: number;
  /** Seconds an owner session (authenticate / login) is valid. */
  sessionLifetime: number;
  /** When true, a denied UMA grant records an access request for the owner and answers `request_submitted`. */
  accessRequests: boolean;
  /** Seconds a client should wait between polls after `request_submitted`. */
  pollInterval: number;
  /** Algorithm that signs tokens unless a client overrides it. */
  signingAlg: SigningAlg;
  /** When true, a requesting party may re-share the scopes they hold on a resource (nested policies). */
  resharing: boolean;
}

export interface Realm {
  /** URL segment and identifier, e.g. `demo`. Immutable. */
  id: string;
  displayName: string;
  settings: RealmSettings;
  createdAt: number;
}

/** Every setting's default, from the one table (model/realm-settings). */
export const DEFAULT_REALM_SETTINGS: RealmSettings = Object.freeze(defaultSettings());

function defaultSettings(): RealmSettings {
  const defaults: Partial<Record<keyof RealmSettings, RealmSettings[keyof RealmSettings]>> = {};
  for (const name of REALM_SETTING_NAMES) defaults[name] = REALM_SETTINGS[name].default;
  // Every setting has its row in the table (REALM_SETTINGS is typed by RealmSettings), so each is set.
  return defaults as RealmSettings;
}

/** Realm ids are URL segments: lower-case letters, digits, `-` and `_`, 1–64 characters. */
export const REALM_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** The kinds of records that make a realm more than its settings and keys (`RealmStore.contents`). */
export const REALM_CONTENTS = ['users', 'clients', 'resources', 'policies', 'groups', 'organizations', 'resourceServers'] as const;
export type RealmContent = (typeof REALM_CONTENTS)[number];
