/**
 * @module wire/policy
 * The owner policy's JSON on the wire (seed 002, AM's `uma/policies` resource): the body a PUT sends,
 * checked with AM's messages, and the representation GET and PUT answer. The TypeBox schemas document
 * the shapes for the OpenAPI reference; the checks here give the exact messages clients expect.
 */
import Type from 'typebox';
import { fail, type PolicyInput, type PolicyPermission, type PolicyView } from '@steward/core';

/** Bounds that keep one request's work small. */
export const POLICY_LIMITS = { permissions: 100, scopes: 100, subjectLength: 256, scopeLength: 256 } as const;

export const PolicyPermissionSchema = Type.Object({
  subject: Type.String({ minLength: 1, maxLength: POLICY_LIMITS.subjectLength, description: 'A username of the realm, or `client:{clientId}`.' }),
  scopes: Type.Array(Type.String({ minLength: 1, maxLength: POLICY_LIMITS.scopeLength }), { minItems: 1, maxItems: POLICY_LIMITS.scopes }),
});

export const PolicyBodySchema = Type.Object({
  policyId: Type.String({ description: 'The id of the protected resource; equals the id in the URL.' }),
  permissions: Type.Array(PolicyPermissionSchema, { minItems: 1, maxItems: POLICY_LIMITS.permissions }),
});

export const PolicyRepresentationSchema = Type.Object({
  _id: Type.String(),
  _rev: Type.String(),
  policyId: Type.String(),
  name: Type.String({ description: 'The resource name, or its id when it has none.' }),
  permissions: Type.Array(PolicyPermissionSchema),
});

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(message: string): never {
  throw fail('invalid_request', message);
}

function parsePermission(value: unknown): PolicyPermission {
  const prefix = 'Invalid UMA policy permission.';
  if (!isObject(value)) bad(`${prefix} Each permission must be a JSON object.`);
  const { subject, scopes } = value;
  if (subject === undefined || subject === null) bad(`${prefix} Missing required attribute, 'subject'.`);
  if (typeof subject !== 'string') bad(`${prefix} Required attribute, 'subject', must be a String.`);
  if (subject.length === 0 || subject.length > POLICY_LIMITS.subjectLength) {
    bad(`${prefix} Required attribute, 'subject', must be 1 to ${POLICY_LIMITS.subjectLength} characters.`);
  }
  if (scopes === undefined || scopes === null) bad(`${prefix} Missing required attribute, 'scopes'.`);
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) bad(`${prefix} Required attribute, 'scopes', must be an array of Strings.`);
  if (scopes.length === 0) bad(`${prefix} Required attribute, 'scopes', must not be empty.`);
  if (scopes.length > POLICY_LIMITS.scopes) bad(`${prefix} At most ${POLICY_LIMITS.scopes} scopes are allowed in one permission.`);
  if (scopes.some((s: string) => s.length === 0 || s.length > POLICY_LIMITS.scopeLength)) {
    bad(`${prefix} Each scope must be 1 to ${POLICY_LIMITS.scopeLength} characters.`);
  }
  return { subject, scopes: [...(scopes as string[])] };
}

/**
 * Checks the shape of a PUT body and returns the policy it describes. Members other than `policyId`
 * and `permissions` (such as `_id`, `_rev`, `name` echoed from a GET) are ignored.
 */
export function parsePolicyBody(body: unknown): PolicyInput {
  const prefix = 'Invalid UMA policy.';
  if (!isObject(body)) bad(`${prefix} The body must be a JSON object.`);
  const { policyId, permissions } = body;
  if (policyId === undefined || policyId === null) bad(`${prefix} Missing required attribute, 'policyId'.`);
  if (typeof policyId !== 'string') bad(`${prefix} Required attribute, 'policyId', must be a String.`);
  if (permissions === undefined || permissions === null) bad(`${prefix} Missing required attribute, 'permissions'.`);
  if (!Array.isArray(permissions)) bad(`${prefix} Required attribute, 'permissions', must be an array.`);
  if (permissions.length === 0) bad(`${prefix} Required attribute, 'permissions', must not be empty.`);
  if (permissions.length > POLICY_LIMITS.permissions) bad(`${prefix} At most ${POLICY_LIMITS.permissions} permissions are allowed.`);
  return { policyId, permissions: permissions.map(parsePermission) };
}

/** The full representation (GET, and PUT when it updates). */
export function policyRepresentation(view: PolicyView): Record<string, unknown> {
  const { policy, resource } = view;
  return {
    _id: policy.id,
    _rev: policy.rev,
    policyId: policy.id,
    name: resource.name ?? resource.id,
    permissions: policy.permissions.map((p) => ({ subject: p.subject, scopes: [...p.scopes] })),
  };
}
