/** @module decision/sort-keys — CREST `_sortKeys` (`[+|-][/]field[,…]`) against the fields a query can sort by. */
import { fail } from '../errors.ts';

export interface SortKey<F extends string> {
  field: F;
  descending: boolean;
}

/**
 * Parses `_sortKeys`: at most `max` keys, each a known field with an optional `+`/`-` and `/`. An
 * unknown field is `invalid_request` naming it and what is accepted (`accepted`, else the field list).
 */
export function parseSortKeys<F extends string>(value: string, fields: readonly F[], max: number, accepted = fields.join(', ')): SortKey<F>[] {
  const keys = value.split(',').map((k) => k.trim());
  if (keys.length > max) throw fail('invalid_request', `At most ${max} _sortKeys are allowed`);
  return keys.map((key) => {
    const descending = key.startsWith('-');
    const name = key.startsWith('-') || key.startsWith('+') ? key.slice(1) : key;
    const field = name.startsWith('/') ? name.slice(1) : name;
    if (!(fields as readonly string[]).includes(field)) {
      throw fail('invalid_request', `'/${field.slice(0, 64)}' not sortable: _sortKeys accepts ${accepted}`);
    }
    return { field: field as F, descending };
  });
}
