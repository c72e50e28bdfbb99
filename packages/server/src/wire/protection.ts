/**
 * @module wire/protection
 * Schemas of the Protection API's bodies (resource registration, permission endpoint), for the API
 * reference. Documentation only: wire/resource.ts and wire/permission.ts parse the requests.
 */
import Type, { type TSchema } from 'typebox';
import { MAX_PERMISSIONS } from './permission.ts';

/** Members of a description as read: absent when not set. */
const description = {
  name: Type.Optional(Type.String({ maxLength: 1024, description: 'Human-readable name.' })),
  type: Type.Optional(Type.String({ maxLength: 1024, description: 'A string the resource server chooses to classify resources.' })),
  icon_uri: Type.Optional(Type.String({ maxLength: 2048, description: 'Absolute http or https URI of an icon.' })),
  description: Type.Optional(Type.String({ maxLength: 1024 })),
  resource_scopes: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
    minItems: 1,
    maxItems: 256,
    description: 'The scopes the resource offers; repeats are dropped.',
  }),
};

/** As sent: optional members may also be null, meaning not set. */
const nullable = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
const sentDescription = {
  ...description,
  name: nullable(Type.String({ maxLength: 1024, description: 'Human-readable name.' })),
  type: nullable(Type.String({ maxLength: 1024, description: 'A string the resource server chooses to classify resources.' })),
  icon_uri: nullable(Type.String({ maxLength: 2048, description: 'Absolute http or https URI of an icon.' })),
  description: nullable(Type.String({ maxLength: 1024 })),
};

export const ResourceDescriptionSchema = Type.Object(sentDescription, {
  $id: 'ResourceDescription',
  description:
    'A resource description (Fed Authz §3.1). Other members are ignored, except internationalized `name#<lang>` and `description#<lang>` (strings, kept verbatim). A PUT replaces the whole description.',
});

export const ResourceSchema = Type.Object(
  { _id: Type.String({ description: 'The id Steward assigned.' }), ...description },
  { $id: 'Resource', description: 'A registered resource as read (Fed Authz §3.2.2), with any `name#<lang>` members.' },
);

export const ResourceRegisteredSchema = Type.Object(
  {
    _id: Type.String({ description: 'The id Steward assigned.' }),
    user_access_policy_uri: Type.String({ description: 'Where the owner manages sharing of this resource in the account console.' }),
    ...description,
  },
  { $id: 'ResourceRegistered', description: 'The answer to a create or a replacement: the id, the policy URI and the full description.' },
);

export const ResourceIdListSchema = Type.Array(Type.String(), {
  description: 'Ids of the resources registered by the calling resource server, oldest first: the PAT owner\'s, or with the resource server\'s own PAT every owner\'s.',
});

const PermissionSchema = Type.Object(
  {
    resource_id: Type.String({ minLength: 1, maxLength: 256, description: 'A resource registered by the calling resource server: the PAT owner\'s, or with the resource server\'s own PAT any owner\'s (all of one ticket have one owner).' }),
    resource_scopes: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { description: 'Scopes registered for that resource (may be empty).' }),
  },
  { $id: 'RequestedPermission' },
);

export const PermissionRequestSchema = Type.Union(
  [PermissionSchema, Type.Array(PermissionSchema, { minItems: 1, maxItems: MAX_PERMISSIONS })],
  { description: `One permission, or a non-empty array of at most ${MAX_PERMISSIONS} (Fed Authz §4.1).` },
);

export const TicketSchema = Type.Object(
  { ticket: Type.String({ description: 'The permission ticket, to return to the client in the UMA challenge.' }) },
  { $id: 'PermissionTicket', additionalProperties: false },
);
