/**
 * @module records-rs/manage
 * The owner's application API, `/manage/resources`: create, read, update, delete and list records,
 * each kept registered at Steward with the owner's PAT, and `PUT /manage/resources/{id}/policy`
 * (ForgeRock's UMA resource-server sample, "RO: Apply Policy"). The owner authenticates with her `uma_protection` access token.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthorizationServer, ResourceDescription, UmaPolicy } from './authorization-server.ts';
import { isRecordType, templateScopes, TYPES, type RecordType } from './configuration.ts';
import { invalidRequest, notFound, RsError } from './errors.ts';
import type { RecordStore, StoredRecord } from './store.ts';

/** The owners' PATs, by user name: the latest token each owner used, kept for ticket requests. */
export type PatBook = Map<string, string>;

/** The header the owner application passes the owner's Steward SSO session token in. */
export const SSO_HEADER = 'x-sso-token';

const SCOPE_NAME = /^[\x21\x23-\x5b\x5d-\x7e]{1,64}$/;

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The record fields of a create or full-replacement body: `{name, type, content, scopes?}`. */
function parseRecordBody(body: unknown): { name: string; type: RecordType; content: unknown; extra: string[] } {
  if (!isObject(body)) throw invalidRequest('The body must be a JSON object: {name, type, content, scopes?}.');
  const { name, type, content, scopes } = body;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200) throw invalidRequest('name must be a non-empty string of at most 200 characters.');
  if (!isRecordType(type)) throw invalidRequest(`type must be one of: ${Object.keys(TYPES).join(', ')}.`);
  if (content === undefined) throw invalidRequest('content (any JSON value) is required.');
  if (scopes !== undefined && (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string' && SCOPE_NAME.test(s)))) {
    throw invalidRequest('scopes, when given, must be an array of scope names (the private scopes added to the type\'s template scopes).');
  }
  return { name, type, content, extra: (scopes as string[] | undefined) ?? [] };
}

function description(name: string, type: RecordType, extra: string[]): ResourceDescription {
  return { name, type, resource_scopes: [...new Set([...templateScopes(type), ...extra])] };
}

/** The `/manage/resources` routes. */
export function manageRoutes(app: FastifyInstance, deps: { store: RecordStore; as: AuthorizationServer; pats: PatBook }): void {
  const { store, as, pats } = deps;

  /** The owner behind the request's bearer token; her token becomes her PAT for later ticket requests. */
  async function owner(request: FastifyRequest): Promise<{ name: string; pat: string }> {
    const pat = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (pat === undefined) throw new RsError(401, 'invalid_token', 'Send the owner\'s access token (scope uma_protection) as Authorization: Bearer.');
    const name = await as.ownerOf(pat);
    pats.set(name, pat);
    return { name, pat };
  }

  /** The owner's record; another owner's record is as missing as an unknown one. */
  function ownRecord(id: string, ownerName: string): StoredRecord {
    const record = store.get(id);
    if (record === undefined || record.meta.owner !== ownerName) throw notFound();
    return record;
  }

  app.post('/manage/resources', async (request, reply) => {
    const who = await owner(request);
    const input = parseRecordBody(request.body);
    const desc = description(input.name, input.type, input.extra);
    const resourceId = await as.register(who.pat, desc);
    const now = new Date().toISOString();
    const record: StoredRecord = {
      meta: { id: randomUUID(), name: input.name, type: input.type, owner: who.name, state: 'private', discoverable: false, resourceId, scopes: desc.resource_scopes, created: now, updated: now },
      content: input.content,
    };
    try {
      await store.put(record);
    } catch (e) {
      // Do not leave a registration behind without its record.
      await as.deregister(who.pat, resourceId).catch(() => {});
      throw e;
    }
    return reply.code(201).header('location', `/manage/resources/${record.meta.id}`).send(record);
  });

  app.get('/manage/resources', async (request) => {
    const who = await owner(request);
    return store.list(who.name);
  });

  app.get('/manage/resources/:id', async (request: IdRequest) => {
    const who = await owner(request);
    return ownRecord(request.params.id, who.name);
  });

  app.put('/manage/resources/:id', async (request: IdRequest) => {
    const who = await owner(request);
    const record = ownRecord(request.params.id, who.name);
    const input = parseRecordBody(request.body);
    const desc = description(input.name, input.type, input.extra);
    await as.replace(who.pat, record.meta.resourceId, desc);
    const updated: StoredRecord = {
      meta: { ...record.meta, name: input.name, type: input.type, scopes: desc.resource_scopes, updated: new Date().toISOString() },
      content: input.content,
    };
    await store.put(updated);
    return updated;
  });

  app.delete('/manage/resources/:id', async (request: IdRequest, reply) => {
    const who = await owner(request);
    const record = ownRecord(request.params.id, who.name);
    await as.deregister(who.pat, record.meta.resourceId);
    await store.delete(record.meta.id);
    return reply.code(204).send();
  });

  // ForgeRock's UMA resource-server sample: read the meta data, apply the policy at Steward with the owner's SSO session, mark shared.
  app.put('/manage/resources/:id/policy', async (request: IdRequest, reply) => {
    const who = await owner(request);
    const record = ownRecord(request.params.id, who.name);
    const sso = request.headers[SSO_HEADER];
    if (typeof sso !== 'string' || sso.trim() === '') {
      throw new RsError(401, 'sso_token_required', `Send the owner's Steward session token (from /authenticate) in the ${SSO_HEADER} header.`);
    }
    const body = request.body;
    if (!isObject(body) || !Array.isArray(body.permissions)) {
      throw invalidRequest('The body must be a JSON object {permissions: [{subject, scopes}]}.');
    }
    if (body.policyId !== undefined && body.policyId !== record.meta.resourceId) {
      throw invalidRequest('policyId, when given, must be the record\'s resource id.');
    }
    const policy: UmaPolicy = { policyId: record.meta.resourceId, permissions: body.permissions as UmaPolicy['permissions'] };
    const existing = await as.readPolicy(sso.trim(), who.name, record.meta.resourceId);
    await as.writePolicy(sso.trim(), who.name, policy, existing !== null);
    await store.put({ ...record, meta: { ...record.meta, state: 'shared', discoverable: false, updated: new Date().toISOString() } });
    const stored = await as.readPolicy(sso.trim(), who.name, record.meta.resourceId);
    if (stored === null) throw new RsError(502, 'authorization_server_refused', 'The policy was applied but could not be read back.');
    return reply.code(existing === null ? 201 : 200).send(stored);
  });
}
