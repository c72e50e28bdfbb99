/**
 * @module app
 * The Fastify application: body parsers, error rendering and the route table, one line per endpoint
 * module. Endpoint modules parse, call a core service and render; they hold no domain rules.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { fail } from '@steward/core';
import type { Deps } from './deps.ts';
import { Form } from './http/form.ts';
import { firstRepeatedMember } from './http/json.ts';
import { declaresUtf8, mediaTypeOf } from './http/media-type.ts';
import { renderError, styleForUrl } from './http/render-error.ts';
import { requestPathHook } from './http/request-path.ts';
import { securityHeadersHook, setSecurityHeaders } from './http/security-headers.ts';
import { collectRoutes } from './http/route-docs.ts';
import { discoveryRoutes } from './endpoints/discovery.ts';
import { jwksRoutes } from './endpoints/jwks.ts';
import { tokenRoutes } from './endpoints/token.ts';
import { authorizeRoutes } from './endpoints/authorize.ts';
import { logoutRoutes } from './endpoints/logout.ts';
import { userinfoRoutes } from './endpoints/userinfo.ts';
import { revocationRoutes } from './endpoints/revocation.ts';
import { resourceSetRoutes } from './endpoints/resource-set.ts';
import { permissionRoutes } from './endpoints/permission.ts';
import { protectionEventRoutes } from './endpoints/protection-events.ts';
import { introspectionRoutes } from './endpoints/introspection.ts';
import { claimsRoutes } from './endpoints/claims.ts';
import { ownerAuthenticateRoutes } from './endpoints/owner-authenticate.ts';
import { ownerPolicyRoutes } from './endpoints/owner-policies.ts';
import { ownerAuthorizationPolicyRoutes } from './endpoints/owner-authorization-policies.ts';
import { ownerPendingRequestRoutes } from './endpoints/owner-pending-requests.ts';
import { ownerAuditHistoryRoutes } from './endpoints/owner-audit-history.ts';
import { accessReportRoutes } from './endpoints/access-report.ts';
import { healthRoutes } from './endpoints/health.ts';
import { accountConsoleRoutes } from './endpoints/account-console.ts';
import { accountConsoleLinkRoutes } from './endpoints/account-console-link.ts';
import { landingRoutes } from './endpoints/landing.ts';
import { ownerResourceRoutes } from './endpoints/owner-resources.ts';
import { ownerSharedWithMeRoutes } from './endpoints/owner-shared-with-me.ts';
import { ownerLookupRoutes } from './endpoints/owner-lookup.ts';
import { ownerMyRequestsRoutes } from './endpoints/owner-my-requests.ts';
import { resourceServerConfigurationRoutes } from './endpoints/resource-server-configuration.ts';
import { resourceScopeRoutes } from './endpoints/resource-scopes.ts';
import { ownerScopeRoutes } from './endpoints/owner-scopes.ts';
import { adminResourceServerRoutes } from './endpoints/admin-resource-servers.ts';
import { adminGroupRoutes } from './endpoints/admin-groups.ts';
import { adminWebhookRoutes } from './endpoints/admin-webhooks.ts';
import { adminOrganizationRoutes } from './endpoints/admin-organizations.ts';
import { realmInfoRoutes } from './endpoints/realm-info.ts';
import { umaPolicyRoutes } from './endpoints/uma-policy.ts';
import { permissionTicketRoutes } from './endpoints/permission-ticket.ts';
import { metricsRoutes } from './endpoints/metrics.ts';
import { installMetrics } from './http/metrics.ts';
import { trustProxyOption } from './http/proxy.ts';
import { rateLimitHooks } from './http/rate-limit.ts';
import { requestIdHook } from './http/request-id.ts';
import { adminRealmRoutes } from './endpoints/admin-realms.ts';
import { adminUserRoutes } from './endpoints/admin-users.ts';
import { adminClientRoutes } from './endpoints/admin-clients.ts';
import { adminKeyRoutes } from './endpoints/admin-keys.ts';

export interface AppOptions {
  /** Log level for the request logger; `silent` in tests. */
  logLevel?: string;
  /** Serve HTTPS with this PEM certificate and key (read from STEWARD_TLS_CERT / STEWARD_TLS_KEY). */
  https?: { cert: Buffer; key: Buffer };
}

const requestIdPrefix = Math.floor(Math.random() * 0xffffffff).toString(36);
let requestCounter = 0;

