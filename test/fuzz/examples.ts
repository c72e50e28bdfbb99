/**
 * @module test/fuzz/examples
 * A plausible value for a documented schema, so a fuzz case changes one thing at a time and otherwise
 * reaches past validation: `const`/`enum` honoured, one branch of `anyOf`/`oneOf`, every property of an
 * object, and the demo realm's real names and ids for fields whose names say what they hold.
 */
import type { Random } from './random.ts';
import type { Schema } from './openapi-routes.ts';

/** Real names and ids of the fuzzed world, by what a field or parameter holds. */
export interface Known {
  realm: string;
  owner: string;
  party: string;
  /** The user name sign-in fields and headers carry: failed sign-ins may lock it out, never the owner. */
  signInName: string;
  resourceId: string;
  accessRequestId: string;
  /** A Keycloak permission ticket id (a share or a pending request). */
  permissionTicketId: string;
  /** A live permission ticket (the one the pending request's grant answered with). */
  ticket: string;
  /** The requesting party's tokens at the client: what introspection, revocation and the grants take (never the owner's). */
  partyToken: string;
  partyIdToken: string;
  partyRefreshToken: string;
  groupId: string;
  webhookId: string;
  organizationId: string;
  deliveryId: string;
  /** A user and a client the admin API may disable or delete without harming the rest of the run. */
  victimUserId: string;
  victimClientId: string;
  resourceServer: string;
  client: string;
  redirectUri: string;
  claimsRedirectUri: string;
  /** The demo realm's export under another id: what the import takes. */
  realmDocument: Record<string, unknown>;
  /** The browser's CSRF token: its cookies hold it, so a form posting it passes the double-submit check. */
  csrf: string;
  asset: string;
}

/** Left out of a baseline body (a field that excludes another), yet fuzzed like the others. */
export const OMIT: unique symbol = Symbol('omit');

const CODE_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

/** Plausible values for a field or parameter by its name, most specific first; the first of the schema's type is used. */
function hints(name: string, known: Known): unknown[] {
  switch (name) {
    case 'realm':
      return [known.realm, known.realmDocument.realm];
    case 'user':
    case 'owner':
      return [known.owner];
    case 'username':
    case 'X-OpenAM-Username':
      return [known.signInName];
    case 'requester':
    case 'subject':
    case 'claimValue':
    case 'identity':
      return [known.party];
    case 'requesterName':
    case 'scopeName':
    case 'client_secret':
    case 'token_type_hint':
      return [OMIT];
    case 'users':
      return [[known.party], known.realmDocument.users];
    case 'groups':
      return [['fuzzers'], known.realmDocument.groups];
    case 'policies':
    case 'organizations':
    case 'resourceServers':
      return [known.realmDocument[name]];
    case 'roles':
      return [[]];
    case 'clients':
      return [[known.client], known.realmDocument.clients];
    case 'admins':
      return [[known.victimUserId]];
    case 'resource':
    case 'resourceId':
    case 'resource_id':
    case 'policyId':
      return [known.resourceId];
    case 'resources':
      return [[known.resourceId], known.realmDocument.resources];
    case 'scope':
    case 'scopeId':
      return ['view'];
    case 'scopes':
    case 'resource_scopes':
      return [['view']];
    case 'actionValues':
      return [{ view: true }, ['view']];
    case 'grantTypes':
      return [['client_credentials']];
    case 'client_id':
    case 'clientId':
      return [known.client];
    case 'redirect_uri':
    case 'post_logout_redirect_uri':
      return [known.redirectUri];
    case 'claims_redirect_uri':
      return [known.claimsRedirectUri];
    case 'icon_uri':
      return ['https://example.com/icon.png'];
    case 'email':
      return ['fuzz@example.com'];
    case 'password':
    case 'X-OpenAM-Password':
      return ['not-the-password'];
    case 'code_challenge':
      return [CODE_CHALLENGE];
    case 'token':
    case 'subject_token':
      return [known.partyToken];
    case 'claim_token':
    case 'id_token_hint':
      return [known.partyIdToken];
    case 'ticket':
      return [known.ticket];
    case 'csrf':
      return [known.csrf];
    case 'refresh_token':
      return [known.partyRefreshToken];
    case '_queryFilter':
      return ['true'];
    case 'url':
      return ['http://127.0.0.1:9/fuzz-hook'];
    default:
      return [];
  }
}

const typeOf = (v: unknown) => (v === OMIT ? 'omit' : Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

const fitsType = (v: unknown, type: unknown) => type === undefined || typeOf(v) === type || (type === 'integer' && typeof v === 'number');

/** The plausible value for `name` that fits a schema of `type` (any, when the schema names none), a list's items its `items` type. */
export function hinted(name: string, known: Known, type?: string, items?: Schema): unknown {
  return hints(name, known).find((h) => h === OMIT || (fitsType(h, type) && (!Array.isArray(h) || h.every((item) => fitsType(item, items?.type)))));
}

export function example(schema: Schema, random: Random, known: Known, name = ''): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return random.pick(schema.enum);
  const branches = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (Array.isArray(branches) && branches.length > 0) {
    const present = branches.filter((b) => b.type !== 'null');
    return example(random.pick(present.length > 0 ? present : branches), random, known, name);
  }
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...(schema.allOf as Schema[]).map((s) => example(s, random, known, name)));
  const type = (Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type) as string | undefined;
  const hint = name ? hinted(name, known, type, schema.items as Schema | undefined) : undefined;
  if (hint !== undefined) return hint;
  switch (type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries(Object.entries(props).map(([k, s]) => [k, example(s, random, known, k)]));
    }
    case 'array':
      return [example((schema.items ?? {}) as Schema, random, known, name)];
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'string':
      if (schema.pattern === '^[0-9]+$') return '0';
      if (typeof schema.minLength === 'number' && schema.minLength > 8) return 'f'.repeat(schema.minLength);
      return `fuzz${random.int(1_000_000)}`;
    default:
      return 'fuzz';
  }
}

/** `value` without the fields left out of the baseline. */
export function pruned(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== OMIT).map(pruned);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== OMIT) Object.defineProperty(out, k, { value: pruned(v), enumerable: true, writable: true, configurable: true });
  return out;
}

/** The paths (keys and array indexes) of every field in a JSON value, parents first, at most `depth` deep. */
export function fieldPaths(value: unknown, depth = 3, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (depth === 0 || typeof value !== 'object' || value === null) return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.slice(0, 1).map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...fieldPaths(v, depth - 1, [...prefix, k])]);
}

/** A deep copy of `value` with the field at `path` set to `replacement`. */
export function withField(value: unknown, path: ReadonlyArray<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...Array<string | number>];
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? withField(v, rest, replacement) : v));
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  Object.defineProperty(copy, head, { value: withField(copy[head], rest, replacement), enumerable: true, writable: true, configurable: true });
  return copy;
}
