/**
 * @module wire/admin
 * The admin API's bodies: strict readers (an unknown member is an `invalid_request`, so a typo never
 * passes silently) and the schemas of the API reference.
 */
import Type from 'typebox';
import { CLIENT_CHANGE_FIELDS, DEFAULT_SECRET_GRACE, fail, isJsonObject, MAX_SECRET_GRACE, MIN_PASSWORD_LENGTH, REALM_SETTING_NAMES, type ClientChanges, type NewClient, type NewUser, type RealmChanges, type RealmSettings } from '@steward/core';

/** The body as an object whose members are all among `allowed`; `invalid_request` otherwise. */
export function strictObject(body: unknown, allowed: readonly string[], what: string): Record<string, unknown> {
  if (!isJsonObject(body)) throw fail('invalid_request', `The body must be a JSON object (${what})`);
  for (const k of Object.keys(body)) {
    if (!allowed.includes(k)) throw fail('invalid_request', `Unknown member '${k.slice(0, 64)}' (${what} has ${allowed.join(', ')})`);
  }
  return body as Record<string, unknown>;
}

export const USER_MEMBERS = ['username', 'password', 'email', 'admin'] as const;
export const CLIENT_MEMBERS = ['clientId', 'name', 'public', 'grantTypes', 'redirectUris', 'claimsRedirectUris', 'umaScopes', 'signingAlg', 'rptRefreshTokens'] as const;
export const REALM_MEMBERS = ['id', 'displayName', 'settings'] as const;

export function readNewUser(body: unknown): NewUser {
  return strictObject(body, USER_MEMBERS, 'a user') as unknown as NewUser;
}

export function readNewClient(body: unknown): NewClient {
  return strictObject(body, CLIENT_MEMBERS, 'a client') as unknown as NewClient;
}

/** A PATCH of a client: the members to change, nothing else. */
export function readClientChanges(body: unknown): ClientChanges {
  return strictObject(body, CLIENT_CHANGE_FIELDS, 'a client update') as ClientChanges;
}

/** A secret rotation's body (optional): `{ "graceSeconds": n }`. */
export function readRotation(body: unknown): { graceSeconds?: number } {
  if (body === undefined || body === null || body === '') return {};
  const o = strictObject(body, ['graceSeconds'], 'a secret rotation');
  if (o.graceSeconds !== undefined && !Number.isSafeInteger(o.graceSeconds)) throw fail('invalid_request', 'graceSeconds must be a whole number of seconds');
  return o as { graceSeconds?: number };
}

/** A PATCH of a realm: a new display name and/or some settings. */
export function readRealmChanges(body: unknown): RealmChanges {
  return strictObject(body, ['displayName', 'settings'], 'a realm update') as RealmChanges;
}

/** `{ "password": "…" }`. */
export function readNewPassword(body: unknown): string {
  const o = strictObject(body, ['password'], 'a password');
  if (typeof o.password !== 'string') throw fail('invalid_request', 'password is required');
  return o.password;
}

export function readNewRealm(body: unknown): { id: string; displayName?: string; settings?: Partial<RealmSettings> } {
  const o = strictObject(body, REALM_MEMBERS, 'a realm');
  if (typeof o.id !== 'string') throw fail('invalid_request', 'id is required');
  if (o.displayName !== undefined && (typeof o.displayName !== 'string' || o.displayName.length === 0 || o.displayName.length > 255)) throw fail('invalid_request', 'displayName must be 1–255 characters');
  if (o.settings !== undefined && !isJsonObject(o.settings)) throw fail('invalid_request', 'settings must be an object');
  return o as { id: string; displayName?: string; settings?: Partial<RealmSettings> };
}

const time = (description: string) => Type.Integer({ description: `${description} (seconds since the epoch).` });

export const AdminUserSchema = Type.Object(
  {
    id: Type.String({ description: 'Immutable id: the `sub` of the user\'s tokens.' }),
    username: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    admin: Type.Boolean({ description: 'Realm administrator of owners\' policies.' }),
    disabled: Type.Boolean(),
    createdAt: time('Creation'),
  },
  { $id: 'AdminUser', additionalProperties: false, description: 'A user as the admin API shows it (never the password hash).' },
);

export const NewUserSchema = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 255, description: 'Unique in the realm; printable, no `:`, no spaces at either end.' }),
    password: Type.String({ minLength: 8, maxLength: 1024, description: 'Stored as an argon2id hash only.' }),
    email: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    admin: Type.Optional(Type.Boolean()),
  },
  { $id: 'NewUser', additionalProperties: false },
);

const stringList = (description: string) => Type.Optional(Type.Array(Type.String(), { description }));

export const AdminClientSchema = Type.Object(
  {
    clientId: Type.String(),
    name: Type.String(),
    confidential: Type.Boolean({ description: 'Whether the client has a secret (only its SHA-256 is stored).' }),
    grantTypes: Type.Array(Type.String()),
    redirectUris: Type.Array(Type.String()),
    claimsRedirectUris: Type.Array(Type.String()),
    umaScopes: Type.Array(Type.String()),
    signingAlg: Type.Union([Type.Literal('ES256'), Type.Literal('RS256'), Type.Null()]),
    rptRefreshTokens: Type.Boolean(),
    disabled: Type.Boolean(),
    createdAt: time('Creation'),
  },
  { $id: 'AdminClient', additionalProperties: false, description: 'A client as the admin API shows it (never the secret nor its hash).' },
);

