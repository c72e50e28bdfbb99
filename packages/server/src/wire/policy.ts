/**
 * @module wire/policy
 * The owner policy's JSON on the wire (ForgeRock AM's UMA policies REST API, AM's `uma/policies` resource): the body a PUT sends,
 * checked with AM's messages, and the representation GET and PUT answer. A permission may carry
 * `conditions`: AM's condition list (`Expiration` with `expirationDate`, `ClientId` with `clientIds`).
 * The TypeBox schemas document the shapes for the OpenAPI reference; the checks here give the exact
 * messages clients expect.
 */
import Type from 'typebox';
import { fail, isJsonObject, shown, type AuthorizationPolicyView, type PolicyConditions, type PolicyInput, type PolicyPermission, type PolicyView } from '@steward/core';
import { pagedResultSchema } from './paging.ts';

/** Bounds that keep one request's work small. */
export const POLICY_LIMITS = { permissions: 100, scopes: 100, subjectLength: 256, scopeLength: 256, clientIds: 100 } as const;

/** One restriction of a permission, as AM writes it. */
export const PolicyConditionSchema = Type.Union([
  Type.Object({ type: Type.Literal('Expiration'), expirationDate: Type.Integer({ minimum: 0, description: 'Seconds since the epoch; from then on the permission grants nothing and RPT permissions issued under it expire.' }) }),
  Type.Object({ type: Type.Literal('ClientId'), clientIds: Type.Array(Type.String({ minLength: 1, maxLength: POLICY_LIMITS.subjectLength }), { minItems: 1, maxItems: POLICY_LIMITS.clientIds, description: 'Only these clients can obtain an RPT under the permission.' }) }),
]);

export const PolicyPermissionSchema = Type.Object({
  subject: Type.String({ minLength: 1, maxLength: POLICY_LIMITS.subjectLength, description: 'A username of the realm, or `client:{clientId}`.' }),
  scopes: Type.Array(Type.String({ minLength: 1, maxLength: POLICY_LIMITS.scopeLength }), { minItems: 1, maxItems: POLICY_LIMITS.scopes }),
  conditions: Type.Optional(Type.Array(PolicyConditionSchema, { maxItems: 2, description: 'All must hold (AND); each type at most once.' })),
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

function bad(message: string): never {
  throw fail('invalid_request', message);
}

/**
 * Checks AM's condition list (`[{type: 'Expiration', expirationDate}, {type: 'ClientId', clientIds}]`)
 * and returns the conditions it sets; undefined when the list is empty.
 */
export function parseConditions(value: unknown): PolicyConditions | undefined {
  const prefix = 'Invalid UMA policy condition.';
  if (!Array.isArray(value)) bad(`${prefix} 'conditions' must be an array.`);
  const conditions: PolicyConditions = {};
  for (const c of value) {
    if (!isJsonObject(c)) bad(`${prefix} Each condition must be a JSON object.`);
    if (c.type === 'Expiration') {
      if (conditions.expiresAt !== undefined) bad(`${prefix} At most one Expiration condition is allowed.`);
      const date = c.expirationDate;
      if (typeof date !== 'number' || !Number.isSafeInteger(date) || date < 0) bad(`${prefix} 'expirationDate' must be a non-negative integer (seconds since the epoch).`);
      conditions.expiresAt = date;
    } else if (c.type === 'ClientId') {
      if (conditions.clientIds !== undefined) bad(`${prefix} At most one ClientId condition is allowed.`);
      const ids = c.clientIds;
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && id.length > 0 && id.length <= POLICY_LIMITS.subjectLength)) {
        bad(`${prefix} 'clientIds' must be a non-empty array of client ids.`);
      }
      if (ids.length > POLICY_LIMITS.clientIds) bad(`${prefix} At most ${POLICY_LIMITS.clientIds} clientIds are allowed.`);
      conditions.clientIds = [...new Set(ids as string[])];
    } else {
      bad(`${prefix} Unsupported condition type, '${shown(c.type, 64)}': use Expiration or ClientId.`);
    }
  }
  return conditions.expiresAt === undefined && conditions.clientIds === undefined ? undefined : conditions;
}

/** The conditions in AM's list form (empty when none). */
export function conditionList(conditions: PolicyConditions | undefined): Array<Record<string, unknown>> {
  const list: Array<Record<string, unknown>> = [];
  if (conditions?.expiresAt !== undefined) list.push({ type: 'Expiration', expirationDate: conditions.expiresAt });
  if (conditions?.clientIds !== undefined) list.push({ type: 'ClientId', clientIds: [...conditions.clientIds] });
  return list;
}

function parsePermission(value: unknown): PolicyPermission {
  const prefix = 'Invalid UMA policy permission.';
  if (!isJsonObject(value)) bad(`${prefix} Each permission must be a JSON object.`);
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
  const permission: PolicyPermission = { subject, scopes: [...(scopes as string[])] };
  if (value.conditions !== undefined && value.conditions !== null) {
    const conditions = parseConditions(value.conditions);
    if (conditions) permission.conditions = conditions;
  }
  return permission;
}

