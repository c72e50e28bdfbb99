/**
 * @module wire/admin
 * The admin API's bodies: their schemas, which are both the API reference and the validators (an
 * unknown member is an `invalid_request`, so a typo never passes silently), and their readers.
 */
import Type from 'typebox';
import { DEFAULT_SECRET_GRACE, MAX_SECRET_GRACE, MIN_PASSWORD_LENGTH, REALM_SETTING_NAMES, type ClientChanges, type NewClient, type NewUser, type RealmChanges, type RealmSettings } from '@steward/core';
import { bodyReader } from './validate.ts';

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
    password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 1024, description: 'Stored as an argon2id hash only.' }),
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

const newUser = bodyReader(NewUserSchema, { what: 'a user' });
const newClient = bodyReader(NewClientSchema, { what: 'a client' });
const clientChanges = bodyReader(ClientChangesSchema, { what: 'a client update' });
const rotation = bodyReader(SecretRotationSchema, { what: 'a secret rotation', optional: true });
const newPassword = bodyReader(NewPasswordSchema, { what: 'a password' });
const newRealm = bodyReader(NewRealmSchema, { what: 'a realm' });
const realmChanges = bodyReader(RealmChangesSchema, { what: 'a realm update' });
const keyRotation = bodyReader(RotateBodySchema, { what: 'a key rotation', optional: true });

export function readNewUser(body: unknown): NewUser {
  return newUser(body);
}

export function readNewClient(body: unknown): NewClient {
  return newClient(body);
}

/** A PATCH of a client: the members to change, nothing else. */
export function readClientChanges(body: unknown): ClientChanges {
  return clientChanges(body);
}

/** A secret rotation's body (optional): `{ "graceSeconds": n }`. */
export function readRotation(body: unknown): { graceSeconds?: number } {
  return rotation(body);
}

/** `{ "password": "…" }`. */
export function readNewPassword(body: unknown): string {
  return newPassword(body).password;
}

export function readNewRealm(body: unknown): { id: string; displayName?: string; settings?: Partial<RealmSettings> } {
  return newRealm(body);
}

/** A PATCH of a realm: a new display name and/or some settings. */
export function readRealmChanges(body: unknown): RealmChanges {
  return realmChanges(body);
}

/** A key rotation's body (optional): `{ "alg": "ES256" | "RS256" }`. */
export function readKeyRotation(body: unknown): { alg?: 'ES256' | 'RS256' } {
  return keyRotation(body);
}
