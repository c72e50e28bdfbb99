/**
 * @module endpoints/owner-shared-with-me
 * "Shared with me": `GET /json/realms/root/realms/{realm}/users/{user}/uma/sharedWithMe`, the
 * resources other users share with the user (their policies, or re-shares, naming her), with owner,
 * scopes held, expiry and client restriction. Only the user herself; errors are CREST JSON.
 */
import type { FastifyInstance } from 'fastify';
import { listSharedWithMe } from '@steward/core';
import type { Deps } from '../deps.ts';
import { selfListRoutes } from '../http/crest-methods.ts';
import { SharedWithMeResultSchema, sharedWithMeToWire } from '../wire/console.ts';

export function ownerSharedWithMeRoutes(app: FastifyInstance, deps: Deps): void {
  selfListRoutes(app, deps, {
    url: '/json/realms/root/realms/:realm/users/:user/uma/sharedWithMe',
    name: 'sharedWithMe',
    summary: 'Resources shared with the user',
    description:
      'Every resource a policy of another user names the user on (the owner\'s, or a re-share), with what she holds of it now: expired shares and shares whose chain is broken are left out. Ordered by resource id and paged with `_pagedResultsCookie` (each page read from the (subject, resource) index; a page looks at most at 500 shared resources beyond its offset and size, so one with many expired shares may come back short with a cookie); never counted. To re-share, PUT a policy at the user\'s own `uma/policies/{resourceId}`.',
    operationId: 'sharedWithMe',
    schema: SharedWithMeResultSchema,
    responseDescription: 'The shared resources.',
    list: listSharedWithMe,
    toWire: sharedWithMeToWire,
  });
}
