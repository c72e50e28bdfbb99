/** @module endpoints/grants/grant — what a grant module provides to the token endpoint's registry. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Client, GrantType, Realm, RequestingParty } from '@steward/core';
import type { Deps } from '../../deps.ts';
import type { Form } from '../../http/form.ts';

export interface GrantContext {
  deps: Deps;
  realm: Realm;
  /** The authenticated client (already checked to be allowed this grant type). */
  client: Client;
  /** The user whose bearer access token identified the (public) client, at the UMA grant (http/client-auth); else absent. */
  party?: RequestingParty;
  form: Form;
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * A grant's success body: a JSON object (a token or RPT response, or Keycloak's `response_mode=decision`),
 * or a JSON array (Keycloak's `response_mode=permissions`).
 */
export type GrantResponse = Record<string, unknown> | readonly object[];

export interface Grant {
  grantType: GrantType;
  /** Parameters of this grant that must not be repeated. */
  parameters: readonly string[];
  /** Returns the success body (200); throws a StewardError otherwise. */
  handle(ctx: GrantContext): Promise<GrantResponse>;
}
