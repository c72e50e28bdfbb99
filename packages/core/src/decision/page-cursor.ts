/**
 * @module decision/page-cursor
 * The opaque cookie of a keyset page (CREST `_pagedResultsCookie` / `pagedResultsCookie`): base64url of
 * JSON `{"l": list, "k": [sort key values]}`, the sort key of the previous page's last row, tagged with
 * the list and order it belongs to. A cookie that does not decode to a key of exactly that list and
 * order is `invalid_request`, never an error of the store.
 */
import { fail } from '../errors.ts';
import { isJsonObject } from '../model/json.ts';
import type { SortKey, SortValue } from '../ports/store/pages.ts';

/** Longest cookie accepted. */
export const MAX_COOKIE_LENGTH = 4096;
/** Longest text value in a key. */
const MAX_VALUE_LENGTH = 1024;

/** The cookie continuing `list` (a name of the list and its order) after the row whose key is `key`. */
export function encodeCursor(list: string, key: SortKey): string {
  return Buffer.from(JSON.stringify({ l: list, k: key }), 'utf8').toString('base64url');
}

function invalid(parameter: string): never {
  throw fail('invalid_request', `Invalid ${parameter}: not a cookie this query returned (send the pagedResultsCookie of the previous page unchanged, with the same filter and sort keys, or leave it out to start again)`);
}

function isValue(v: unknown, kind: 'string' | 'number'): v is SortValue {
  if (kind === 'number') return typeof v === 'number' && Number.isSafeInteger(v);
  return typeof v === 'string' && v.length <= MAX_VALUE_LENGTH && !v.includes('\u0000');
}

/**
 * The key a cookie carries, checked against the list and the kinds of its values (`kinds`, one per key
 * column). `parameter` names the request parameter in the error.
 */
export function decodeCursor(cookie: string, list: string, kinds: ReadonlyArray<'string' | 'number'>, parameter = '_pagedResultsCookie'): SortKey {
  if (cookie.length === 0 || cookie.length > MAX_COOKIE_LENGTH) invalid(parameter);
  for (let i = 0; i < cookie.length; i++) {
    const c = cookie.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
    if (!ok) invalid(parameter);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cookie, 'base64url').toString('utf8'));
  } catch {
    invalid(parameter);
  }
  if (!isJsonObject(parsed)) invalid(parameter);
  const { l, k } = parsed as { l?: unknown; k?: unknown };
  if (l !== list || !Array.isArray(k) || k.length !== kinds.length) invalid(parameter);
  const key = k as unknown[];
  if (!key.every((v, i) => isValue(v, kinds[i]!))) invalid(parameter);
  return key as SortValue[];
}
