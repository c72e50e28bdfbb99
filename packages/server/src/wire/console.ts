/**
 * @module wire/console
 * Wire shapes of the owner APIs the account console reads besides the policies: the owner's resource
 * sets (AM's `oauth2/resources/sets`), the resources shared with the user, and the share dialog's
 * exact person lookup. Written as TypeBox schemas for the API reference.
 */
import Type from 'typebox';
import { pagedResultSchema } from './paging.ts';
import type { MyRequest, OwnedResource, SharedResource } from '@steward/core';
import { PolicyDocSchema } from './owner.ts';
import { policyRepresentation } from './policy.ts';

const ResourceMembers = {
  _id: Type.String({ description: 'The resource id (also the id of its policy).' }),
  name: Type.String({ description: 'The registered name (the id when none was registered).' }),
  type: Type.Union([Type.String(), Type.Null()], { description: 'The registered type URI or string.' }),
  icon_uri: Type.Union([Type.String(), Type.Null()], { description: 'The registered icon URI.' }),
  description: Type.Union([Type.String(), Type.Null()]),
  resourceServer: Type.String({ description: 'Client id of the resource server that registered it.' }),
  scopes: Type.Array(Type.String(), { description: 'The scopes the resource offers.' }),
};

export const ResourceSetSchema = Type.Object(
  {
    ...ResourceMembers,
    resourceOwnerId: Type.String({ description: 'The owner\'s username.' }),
    policy: Type.Union([PolicyDocSchema, Type.Null()], { description: 'The owner\'s policy on the resource (as the policies API answers it); null when not shared.' }),
  },
  { $id: 'ResourceSet', additionalProperties: false },
);

export const ResourceSetQueryResultSchema = pagedResultSchema('ResourceSetQueryResult', ResourceSetSchema, ' (resources)');

export const SharedWithMeItemSchema = Type.Object(
  {
    ...ResourceMembers,
    resourceOwner: Type.String({ description: 'Username of the resource owner (a client id for a client-owned resource).' }),
    sharedBy: Type.Array(Type.String(), { description: 'Who named the user: the owner and, for re-shares, the re-sharers.' }),
    permissions: Type.Array(Type.String(), { description: 'The scopes the user holds now (whatever client they use).' }),
    expirationDate: Type.Optional(Type.Integer({ description: 'Seconds since the epoch when the scopes stop holding; absent: never.' })),
    clientIds: Type.Optional(Type.Array(Type.String(), { description: 'The only clients that can obtain an RPT under the share; absent: any.' })),
    reshareAllowed: Type.Boolean({ description: 'Whether the realm lets the user re-share (a PUT on their own policies URL for this id).' }),
    resharedWith: Type.Array(Type.String(), { description: 'Subjects the user\'s own re-share names.' }),
  },
  { $id: 'SharedWithMeItem', additionalProperties: false },
);

export const SharedWithMeResultSchema = pagedResultSchema('SharedWithMeResult', SharedWithMeItemSchema);

export const LookupResultSchema = Type.Union(
  [
    Type.Object({ found: Type.Literal(false) }, { additionalProperties: false }),
    Type.Object(
      {
        found: Type.Literal(true),
        username: Type.String({ description: 'The subject to name in a policy (a username, or `group:{name}`).' }),
        displayName: Type.String(),
        matchedBy: Type.Union([Type.Literal('username'), Type.Literal('email'), Type.Literal('group')], { description: '`group` for a `group:{name}` identity naming a group the user may share with.' }),
        warning: Type.Optional(Type.String({ description: 'Present when the name could be mistaken for another: show it before sharing.' })),
      },
      { additionalProperties: false },
    ),
  ],
  { $id: 'LookupResult' },
);

function resourceMembers(r: OwnedResource['resource']): Record<string, unknown> {
  return { _id: r.id, name: r.name ?? r.id, type: r.type, icon_uri: r.iconUri, description: r.description, resourceServer: r.resourceServer, scopes: [...r.scopes] };
}

export function resourceSetToWire(item: OwnedResource, ownerName: string): Record<string, unknown> {
  return {
    ...resourceMembers(item.resource),
    resourceOwnerId: ownerName,
    policy: item.policy ? policyRepresentation({ policy: item.policy, resource: item.resource }) : null,
  };
}

export function sharedWithMeToWire(item: SharedResource): Record<string, unknown> {
  return {
    ...resourceMembers(item.resource),
    resourceOwner: item.ownerName,
    sharedBy: item.sharedBy,
    permissions: item.scopes,
    ...(item.expiresAt !== undefined ? { expirationDate: item.expiresAt } : {}),
    ...(item.clientIds !== undefined ? { clientIds: item.clientIds } : {}),
    reshareAllowed: item.mayReshare,
    resharedWith: item.resharedWith,
  };
}

export const MyRequestSchema = Type.Object(
  {
    _id: Type.String({ description: 'The request id.' }),
    resource: Type.String({ description: 'The resource\'s name (its id when unnamed or deleted).' }),
    resourceId: Type.String(),
    owner: Type.String({ description: 'The resource owner\'s username.' }),
    clientId: Type.String({ description: 'The client the request was made with.' }),
    permissions: Type.Array(Type.String(), { description: 'The scopes asked for.' }),
    approvedPermissions: Type.Optional(Type.Array(Type.String(), { description: 'Approved requests: the scopes approved.' })),
    status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('denied')]),
    when: Type.Integer({ description: 'When the request was first made, milliseconds since the epoch.' }),
    updated: Type.Integer({ description: 'Last refreshed or answered, milliseconds since the epoch.' }),
  },
  { $id: 'MyRequest', additionalProperties: false },
);

export const MyRequestsResultSchema = pagedResultSchema('MyRequestsResult', MyRequestSchema);

export function myRequestToWire(view: MyRequest): Record<string, unknown> {
  const r = view.request;
  return {
    _id: r.id,
    resource: view.resourceName,
    resourceId: r.resourceId,
    owner: view.ownerName,
    clientId: r.clientId,
    permissions: [...r.scopes],
    ...(r.approvedScopes ? { approvedPermissions: [...r.approvedScopes] } : {}),
    status: r.status,
    when: r.createdAt * 1000,
    updated: r.updatedAt * 1000,
  };
}
