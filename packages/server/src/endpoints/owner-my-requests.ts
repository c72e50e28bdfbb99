/**
 * @module endpoints/owner-my-requests
 * The user's own access requests as a requesting party: `GET /json/realms/root/realms/{realm}/users/{user}/uma/myRequests`,
 * what she asked of other owners and how each was answered (pending, approved, denied). Only the user
 * herself; errors are CREST JSON. Owners answer requests at `uma/pendingrequests`.
 */
import type { FastifyInstance } from 'fastify';
import { listMyRequests } from '@steward/core';
import type { Deps } from '../deps.ts';
import { selfListRoutes } from '../http/crest-methods.ts';
import { MyRequestsResultSchema, myRequestToWire } from '../wire/console.ts';

export function ownerMyRequestsRoutes(app: FastifyInstance, deps: Deps): void {
  selfListRoutes(app, deps, {
    url: '/json/realms/root/realms/:realm/users/:user/uma/myRequests',
    name: 'myRequests',
    summary: 'The user\'s own access requests',
    description: `The requests the user made as a requesting party (through a client that met \`request_submitted\`), to any owner, newest first, with their state. Paged with \`_pagedResultsCookie\`, each page read from the (requester, time) index; never counted.`,
    operationId: 'myRequests',
    schema: MyRequestsResultSchema,
    responseDescription: 'The requests.',
    list: listMyRequests,
    toWire: myRequestToWire,
  });
}
