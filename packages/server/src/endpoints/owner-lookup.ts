/**
 * @module endpoints/owner-lookup
 * The share dialog's person lookup: `GET /json/realms/root/realms/{realm}/users/{user}/uma/lookup?identity=…`
 * answers `{found: true, username, displayName}` only for an exact username or e-mail address, and
 * `{found: false}` for anything else, never a list. Limited per user and time window, so it cannot
 * be used to walk the directory. Only the user herself; errors are CREST JSON.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { fail, lookupIdentity, MAX_IDENTITY_LENGTH, requireSelf } from '@steward/core';
import type { Deps } from '../deps.ts';
import { acceptApiVersionDoc } from '../http/api-version.ts';
import { refuseCrestMethods } from '../http/crest-methods.ts';
import { requireOwnerUser } from '../http/owner-session.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { LookupResultSchema } from '../wire/console.ts';
import { singleParameters } from '../http/crest-methods.ts';

const URL = '/json/realms/root/realms/:realm/users/:user/uma/lookup';
const crest = { errorStyle: 'crest' } as const;

/** Lookups one user may make per window. */
export const LOOKUPS_PER_WINDOW = 60;
/** Seconds of one lookup window. */
export const LOOKUP_WINDOW = 60;

const DOCS = {
  lookup: {
    summary: 'Find a person to share with',
    description: `Resolves an exact username, or an exact e-mail address (case ignored), to the one user it names; \`group:{name}\` to a group the user may share with (visible, or hers). Anything else is \`{"found": false}\` and reveals nothing (no prefix search, no list). A name that could be mistaken for another (mixed alphabets, look-alike characters) carries a \`warning\`. At most ${LOOKUPS_PER_WINDOW} lookups per user per ${LOOKUP_WINDOW} seconds (429 beyond).`,
    tags: ['Owner API'],
    operationId: 'lookupIdentity',
    auth: ['owner-session', 'bearer'],
    params: { user: 'The user\'s name: only the user herself may look up (403 otherwise).' },
    query: Type.Object({ identity: Type.String({ maxLength: MAX_IDENTITY_LENGTH, description: 'The exact username or e-mail address, or `group:{name}`.' }) }, { required: ['identity'] }),
    headers: acceptApiVersionDoc(),
    responses: { '200': { description: 'Whether exactly one user matches, and who.', schema: LookupResultSchema } },
    errors: ['invalid_request', 'login_required', 'forbidden', 'not_found', 'too_many_requests'],
  },
} satisfies Record<string, RouteDocs>;

type LookupRequest = FastifyRequest<{ Params: { realm: string; user: string }; Querystring: Record<string, string | string[] | undefined> }>;

async function limitLookups(deps: Deps, realm: string, userId: string): Promise<void> {
  const now = deps.clock.now();
  const start = now - (now % LOOKUP_WINDOW);
  const [count] = await deps.store.rateLimits.hit([`user:lookup:${encodeURIComponent(realm)}:${userId}`], start, start + LOOKUP_WINDOW);
  if (count! > LOOKUPS_PER_WINDOW) throw fail('too_many_requests', 'Too many lookups; try again in a minute', { retryAfter: start + LOOKUP_WINDOW - now });
}

export function ownerLookupRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(URL, { config: { ...crest, docs: DOCS.lookup } }, async (request: LookupRequest, reply) => {
    const realm = await loadRealm(deps, request.params.realm);
    const actor = await requireOwnerUser(deps, realm, request);
    requireSelf(actor, request.params.user);
    const identity = singleParameters(request.query, ['_fields']).get('identity');
    if (identity === undefined) throw fail('invalid_request', 'identity is required: a username or an e-mail address');
    await limitLookups(deps, realm.id, actor.id);
    const found = await lookupIdentity(deps, { realm: realm.id, actor, identity });
    reply.header('cache-control', 'no-store');
    return found;
  });

  refuseCrestMethods(app, { url: URL, name: 'the lookup', summary: 'Unsupported method on the person lookup', operationId: 'lookupOtherMethods', params: { user: 'The user\'s name.' } });
}
