/**
 * @module endpoints/owner-scopes
 * `GET /json/realms/root/realms/{realm}/users/{user}/uma/scopes/{resourceId}`: the scope categories a
 * signed-in user may see of a resource (ForgeRock's UMA scope model). Her own resource (or, for an administrator of an
 * organization, under `org:{id}`, the organization's): registered, template, private and the policy's
 * scopes per subject. A resource shared with her: the template scopes and her own policy scopes only.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { scopeView } from '@steward/core';
import type { Deps } from '../deps.ts';
import { acceptApiVersionDoc } from '../http/api-version.ts';
import { ownerOf } from '../http/owner-request.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { ScopeViewSchema } from '../wire/scopes.ts';

const DOCS: RouteDocs = {
  summary: 'Scope categories of a resource, as its owner or a requesting party sees them',
  description: 'For the owner (the user, or `org:{id}` for an administrator of that organization): `registered`, `template`, `private` and `policy` (each subject with its scopes). For a requesting party the resource is shared with (directly, through a group, or through a re-share): `template` and `policy` (the scopes the policy allows them; a private scope appears only when granted). Anyone else: 404.',
  tags: ['Owner API'],
  operationId: 'readScopeCategories',
  auth: ['owner-session', 'bearer'],
  params: { user: 'The signed-in user\'s name, or `org:{id}` for an organization she administers.', resourceId: 'The resource id.' },
  headers: acceptApiVersionDoc(),
  responses: { '200': { description: 'The categories the caller may see.', schema: ScopeViewSchema } },
  errors: ['invalid_request', 'login_required', 'forbidden', 'not_found'],
};

type ScopeRequest = FastifyRequest<{ Params: { realm: string; user: string; resourceId: string } }>;

export function ownerScopeRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/json/realms/root/realms/:realm/users/:user/uma/scopes/:resourceId', { config: { errorStyle: 'crest', docs: DOCS } }, async (request: ScopeRequest, reply) => {
    const { realm, owner } = await ownerOf(deps, request, 'read', request.params.resourceId);
    reply.header('cache-control', 'no-store');
    return scopeView(deps, { realm, user: owner, resourceId: request.params.resourceId });
  });
}
