/**
 * @module wire/permission-ticket
 * Keycloak's permission ticket bodies (docs/keycloak.md): the owner grants one scope of her resource to
 * one user, or sets `granted` on a ticket. Members Keycloak's clients echo (`owner`, `resourceName`…)
 * are ignored, and a null member counts as absent, as Keycloak's representations send them.
 */
import Type from 'typebox';
import { fail } from '@steward/core';
import { bodyReader, NO_NUL } from './validate.ts';

const id = (description: string) => Type.String({ minLength: 1, maxLength: 256, pattern: NO_NUL, description });
const member = (description: string) => Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 256, pattern: NO_NUL }), Type.Null()], { description }));

export const NewTicketSchema = Type.Object(
  {
    resource: id('The resource id.'),
    requester: member('The user\'s id; or `requesterName`.'),
    requesterName: member('The user\'s username; or `requester`.'),
    scope: member('The scope; or `scopeName`.'),
    scopeName: member('The scope (preferred over `scope`).'),
    granted: Type.Boolean({ description: 'Must be true: an owner creates granted tickets.' }),
  },
  { $id: 'NewKeycloakPermissionTicket' },
);

export const TicketUpdateSchema = Type.Object(
  { id: id('The ticket id.'), granted: Type.Boolean() },
  { $id: 'KeycloakPermissionTicketUpdate' },
);

const newTicket = bodyReader(NewTicketSchema, { what: 'a ticket' });
const ticketUpdate = bodyReader(TicketUpdateSchema, { what: 'a ticket' });

/** A grant of one scope to one user: exactly one of `requester` and `requesterName`, a scope. */
export function readNewTicket(body: unknown): { resource: string; requester: string; byName: boolean; scope: string; granted: boolean } {
  const t = newTicket(body);
  const requester = t.requester ?? undefined;
  const requesterName = t.requesterName ?? undefined;
  if ((requester === undefined) === (requesterName === undefined)) throw fail('invalid_request', 'Send one of requester and requesterName');
  const scope = t.scopeName ?? t.scope ?? undefined;
  if (scope === undefined) throw fail('invalid_request', 'scope or scopeName is required');
  return { resource: t.resource, requester: (requester ?? requesterName)!, byName: requesterName !== undefined, scope, granted: t.granted };
}

/** `{id, granted}`. */
export function readTicketUpdate(body: unknown): { id: string; granted: boolean } {
  return ticketUpdate(body);
}