/**
 * Checks the shape of a PUT body and returns the policy it describes. Members other than `policyId`
 * and `permissions` (such as `_id`, `_rev`, `name` echoed from a GET) are ignored.
 */
export function parsePolicyBody(body: unknown): PolicyInput {
  const prefix = 'Invalid UMA policy.';
  if (!isJsonObject(body)) bad(`${prefix} The body must be a JSON object.`);
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
    permissions: policy.permissions.map((p) => (p.conditions ? { subject: p.subject, scopes: [...p.scopes], conditions: conditionList(p.conditions) } : { subject: p.subject, scopes: [...p.scopes] })),
  };
}

const ConditionSchema = Type.Object(
  { type: Type.Literal('AND'), conditions: Type.Array(PolicyConditionSchema, { maxItems: 2 }) },
  { description: 'All conditions must hold. Absent or null: none.' },
);

/** The body of a PUT on an authorization policy (AM's policy shape; other members are ignored). */
export const AuthorizationPolicyBodySchema = Type.Object(
  {
    actionValues: Type.Record(Type.String(), Type.Boolean(), { description: 'Scope → true to grant it; at least one true.' }),
    subject: Type.Object({ type: Type.Literal('Uma'), claimValue: Type.String({ description: 'The subject of the permission; must match the id.' }) }),
    condition: Type.Optional(Type.Union([ConditionSchema, Type.Null()])),
    resources: Type.Optional(Type.Array(Type.String(), { description: 'Ignored: the id names the resource.' })),
  },
  { $id: 'AuthorizationPolicyBody' },
);

/** One permission of a UMA policy as an authorization policy. */
export const AuthorizationPolicySchema = Type.Object(
  {
    _id: Type.String({ description: '`{resourceId}~{subject}`.' }),
    _rev: Type.String({ description: 'The UMA policy revision.' }),
    name: Type.String(),
    active: Type.Boolean({ description: 'Whether it grants now: unexpired and, for a re-share, backed by what its owner holds.' }),
    description: Type.String(),
    resources: Type.Array(Type.String()),
    applicationName: Type.String({ description: 'The resource server (client id) that registered the resource.' }),
    actionValues: Type.Record(Type.String(), Type.Boolean()),
    subject: Type.Object({ type: Type.Literal('Uma'), claimValue: Type.String() }),
    condition: Type.Optional(ConditionSchema),
    resourceTypeUuid: Type.String(),
    creationDate: Type.String(),
    lastModifiedDate: Type.String(),
  },
  { $id: 'AuthorizationPolicy', additionalProperties: false },
);

export const AuthorizationPolicyListSchema = pagedResultSchema('AuthorizationPolicyList', AuthorizationPolicySchema);

/** Checks a PUT body on an authorization policy: its subject, granted scopes and conditions. */
export function parseAuthorizationPolicyBody(body: unknown): { subject: string; scopes: string[]; conditions: PolicyConditions | undefined } {
  const prefix = 'Invalid policy.';
  if (!isJsonObject(body)) bad(`${prefix} The body must be a JSON object.`);
  const { actionValues, subject, condition } = body;
  if (!isJsonObject(subject) || subject.type !== 'Uma' || typeof subject.claimValue !== 'string' || subject.claimValue === '') {
    bad(`${prefix} 'subject' must be {"type": "Uma", "claimValue": "<subject>"}.`);
  }
  if (!isJsonObject(actionValues) || !Object.values(actionValues).every((v) => typeof v === 'boolean')) bad(`${prefix} 'actionValues' must map scopes to true or false.`);
  const scopes = Object.keys(actionValues).filter((k) => actionValues[k] === true);
  if (scopes.length === 0) bad(`${prefix} 'actionValues' must set at least one scope to true.`);
  const permission = parsePermission({ subject: subject.claimValue, scopes });
  let conditions: PolicyConditions | undefined;
  if (condition !== undefined && condition !== null) {
    if (!isJsonObject(condition)) bad(`${prefix} 'condition' must be a JSON object.`);
    if (condition.type === 'AND') conditions = parseConditions(condition.conditions);
    else conditions = parseConditions([condition]);
  }
  return { subject: permission.subject, scopes: permission.scopes, conditions };
}

/** The AM representation of one authorization policy. */
export function authorizationPolicyRepresentation(found: AuthorizationPolicyView): Record<string, unknown> {
  const { policy, resource } = found.view;
  const list = conditionList(found.permission.conditions);
  const body: Record<string, unknown> = {
    _id: found.id,
    _rev: policy.rev,
    name: found.id,
    active: found.active,
    description: '',
    resources: [`uma://${policy.id}`],
    applicationName: resource.resourceServer,
    actionValues: Object.fromEntries(found.permission.scopes.map((s) => [s, true])),
    subject: { type: 'Uma', claimValue: found.permission.subject },
  };
  if (list.length > 0) body.condition = { type: 'AND', conditions: list };
  return { ...body, resourceTypeUuid: '', creationDate: new Date(policy.createdAt * 1000).toISOString(), lastModifiedDate: new Date(policy.updatedAt * 1000).toISOString() };
}
