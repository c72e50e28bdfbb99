/**
 * @module test/fuzz/body-cases
 * Cases that change the body: each field (nested too) given hostile values, repeated form parameters,
 * duplicate JSON keys and `__proto__`/`constructor` keys in the raw text, bodies a parser may trip on
 * (malformed, 1 000 levels deep, bad UTF-8, 100 kB), other content types and charsets, no content
 * type, no body; and a body where the route takes none.
 */
import { example, fieldPaths, pruned, withField, type Known } from './examples.ts';
import { describe, enc, formPairs, joinPairs } from './encoding.ts';
import type { Schema } from './openapi-routes.ts';
import type { Random } from './random.ts';
import type { Builder } from './cases.ts';
import { CONTENT_TYPES, HOSTILE_JSON, HOSTILE_QUERY_VALUES, HOSTILE_STRINGS, HUGE, MALFORMED_FORMS, MALFORMED_JSON, MULTIPART_BODY } from './values.ts';

/** Fields this deep or less are fuzzed one by one. */
const FIELD_DEPTH = 4;

/** Examples of the body: one per branch of a top-level `oneOf`/`anyOf` (the token endpoint's grants). */
export function bodyExamples(schema: Schema, random: Random, known: Known): unknown[] {
  const branches = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  return Array.isArray(branches) ? branches.map((b) => example(b, random, known)) : [example(schema, random, known)];
}

function jsonFieldCases(b: Builder, label: string, value: unknown): void {
  for (const path of fieldPaths(value, FIELD_DEPTH)) {
    for (const hostile of b.random.sample(HOSTILE_JSON, b.options.perField)) b.add(`${label}${path.join('.')}=${describe(hostile)}`, { payload: b.serialize(withField(value, path, hostile)) });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const text = JSON.stringify(pruned(value));
  const [firstKey] = Object.keys(value);
  if (firstKey !== undefined) b.add(`${label}duplicate key ${firstKey}`, { payload: `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}${JSON.stringify(firstKey)}:{"dup":[1,2]}}` });
  b.add(`${label}__proto__ and constructor keys`, { payload: `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},${text.slice(1)}` });
}

function formFieldCases(b: Builder, label: string, value: unknown): void {
  const pairs = formPairs(value);
  for (const [key] of new Map(pairs)) {
    const others = pairs.filter(([k]) => k !== key);
    const name = decodeURIComponent(key);
    for (const hostile of b.random.sample([...HOSTILE_STRINGS.map(enc), ...HOSTILE_QUERY_VALUES], b.options.perField)) b.add(`${label}${name}=${describe(hostile)}`, { payload: joinPairs([...others, [key, hostile]]) });
    b.add(`${label}${name} repeated`, { payload: joinPairs([...pairs, [key, enc('other')]]) });
  }
}

export function bodyCases(b: Builder): void {
  const { op, random, options, examples } = b;
  if (!op.body) {
    b.add('unexpected JSON body', { headers: { 'content-type': 'application/json' }, payload: '{"unexpected":true}' });
    b.add('unexpected form body', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'unexpected=true' });
    return;
  }
  const json = op.body.contentType === 'application/json';
  for (const [branch, value] of examples.entries()) {
    const label = `body ${examples.length > 1 ? `#${branch} ` : ''}`;
    if (json) jsonFieldCases(b, label, value);
    else formFieldCases(b, label, value);
  }
  const first = pruned(examples[0]);
  if (json) {
    for (const text of MALFORMED_JSON) b.add(`body raw ${describe(text)}`, { payload: text });
    for (const whole of random.sample(HOSTILE_JSON, options.perField * 2)) b.add(`body whole=${describe(whole)}`, { payload: JSON.stringify(whole) });
    b.add('body with a 100 kB field', { payload: JSON.stringify({ ...(first as object), huge: HUGE }) });
  } else {
    for (const text of MALFORMED_FORMS) b.add(`form raw ${describe(text)}`, { payload: text });
    b.add('form with a 100 kB field', { payload: `${b.serialize(first)}&huge=${HUGE}` });
  }
  for (const type of CONTENT_TYPES.filter((t) => t !== op.body!.contentType)) {
    const payload = type.startsWith('multipart/') ? MULTIPART_BODY : type === 'application/x-www-form-urlencoded' ? joinPairs(formPairs(first)) : JSON.stringify(first);
    b.add(`content-type ${type}`, { headers: { 'content-type': type }, payload });
  }
  b.add('content-type with a charset', { headers: { 'content-type': `${op.body.contentType}; charset=utf-8; x=y` } });
  b.add('no content-type', { headers: { 'content-type': undefined } });
  b.add('no body', { payload: null });
}
