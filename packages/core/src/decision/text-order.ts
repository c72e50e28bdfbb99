/**
 * @module decision/text-order
 * The order of text wherever the core merges or continues lists the stores ordered: by Unicode code
 * point, as SQLite's default (BINARY) collation and PostgreSQL's "C" collation order it (UTF-8 bytes).
 * JavaScript's `<` compares UTF-16 code units instead, which puts characters above U+FFFF before
 * U+E000–U+FFFF; a keyset continued in one order and merged in the other could skip rows.
 */

/** Negative, zero or positive as `a` sorts before, with or after `b` by code point. */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** A UTF-16 code unit's place in code point order: surrogates (above U+FFFF) after U+E000–U+FFFF. */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}
