/**
 * @module endpoints/owner-lookup
 * The share dialog's person lookup: `GET /json/realms/root/realms/{realm}/users/{user}/uma/lookup?identity=…`
 * answers `{found: true, username, displayName}` only for an exact username or e-mail address, and
 * `{found: false}` for anything else, never a list. Limited per user and time window, so it cannot
 * be used to walk the directory; policy writes naming unknown subjects spend the same budget
 * (services/lookup-budget). Only the user herself; errors are CREST JSON.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { fail, LOOKUP_WINDOW, LOOKUPS_PER_WINDOW, lookupIdentity, MAX_IDENTITY_LENGTH, requireSelf, spendLookup } from '@steward/core';
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

const DOCS = {
  lookup: {
    summary: 'Find a person to share with',
    description: `Resolves an exact username, or an exact e-mail address (case ignored), to the one user it names; \`group:{name}\` to a group the user may share with (visible, or hers). Anything else is \`{"found": false}\` and reveals nothing (no prefix search, no list). A name that could be mistaken for another (mixed alphabets, look-alike characters) carries a \`warning\`. At most ${LOOKUPS_PER_WINDOW} lookups per user per ${LOOKUP_WINDOW} seconds, counted together with policy writes that name a subject nobody has (429 beyond).`,
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

export function ownerLookupRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(URL, { config: { ...crest, docs: DOCS.lookup } }, async (request: LookupRequest, reply) => {
    const realm = await loadRealm(deps, request.params.realm);
    const actor = await requireOwnerUser(deps, realm, request);
    requireSelf(actor, request.params.user);
    const identity = singleParameters(request.query, ['_fields']).get('identity');
    if (identity === undefined) throw fail('invalid_request', 'identity is required: a username or an e-mail address');
    await spendLookup(deps, realm.id, actor.id);
    const found = await lookupIdentity(deps, { realm: realm.id, actor, identity });
    reply.header('cache-control', 'no-store');
    return found;
  });

  refuseCrestMethods(app, { url: URL, name: 'the lookup', summary: 'Unsupported method on the person lookup', operationId: 'lookupOtherMethods', params: { user: 'The user\'s name.' } });
}