export const NewClientSchema = Type.Object(
  {
    clientId: Type.String({ minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9._~:@-]+$' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    public: Type.Optional(Type.Boolean({ description: 'A public client has no secret; default false (a secret is generated and shown once).' })),
    grantTypes: Type.Array(Type.String(), { minItems: 1, description: '`authorization_code`, `client_credentials`, `refresh_token`, `password`, `urn:ietf:params:oauth:grant-type:uma-ticket`.' }),
    redirectUris: stringList('Exact-match redirect URIs (absolute http(s), no fragment); required with `authorization_code`.'),
    claimsRedirectUris: stringList('Exact-match claims redirect URIs.'),
    umaScopes: stringList('Scopes the client pre-registers for the UMA grant.'),
    signingAlg: Type.Optional(Type.Union([Type.Literal('ES256'), Type.Literal('RS256'), Type.Null()])),
    rptRefreshTokens: Type.Optional(Type.Boolean()),
  },
  { $id: 'NewClient', additionalProperties: false },
);

export const ClientCreatedSchema = Type.Object(
  {
    client: AdminClientSchema,
    secret: Type.Union([Type.String(), Type.Null()], { description: 'The client secret, shown this once (null for a public client).' }),
  },
  { $id: 'ClientCreated', additionalProperties: false },
);

export const ClientChangesSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    grantTypes: Type.Optional(Type.Array(Type.String(), { minItems: 1, description: 'Replaces the list (the same values as at creation).' })),
    redirectUris: stringList('Replaces the list of exact-match redirect URIs (absolute http(s), no fragment); not empty with `authorization_code`.'),
    claimsRedirectUris: stringList('Replaces the list of exact-match claims redirect URIs.'),
    umaScopes: stringList('Replaces the list of pre-registered UMA scopes.'),
    signingAlg: Type.Optional(Type.Union([Type.Literal('ES256'), Type.Literal('RS256'), Type.Null()], { description: '`null`: the realm\'s algorithm.' })),
    rptRefreshTokens: Type.Optional(Type.Boolean()),
  },
  { $id: 'ClientChanges', additionalProperties: false, description: 'The members to change; the others keep their values. The client id and whether it is public never change.' },
);

export const SecretRotationSchema = Type.Object(
  {
    graceSeconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: MAX_SECRET_GRACE, default: DEFAULT_SECRET_GRACE, description: 'Seconds the replaced secret stays valid; `0` stops it at once.' }),
    ),
  },
  { $id: 'SecretRotation', additionalProperties: false },
);

export const SecretRotatedSchema = Type.Object(
  {
    client: AdminClientSchema,
    secret: Type.String({ description: 'The new client secret, shown this once.' }),
    previousSecretValidUntil: Type.Union([Type.Integer(), Type.Null()], { description: 'Until when the replaced secret is still accepted (seconds since the epoch); null when it stopped at once.' }),
  },
  { $id: 'SecretRotated', additionalProperties: false },
);

export const NewPasswordSchema = Type.Object(
  { password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 1024, description: 'Stored as an argon2id hash only.' }) },
  { $id: 'NewPassword', additionalProperties: false },
);

const settingsSchema = (description: string) =>
  Type.Record(Type.String(), Type.Unknown(), { description: `${description} Names: ${REALM_SETTING_NAMES.map((n) => `\`${n}\``).join(', ')} (docs/configuration.md, "Realm settings").` });

export const RealmChangesSchema = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    settings: Type.Optional(settingsSchema('The settings to change, checked as at creation; the others keep their values.')),
  },
  { $id: 'RealmChanges', additionalProperties: false },
);

export const AdminRealmSchema = Type.Object(
  {
    id: Type.String(),
    displayName: Type.String(),
    settings: settingsSchema('Token lifetimes, signing algorithm, access requests, re-sharing.'),
    createdAt: time('Creation'),
  },
  { $id: 'AdminRealm', additionalProperties: false },
);

export const NewRealmSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    settings: Type.Optional(settingsSchema('Overrides of the default settings.')),
  },
  { $id: 'NewRealm', additionalProperties: false },
);

export const AdminKeySchema = Type.Object(
  {
    kid: Type.String(),
    alg: Type.Union([Type.Literal('ES256'), Type.Literal('RS256')]),
    state: Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('retiring'), Type.Literal('retired')], {
      description: '`pending`: published, signs from `activeFrom`; `active`: signs; `retiring`: verifies until `retiredAt`; `retired`.',
    }),
    createdAt: time('Publication'),
    activeFrom: time('First signature'),
    retiredAt: Type.Union([Type.Integer(), Type.Null()], { description: 'When it leaves the JWKS (seconds since the epoch); null while current.' }),
  },
  { $id: 'AdminKey', additionalProperties: false, description: 'A signing key (never the private part).' },
);

export const RotateBodySchema = Type.Object(
  { alg: Type.Optional(Type.Union([Type.Literal('ES256'), Type.Literal('RS256')], { description: 'Rotate only this algorithm; default both.' })) },
  { $id: 'RotateKeys', additionalProperties: false },
);

export const KeysRotatedSchema = Type.Object({ added: Type.Array(AdminKeySchema), keys: Type.Array(AdminKeySchema) }, { $id: 'KeysRotated', additionalProperties: false });
