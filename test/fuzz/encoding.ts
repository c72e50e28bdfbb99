/**
 * @module test/fuzz/encoding
 * How the fuzz writes values on the wire: percent-encoding that keeps a lone surrogate (as its
 * invalid three-byte UTF-8 form, which `encodeURIComponent` refuses to write), form bodies from pairs
 * so parameters can repeat, and short descriptions of values for failure reports.
 */
import { pruned } from './examples.ts';

export type Pairs = Array<[string, string]>;

/** Percent-encodes as UTF-8; a lone surrogate becomes its (invalid) three-byte form, e.g. `%ED%A0%80`. */
export function enc(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  if (text.isWellFormed()) return encodeURIComponent(text);
  return text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]|[^\ud800-\udfff]+/g, (part) => {
    if (part.length > 1 || !/[\ud800-\udfff]/.test(part)) return encodeURIComponent(part);
    const u = part.charCodeAt(0);
    return [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
  });
}

const formValue = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [typeof v === 'string' ? v : JSON.stringify(v)]);

/** The encoded pairs of a form holding the fields of `value`; a list repeats its parameter. */
export function formPairs(value: unknown): Pairs {
  const fields = pruned(value);
  if (typeof fields !== 'object' || fields === null) return [];
  return Object.entries(fields).flatMap(([k, v]) => formValue(v).map((item): [string, string] => [enc(k), enc(item)]));
}

export const joinPairs = (pairs: Pairs): string => pairs.map(([k, v]) => `${k}=${v}`).join('&');

/** A value as a failure report shows it: JSON, cut short with its length. */
export function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : Buffer.isBuffer(value) ? `bytes ${value.toString('hex').slice(0, 40)}` : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 40)}…(${text.length} chars)` : text;
}
