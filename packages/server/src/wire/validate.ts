/**
 * @module wire/validate
 * The wire schemas are the validators: a schema documented in docs/api.md is compiled once (TypeBox's
 * compiler) and checks the bodies of its routes, so the reference and the behaviour cannot drift. A
 * failure is the endpoint's own error code (`invalid_request` unless told) with a description that
 * names the member, e.g. `scopes[0] must be 1–256 characters`, `Unknown member 'x' (a user has …)`.
 */
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { fail, isJsonObject, shown, type StewardErrorCode } from '@steward/core';

/** One error as the compiler reports it. */
interface SchemaError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
}

type Json = Record<string, unknown>;

/** The schemas some route validates with, for the drift test (test/docs). */
const validated = new WeakSet<object>();

/** Whether a body reader was compiled from `schema`. */
export function isValidatedSchema(schema: object): boolean {
  return validated.has(schema);
}

/** The parts of a JSON pointer (RFC 6901 §4): `/a~1b/0` → `a/b`, `0`. */
function pointerParts(pointer: string): string[] {
  return pointer.split('/').slice(1).map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** `/scopes/0/name` as `scopes[0].name`. */
function memberOf(instancePath: string): string {
  let out = '';
  for (const part of pointerParts(instancePath)) {
    out += /^(0|[1-9][0-9]*)$/.test(part) ? `[${part}]` : `${out ? '.' : ''}${shown(part, 64)}`;
  }
  return out;
}

/** The subschema a JSON pointer (`#/properties/a/items`) names. */
function at(schema: object, pointer: string): Json {
  let node: unknown = schema;
  for (const part of pointerParts(pointer.replace(/^#/, ''))) node = (node as Json)[part];
  return (node ?? {}) as Json;
}

const TYPE_NAMES: Record<string, string> = { string: 'a string', boolean: 'true or false', integer: 'a whole number', number: 'a number', array: 'an array', object: 'a JSON object', null: 'null' };

/** `1–255`, `at least 16`, `at most 256`. */
function bounds(min: unknown, max: unknown): string {
  if (typeof min === 'number' && typeof max === 'number') return `${min}–${max}`;
  return typeof min === 'number' ? `at least ${min}` : `at most ${String(max)}`;
}

/** `at least 1 item`, `1–256 items`. */
function counted(range: string, noun: string): string {
  return range.endsWith(' 1') ? `${range} ${noun}` : `${range} ${noun}s`;
}

/** The values a union of literals allows, or null when it is not one. */
function literals(schema: Json): string[] | null {
  const branches = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (!Array.isArray(branches)) return Array.isArray(schema.enum) ? schema.enum.map(String) : null;
  const values = branches.map((b) => ('const' in b ? String(b.const) : b.type === 'null' ? 'null' : undefined));
  return values.every((v) => v !== undefined) ? (values as string[]) : null;
}

/** The member of `body` at a JSON pointer (`/events/0`). */
function valueAt(body: unknown, instancePath: string): unknown {
  let node = body;
  for (const part of pointerParts(instancePath)) node = isJsonObject(node) || Array.isArray(node) ? (node as Json)[part] : undefined;
  return node;
}

/** Text without NUL characters (which no store accepts): the pattern of `Type.String` members that need it. */
export const NO_NUL = '^[^\\u0000]*$';

function problem(error: SchemaError, schema: Json, value: unknown): string {
  const { keyword, params } = error;
  if (keyword === 'type') return `must be ${TYPE_NAMES[String(params.type)] ?? String(params.type)}`;
  if (keyword === 'minLength' || keyword === 'maxLength') return `must be ${bounds(schema.minLength, schema.maxLength)} characters`;
  if (keyword === 'minItems' || keyword === 'maxItems') return `must have ${counted(bounds(schema.minItems, schema.maxItems), 'item')}`;
  if (keyword === 'minProperties' || keyword === 'maxProperties') return `must have ${counted(bounds(schema.minProperties, schema.maxProperties), 'member')}`;
  if (keyword === 'minimum' || keyword === 'maximum') return `must be ${bounds(schema.minimum, schema.maximum)}`;
  if (keyword === 'pattern') return schema.pattern === NO_NUL ? 'must not contain NUL characters' : `'${shown(value, 64)}' is not allowed (it must match ${String(schema.pattern)})`;
  if (keyword === 'const') return `must be ${JSON.stringify(schema.const)}`;
  const allowed = literals(schema);
  if (allowed) return `must be one of ${allowed.join(', ')}, not '${shown(value, 64)}'`;
  return 'is not valid';
}

/** The clearest description of the first failure: the member and what it must be. */
function describe(errors: readonly SchemaError[], root: TSchema, what: string, body: unknown): string {
  const rootType = errors.find((e) => e.instancePath === '' && e.keyword === 'type');
  if (rootType) return `The body must be a JSON object (${what})`;
  const unknown = errors.find((e) => e.keyword === 'additionalProperties');
  if (unknown) {
    const names = Object.keys((at(root, unknown.schemaPath).properties ?? {}) as Json);
    const member = String((unknown.params.additionalProperties as unknown[] | undefined)?.[0] ?? '');
    const where = unknown.instancePath === '' ? what : memberOf(unknown.instancePath);
    return `Unknown member '${shown(member, 64)}' (${where} has ${names.join(', ') || 'no members'})`;
  }
  const required = errors.find((e) => e.keyword === 'required');
  if (required) {
    const member = String((required.params.requiredProperties as unknown[] | undefined)?.[0] ?? '');
    return `${memberOf(`${required.instancePath}/${member}`)} is required`;
  }
  const first = errors.find((e) => e.keyword !== 'boolean') ?? errors[0]!;
  // A union reports each branch's failure and then its own: the union's says it best.
  const union = first.schemaPath.includes('/anyOf/') || first.schemaPath.includes('/oneOf/') ? errors.find((e) => (e.keyword === 'anyOf' || e.keyword === 'oneOf') && e.instancePath === first.instancePath) : undefined;
  const error = union ?? first;
  return `${memberOf(error.instancePath) || 'The body'} ${problem(error, at(root, error.schemaPath), valueAt(body, error.instancePath))}`;
}

export interface BodyReaderOptions {
  /** How descriptions name the body: `a user`, `a client`. */
  what: string;
  /** The error code of a bad body; `invalid_request` unless the endpoint documents another. */
  code?: StewardErrorCode;
  /** A body that may be left out: absent, `null` or empty reads as `{}`. */
  optional?: boolean;
}

/**
 * A reader of request bodies compiled from `schema`: the body, typed by the schema, or the endpoint's
 * error naming the bad member. Compile at module load (once per schema), call per request.
 */
export function bodyReader<T extends TSchema>(schema: T, options: BodyReaderOptions): (body: unknown) => Static<T> {
  const validator = Compile(schema);
  validated.add(schema);
  const code = options.code ?? 'invalid_request';
  return (body) => {
    const value = options.optional && (body === undefined || body === null || body === '') ? {} : body;
    if (validator.Check(value)) return value as Static<T>;
    throw fail(code, describe(validator.Errors(value) as SchemaError[], schema, options.what, value));
  };
}
