/**
 * @module http/post-only
 * The protocol endpoints that accept POST only (token, introspection, revocation, permission) answer
 * every other method the same way: the realm is resolved first (an unknown realm is a 404), then an
 * `Allow: POST` header and the endpoint's error code.
 */
import type { FastifyInstance } from 'fastify';
import { fail, type StewardErrorCode } from '@steward/core';
import type { Deps } from '../deps.ts';
import { loadRealm } from './realm.ts';
import type { ApiTag } from './route-docs.ts';

export interface PostOnly {
  url: string;
  /** How the endpoint is named in the message, e.g. `token endpoint`. */
  name: string;
  /** `invalid_request` for OAuth endpoints, `unsupported_method_type` for the Protection API (Fed Authz §3.2). */
  code: StewardErrorCode;
  tag: ApiTag;
  operationId: string;
}

const METHODS = ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

export function refuseOtherMethods(app: FastifyInstance, deps: Deps, spec: PostOnly): void {
  app.route<{ Params: { realm: string } }>({
    method: METHODS,
    url: spec.url,
    config: {
      docs: {
        summary: `The ${spec.name} accepts POST only (\`Allow: POST\`)`,
        tags: [spec.tag],
        operationId: spec.operationId,
        auth: 'none',
        refusesMethod: true,
        responses: {},
        errors: [spec.code, 'not_found'],
      },
    },
    handler: async (request, reply) => {
      await loadRealm(deps, request.params.realm);
      reply.header('allow', 'POST');
      throw fail(spec.code, `The ${spec.name} accepts POST only`);
    },
  });
}
