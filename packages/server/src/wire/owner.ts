/**
 * @module wire/owner
 * Schemas of the owner APIs' answers (AM-style sign-in, logout, UMA policies), for the API reference.
 * The policy shapes are wire/policy.ts's, named here for the OpenAPI components.
 */
import Type from 'typebox';
import { PolicyBodySchema, PolicyRepresentationSchema } from './policy.ts';

export const AuthenticatedSchema = Type.Object(
  {
    tokenId: Type.String({ description: 'The session token: send it in the session header (or rely on the cookie set with it).' }),
    successUrl: Type.String({ description: 'The account console of the realm.' }),
    realm: Type.String({ description: '`/{realm}`' }),
  },
  { $id: 'Authenticated', additionalProperties: false },
);

export const LoggedOutSchema = Type.Object({ result: Type.Literal('Successfully logged out') }, { $id: 'LoggedOut', additionalProperties: false });

export const PolicyBodyDocSchema = { ...PolicyBodySchema, $id: 'PolicyBody', description: 'Members other than `policyId` and `permissions` (such as `_id`, `_rev`, `name` echoed from a GET) are ignored. Permissions naming one subject are merged.' };

export const PolicyDocSchema = { ...PolicyRepresentationSchema, $id: 'Policy', additionalProperties: false, description: 'A UMA policy: the resource owner shares scopes of one resource (`_id` and `policyId` are the resource id).' };

export const PolicyCreatedSchema = Type.Object({ _id: Type.String(), _rev: Type.String() }, { $id: 'PolicyCreated', additionalProperties: false });

export const EmptyObjectSchema = Type.Object({}, { additionalProperties: false, description: 'An empty JSON object.' });

export const LogoutQuerySchema = Type.Object({ _action: Type.Literal('logout', { description: 'The only action supported.' }) });