export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.https ? { https: options.https } : {}),
    logger: {
      level: options.logLevel ?? deps.config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', `req.headers["${deps.config.sessionHeader.toLowerCase()}"]`, 'req.headers["x-openam-password"]'],
      serializers: {
        // The path only: query strings carry codes, states and ID token hints, which never go to logs.
        req: (req: { method: string; url: string; id: string; ip?: string }) => ({ method: req.method, url: req.url.split('?')[0], id: req.id, ip: req.ip }),
      },
    },
    bodyLimit: deps.config.bodyLimit,
    trustProxy: trustProxyOption(deps.config),
    genReqId: (req) => {
      const id = req.headers['x-request-id'];
      // A cheap process-unique id when the caller sent none (request ids are for logs, not security).
      return typeof id === 'string' && /^[\w.-]{1,128}$/.test(id) ? id : `${requestIdPrefix}-${(++requestCounter).toString(36)}`;
    },
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 512 },
    // A path the router cannot take (a broken percent escape, a segment over 512 characters) names
    // nothing: answer in the documented error shape, never echoing the path.
    frameworkErrors: (error, request, reply) => {
      setSecurityHeaders(reply, deps.config.baseUrl.startsWith('https:'));
      const code = (error as { code?: string }).code;
      const problem = code === 'FST_ERR_MAX_PARAM_LENGTH' ? fail('not_found', 'Not found') : fail('invalid_request', 'Malformed request URL');
      return renderError(problem, request, reply, styleForUrl(request.url));
    },
  });

  // Bodies are UTF-8 (RFC 6749 Appendix B, RFC 8259 §8.1): one declared in another charset is refused, never read as UTF-8 anyway.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    if (!declaresUtf8(mediaTypeOf(request.headers['content-type']))) return done(fail('unsupported_media_type', 'A form must be UTF-8 (no other charset)'), undefined);
    return done(null, new Form(body as string));
  });
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (!declaresUtf8(mediaTypeOf(request.headers['content-type']))) return done(fail('unsupported_media_type', 'JSON must be UTF-8 (no other charset)'), undefined);
    const repeated = firstRepeatedMember(body as string);
    if (repeated !== null) return done(fail('invalid_request', `Member ${repeated.slice(0, 64)} is repeated`), undefined);
    return parseJson(request, body as string, done);
  });
  await app.register(cookie);

  app.setErrorHandler((err, request, reply) => renderError(err, request, reply));
  app.setNotFoundHandler((request, reply) =>
    renderError(fail('not_found', `No route for ${request.method} ${request.url.split('?')[0]!.slice(0, 200)}`), request, reply, styleForUrl(request.url)),
  );

  // First of all hooks, for every request, matched or not.
  securityHeadersHook(app, deps.config.baseUrl);
  requestPathHook(app);
  collectRoutes(app);
  requestIdHook(app);
  const metrics = installMetrics(app, deps);
  rateLimitHooks(app, deps);
  healthRoutes(app, deps);
  metricsRoutes(app, deps, metrics);
  discoveryRoutes(app, deps);
  jwksRoutes(app, deps);
  realmInfoRoutes(app, deps);
  umaPolicyRoutes(app, deps);
  permissionTicketRoutes(app, deps);
  tokenRoutes(app, deps);
  authorizeRoutes(app, deps);
  logoutRoutes(app, deps);
  userinfoRoutes(app, deps);
  revocationRoutes(app, deps);
  resourceSetRoutes(app, deps);
  permissionRoutes(app, deps);
  protectionEventRoutes(app, deps);
  introspectionRoutes(app, deps);
  claimsRoutes(app, deps);
  ownerAuthenticateRoutes(app, deps);
  ownerPolicyRoutes(app, deps);
  ownerAuthorizationPolicyRoutes(app, deps);
  ownerPendingRequestRoutes(app, deps);
  ownerAuditHistoryRoutes(app, deps);
  accessReportRoutes(app, deps);
  ownerResourceRoutes(app, deps);
  ownerSharedWithMeRoutes(app, deps);
  ownerLookupRoutes(app, deps);
  ownerMyRequestsRoutes(app, deps);
  resourceServerConfigurationRoutes(app, deps);
  resourceScopeRoutes(app, deps);
  ownerScopeRoutes(app, deps);
  adminResourceServerRoutes(app, deps);
  adminGroupRoutes(app, deps);
  adminWebhookRoutes(app, deps);
  adminRealmRoutes(app, deps);
  adminUserRoutes(app, deps);
  adminClientRoutes(app, deps);
  adminKeyRoutes(app, deps);
  adminOrganizationRoutes(app, deps);
  accountConsoleRoutes(app, deps);
  accountConsoleLinkRoutes(app, deps);
  landingRoutes(app, deps);
  return app;
}
