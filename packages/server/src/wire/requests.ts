/**
 * @module wire/requests
 * The owner's access requests on the wire, in AM's pending-request shape (`_id`, `user`, `resource`,
 * `when`, `permissions`) plus Steward's own members; and the approve body `{"scopes": [...]}`.
 */
import Type from 'typebox';
import { pagedResultSchema } from './paging.ts';
import { bodyReader, NO_NUL } from './validate.ts';
import { MAX_BULK_ANSWERS, type AccessRequestView, type BulkAnswer } from '@steward/core';

export const AccessRequestSchema = Type.Object(
  {
    _id: Type.String({ description: 'The request id.' }),
    user: Type.String({ description: 'The requesting party: a username, or the client id of a client acting for itself.' }),
    resource: Type.String({ description: 'The resource\'s name (its id when unnamed or deleted).' }),
    when: Type.Integer({ description: 'When the request was first made, milliseconds since the epoch (as AM).' }),
    permissions: Type.Array(Type.String(), { description: 'The scopes asked for.' }),
    resourceId: Type.String(),
    clientId: Type.String({ description: 'The client the requesting party used.' }),
    requester: Type.String({ description: 'The requesting party\'s subject (user id, or client id).' }),
    status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('denied')]),
    updated: Type.Integer({ description: 'Last refreshed (pending) or answered, milliseconds since the epoch.' }),
    approvedPermissions: Type.Optional(Type.Array(Type.String(), { description: 'Approved requests: the scopes approved.' })),
  },
  { $id: 'AccessRequest', additionalProperties: false },
);

export const AccessRequestQueryResultSchema = pagedResultSchema('AccessRequestQueryResult', AccessRequestSchema);

export const BulkAnswerSchema = Type.Object(
  {
    result: Type.Array(AccessRequestSchema, { description: 'The requests answered.' }),
    failed: Type.Array(Type.Object({ _id: Type.String(), code: Type.String(), message: Type.String() }), { description: 'Requests left pending, with why (resource or party gone, answered meanwhile).' }),
    more: Type.Boolean({ description: `True when more pending requests wait than one call answers (${MAX_BULK_ANSWERS.toLocaleString('en-US')}): send the action again.` }),
  },
  { $id: 'AccessRequestBulkAnswer', additionalProperties: false },
);

export const ApproveBodySchema = Type.Object(
  {
    scopes: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 256, pattern: NO_NUL }), { maxItems: 256, description: 'Approve only these of the requested scopes (at least one); all when left out.' }),
    ),
  },
  { $id: 'ApproveBody', description: 'Optional; other members are ignored.' },
);

export function accessRequestToWire(view: AccessRequestView): Record<string, unknown> {
  const r = view.request;
  const wire: Record<string, unknown> = {
    _id: r.id,
    user: view.user,
    resource: view.resource,
    when: r.createdAt * 1000,
    permissions: r.scopes,
    resourceId: r.resourceId,
    clientId: r.clientId,
    requester: r.requester,
    status: r.status,
    updated: r.updatedAt * 1000,
  };
  if (r.approvedScopes) wire.approvedPermissions = r.approvedScopes;
  return wire;
}

export function bulkAnswerToWire(answer: BulkAnswer, views: AccessRequestView[]): Record<string, unknown> {
  return { result: views.map(accessRequestToWire), failed: answer.failed.map((f) => ({ _id: f.id, code: f.code, message: f.message })), more: answer.more };
}

const approval = bodyReader(ApproveBodySchema, { what: 'an approval', optional: true });

/** The scopes of an approve body; undefined when there is no body or no `scopes`. */
export function parseApproveScopes(body: unknown): string[] | undefined {
  return approval(body).scopes;
}
