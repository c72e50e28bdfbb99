/**
 * @module endpoints/owner-authenticate
 * AM-style sign-in for the owner APIs (ForgeRock AM's UMA policies REST API): `POST …/authenticate` with `X-OpenAM-Username` and
 * `X-OpenAM-Password` answers a session `tokenId`; `POST …/sessions?_action=logout` ends it. Errors are
 * CREST JSON.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { closeSession, fail, openSession, resolveSession, verifyPassword } from '@steward/core';
import type { Deps } from '../deps.ts';
import { acceptApiVersionDoc, apiVersionHook } from '../http/api-version.ts';
import { sessionTokenOf } from '../http/owner-session.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { AuthenticatedSchema, LoggedOutSchema, LogoutQuerySchema } from '../wire/owner.ts';

const DOCS = {
  authenticate: {
    summary: 'Owner sign-in',
    description:
      'AM-style sign-in (ForgeRock AM\'s UMA policies REST API): the user name and password travel in headers, and the answer carries a session token for the owner APIs, also set as an HttpOnly cookie (named like the session header). Any request body is ignored. A wrong or missing credential is 401 `Authentication Failed`.',
    tags: ['Owner API'],
    operationId: 'ownerAuthenticate',
    auth: 'none',
    headers: {
      ...acceptApiVersionDoc('authenticate'),
      'X-OpenAM-Username': { description: 'The user name; non-ASCII as RFC 2047 `=?UTF-8?B?…?=`.', required: true },
      'X-OpenAM-Password': { description: 'The password; non-ASCII as RFC 2047 `=?UTF-8?B?…?=`.', required: true },
    },
    responses: { '200': { description: 'Signed in (`Cache-Control: no-store`).', schema: AuthenticatedSchema, headers: { 'Set-Cookie': 'the session cookie' } } },
    errors: ['invalid_request', 'login_required', 'not_found'],
  },
  logout: {
    summary: 'Owner sign-out',
    description: 'Ends the session named by the session header and clears the cookie. The cookie alone is refused (401): a page of another site could make the browser send it.',
    tags: ['Owner API'],
    operationId: 'ownerLogout',
    auth: 'owner-session',
    query: LogoutQuerySchema,
    headers: acceptApiVersionDoc('sessions'),
    responses: { '200': { description: 'Signed out.', schema: LoggedOutSchema } },
    errors: ['invalid_request', 'login_required', 'not_found'],
  },
  otherMethods: {
    summary: 'Sign-in accepts POST only',
    tags: ['Owner API'],
    operationId: 'ownerAuthenticateOtherMethods',
    auth: 'none',
    refusesMethod: true,
    responses: {},
    errors: ['unsupported_method_type'],
  },
} satisfies Record<string, RouteDocs>;

const BASE = '/json/realms/root/realms/:realm';
const crest = { errorStyle: 'crest' } as const;

type RealmRequest = FastifyRequest<{ Params: { realm: string }; Querystring: Record<string, string | string[] | undefined> }>;

/** A credential header, decoded from RFC 2047 `=?UTF-8?B?…?=` when AM clients send non-ASCII names. */
function credentialHeader(request: FastifyRequest, name: string): string | null {
  const value = request.headers[name];
  if (typeof value !== 'string' || value === '') return null;
  const encoded = /^=\?UTF-8\?B\?([A-Za-z0-9+/]*={0,2})\?=$/i.exec(value);
  const decoded = encoded ? Buffer.from(encoded[1]!, 'base64').toString('utf8') : value;
  // No user name or password holds control characters (and PostgreSQL text refuses NUL).
  return /[\u0000-\u001f\u007f]/.test(decoded) ? null : decoded;
}

function authenticationFailed(): Error {
  return fail('login_required', 'Authentication Failed');
}

export function ownerAuthenticateRoutes(app: FastifyInstance, deps: Deps): void {
  // The one API-version check of every `/json/` route (this module registers the first of them).
  apiVersionHook(app);
  // AM clients send `Content-Type: application/json` with no body at all: in this scope any body is
  // accepted (within the size limit) and ignored, instead of failing as empty JSON.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => done(null, undefined));

    scope.post(`${BASE}/authenticate`, { config: { ...crest, docs: DOCS.authenticate } }, async (request: RealmRequest, reply: FastifyReply) => {
      const realm = await loadRealm(deps, request.params.realm);
      const username = credentialHeader(request, 'x-openam-username');
      const password = credentialHeader(request, 'x-openam-password');
      if (username === null || password === null) throw authenticationFailed();
      const user = await verifyPassword(deps, realm.id, username, password, request.ip);
      if (!user) throw authenticationFailed();
      const lifetime = realm.settings.sessionLifetime;
      const { token } = await openSession(deps, realm.id, user.id, lifetime);
      reply
        .header('cache-control', 'no-store')
        .header('pragma', 'no-cache')
        .setCookie(deps.config.sessionHeader, token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: deps.config.baseUrl.startsWith('https:'),
          maxAge: lifetime,
        });
      return { tokenId: token, successUrl: `/realms/${realm.id}/account/`, realm: `/${realm.id}` };
    });

    scope.post(`${BASE}/sessions`, { config: { ...crest, docs: DOCS.logout } }, async (request: RealmRequest, reply: FastifyReply) => {
      const realm = await loadRealm(deps, request.params.realm);
      const action = request.query._action;
      if (action !== 'logout') throw fail('invalid_request', `Action ${typeof action === 'string' ? `'${action.slice(0, 64)}' ` : ''}is not supported; use _action=logout`);
      const token = sessionTokenOf(deps, request);
      if (!token) throw fail('login_required', 'Access Denied');
      const user = await resolveSession(deps, realm.id, token);
      if (!user) throw fail('login_required', 'Access Denied');
      await closeSession(deps, realm.id, token);
      reply.header('cache-control', 'no-store').clearCookie(deps.config.sessionHeader, { path: '/' });
      return { result: 'Successfully logged out' };
    });

    scope.route({
      method: ['GET', 'PUT', 'DELETE', 'PATCH'],
      url: `${BASE}/authenticate`,
      config: { ...crest, docs: DOCS.otherMethods },
      handler: async () => {
        throw fail('unsupported_method_type', 'Method not allowed: authenticate accepts POST only');
      },
    });
  });
}
