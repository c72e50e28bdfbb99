/**
 * @module wire/keycloak
 * Schemas of Keycloak's wire shapes Steward serves (documentation only): the realm info document, the
 * ticketless UMA grant's answers, and the Protection API's `uma-policy` representation.
 */
import Type from 'typebox';

export const RealmInfoSchema = Type.Object(
  {
    realm: Type.String({ description: 'The realm id.' }),
    public_key: Type.String({ description: 'Base64 DER (SubjectPublicKeyInfo) of the RSA key that signs RS256 tokens now.' }),
    'token-service': Type.String({ description: '`{issuer}/protocol/openid-connect`' }),
    'account-service': Type.String({ description: '`{issuer}/account`' }),
    'tokens-not-before': Type.Integer({ description: 'Always 0: revocation is per token, not by a not-before time.' }),
  },
  { $id: 'RealmInfo', additionalProperties: false, description: 'Keycloak\'s published realm representation, read by python-keycloak\'s `public_key()`.' },
);

export const KeycloakPermissionSchema = Type.Object(
  {
    rsid: Type.String({ description: 'The resource id.' }),
    rsname: Type.Optional(Type.String({ description: 'The resource name (unless `response_include_resource_name=false`, or the resource has none).' })),
    scopes: Type.Optional(Type.Array(Type.String(), { description: 'The granted scopes; left out when none.' })),
  },
  { $id: 'KeycloakPermission' },
);

export const UmaPolicySchema = Type.Object(
  {
    id: Type.String({ description: 'The policy id: the id of the resource it shares (Steward keeps one sharing policy per resource and owner).' }),
    type: Type.Literal('uma'),
    name: Type.String(),
    description: Type.Optional(Type.String()),
    owner: Type.String({ description: 'The owner\'s user id.' }),
    resource: Type.String({ description: 'The resource id (a Steward addition).' }),
    scopes: Type.Array(Type.String(), { description: 'Every scope the policy grants to anyone.' }),
    users: Type.Array(Type.String(), { description: 'Usernames granted.' }),
    groups: Type.Array(Type.String(), { description: 'Group names granted.' }),
    clients: Type.Array(Type.String(), { description: 'Client ids granted (the client acting for itself).' }),
    logic: Type.Literal('POSITIVE'),
    decisionStrategy: Type.Literal('UNANIMOUS'),
  },
  { $id: 'UmaPolicy' },
);

export const UmaPolicyInputSchema = Type.Object(
  {
    name: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    scopes: Type.Optional(Type.Array(Type.String(), { description: 'Scope names of the resource; empty or absent: all of them.' })),
    users: Type.Optional(Type.Array(Type.String())),
    groups: Type.Optional(Type.Array(Type.String())),
    clients: Type.Optional(Type.Array(Type.String())),
    roles: Type.Optional(Type.Array(Type.String(), { description: 'Refused unless empty: Steward has no roles.' })),
  },
  { $id: 'UmaPolicyInput' },
);
