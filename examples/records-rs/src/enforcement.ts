/**
 * @module records-rs/enforcement
 * The enforcement seam: UMA protection of the `/records` routes. Routes declare
 * `config: { uma: { resource, scopes } }`; a request with an RPT granting those scopes goes on with
 * `request.uma` set, anything else gets `401` + `WWW-Authenticate: UMA as_uri, ticket` (Grant §3.2).
 * Temporary local implementation, shaped like `@steward/rs` (`createUmaEnforcer` + `umaFastify`), to be
 * replaced by it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthorizationServer } from './authorization-server.ts';
import { RsError } from './errors.ts';

/** One granted permission, as introspection lists it. */
export interface GrantedPermission {
  resource_id: string;
  resource_scopes: string[];
}

/** What a protected route declares: how to find its resource id, and the scopes it needs. */
export interface UmaRoute {
  resource: (request: FastifyRequest) => string | Promise<string>;
  scopes: string[];
}

/** The enforcement options: Steward, our client credentials, and the owner's PAT for a resource. */
export interface EnforcementOptions {
  as: AuthorizationServer;
  clientId: string;
  clientSecret: string;
  pat: (input: { resourceId: string; request: FastifyRequest }) => string | Promise<string>;
}

/** Adds UMA enforcement to every route of `app` that declares `config.uma`. */
export async function protectRecords(app: FastifyInstance, options: EnforcementOptions): Promise<void> {
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')}`;
  const post = async (url: string, headers: Record<string, string>, body: string): Promise<{ status: number; json: any }> => {
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
      return { status: res.status, json: await res.json().catch(() => undefined) };
    } catch {
      throw new RsError(403, 'authorization_server_unreachable', 'The authorization server is unreachable.', {});
    }
  };

  app.addHook('preHandler', async (request, reply) => {
    const route = (request.routeOptions.config as { uma?: UmaRoute }).uma;
    if (route === undefined) return;
    const resourceId = await route.resource(request);
    const metadata = await options.as.metadata();
    const rpt = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (rpt !== undefined) {
      const a = await post(metadata.introspection_endpoint!, { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ token: rpt }).toString());
      const permissions: GrantedPermission[] = a.status === 200 && a.json?.active === true && Array.isArray(a.json.permissions) ? a.json.permissions : [];
      const held = new Set(permissions.filter((p) => p.resource_id === resourceId).flatMap((p) => p.resource_scopes));
      if (route.scopes.every((s) => held.has(s))) {
        (request as unknown as { uma: GrantedPermission[] }).uma = permissions;
        return;
      }
    }
    // No RPT, or one without these scopes: answer as tokenless, with a fresh ticket (Grant §3.5).
    const pat = await options.pat({ resourceId, request });
    const t = await post(metadata.permission_endpoint!, { authorization: `Bearer ${pat}`, 'content-type': 'application/json' }, JSON.stringify({ resource_id: resourceId, resource_scopes: route.scopes }));
    if (t.status !== 201 || typeof t.json?.ticket !== 'string') {
      reply.header('warning', '199 - "UMA Authorization Server Unreachable"');
      throw new RsError(403, 'authorization_server_unreachable', 'The authorization server did not issue a permission ticket.');
    }
    const realm = options.as.realm.replace(/"/g, '');
    reply.header('www-authenticate', `UMA realm="${realm}", as_uri="${options.as.issuer}", ticket="${t.json.ticket}"`);
    throw new RsError(401, 'uma_ticket', 'An RPT with the needed scopes is required.', { ticket: t.json.ticket, as_uri: options.as.issuer });
  });
}
