/**
 * @module wire/resource
 * The resource description on the wire (Fed Authz §3.1): snake_case JSON in, the core's camelCase
 * `ResourceDescription` out, and back. Unknown members are ignored, except the internationalized
 * `name#<lang>` and `description#<lang>` (RFC 7591 §2.2), which are kept verbatim.
 */
import { fail, isJsonObject, type Resource, type ResourceDescription } from '@steward/core';

const MAX_SCOPES = 256;
const MAX_SCOPE_LENGTH = 256;
const MAX_TEXT_LENGTH = 1024;
const MAX_URI_LENGTH = 2048;
/** `name#fr`, `description#en-US`: a member name, `#`, and a BCP 47 language tag. */
const I18N_MEMBER = /^(name|description)#[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

/** The parsed JSON body, or `invalid_request` when the request did not send `application/json`. */
export function jsonBody(contentType: string | undefined, body: unknown): unknown {
  if (!contentType || !/^application\/json\s*(;|$)/i.test(contentType) || body === undefined) {
    throw fail('invalid_request', 'Expected an application/json body');
  }
  return body;
}

/** Checks one string member: a string, at most `max` characters, no NUL. */
export function checkString(member: string, value: unknown, max: number, allowEmpty: boolean): string {
  if (typeof value !== 'string') throw fail('invalid_request', `${member} must be a string`);
  if (!allowEmpty && value.length === 0) throw fail('invalid_request', `${member} must not be empty`);
  if (value.length > max) throw fail('invalid_request', `${member} must be at most ${max} characters`);
  if (value.includes('\u0000')) throw fail('invalid_request', `${member} must not contain NUL characters`);
  return value;
}

/** Checks a `resource_scopes` array: strings, each non-empty and at most 256 characters. */
export function checkScopes(member: string, value: unknown, min: number): string[] {
  if (!Array.isArray(value)) throw fail('invalid_request', `${member} must be an array of strings`);
  if (value.length < min) throw fail('invalid_request', `${member} must name at least ${min} scope`);
  if (value.length > MAX_SCOPES) throw fail('invalid_request', `${member} must name at most ${MAX_SCOPES} scopes`);
  return value.map((s, i) => checkString(`${member}[${i}]`, s, MAX_SCOPE_LENGTH, false));
}

/** An optional text member: absent and null mean "not set". */
function optionalText(body: Record<string, unknown>, member: string): string | null {
  const value = body[member];
  return value === undefined || value === null ? null : checkString(member, value, MAX_TEXT_LENGTH, true);
}

function optionalUri(body: Record<string, unknown>, member: string): string | null {
  const value = body[member];
  if (value === undefined || value === null) return null;
  const uri = checkString(member, value, MAX_URI_LENGTH, false);
  const parsed = URL.parse(uri);
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw fail('invalid_request', `${member} must be an absolute http or https URI`);
  }
  return uri;
}

/** Parses a resource description (create and full replacement); `invalid_request` names the bad member. */
export function parseResourceDescription(body: unknown): ResourceDescription {
  if (!isJsonObject(body)) throw fail('invalid_request', 'The resource description must be a JSON object');
  const typed = body.type !== undefined && body.type !== null;
  // A typed resource may leave its scopes out: it then gets its type's template scopes (ForgeRock's UMA scope model).
  if (!typed && (body.resource_scopes === undefined || body.resource_scopes === null)) throw fail('invalid_request', 'resource_scopes is required');
  const extra: Record<string, string> = {};
  for (const [member, value] of Object.entries(body)) {
    if (I18N_MEMBER.test(member)) extra[member] = checkString(member, value, MAX_TEXT_LENGTH, true);
  }
  return {
    name: optionalText(body, 'name'),
    type: optionalText(body, 'type'),
    iconUri: optionalUri(body, 'icon_uri'),
    description: optionalText(body, 'description'),
    scopes: body.resource_scopes === undefined || body.resource_scopes === null ? [] : [...new Set(checkScopes('resource_scopes', body.resource_scopes, typed ? 0 : 1))],
    extra,
  };
}

/** `user_access_policy_uri`: where the owner manages sharing of this resource in the account console. */
export function userAccessPolicyUri(issuer: string, id: string): string {
  return `${issuer}/account/resources/${encodeURIComponent(id)}`;
}

/** The full description with `_id`, as read (Fed Authz §3.2.2). */
export function resourceToWire(resource: Resource): Record<string, unknown> {
  const wire: Record<string, unknown> = { _id: resource.id, resource_scopes: resource.scopes };
  if (resource.name !== null) wire.name = resource.name;
  if (resource.type !== null) wire.type = resource.type;
  if (resource.iconUri !== null) wire.icon_uri = resource.iconUri;
  if (resource.description !== null) wire.description = resource.description;
  return { ...wire, ...resource.extra };
}

/** The create and update answer: `_id`, `user_access_policy_uri` and the full description. */
export function resourceCreatedToWire(resource: Resource, issuer: string): Record<string, unknown> {
  return { ...resourceToWire(resource), user_access_policy_uri: userAccessPolicyUri(issuer, resource.id) };
}
