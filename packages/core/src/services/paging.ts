/**
 * @module services/paging
 * What every owner-facing list shares: how a page is asked for (a size, and either the cookie of the
 * previous page or a small offset), CREST's `_totalPagedResultsPolicy` (the matches are counted only
 * when asked: EXACT counts them all, ESTIMATE counts up to ESTIMATE_LIMIT), and the page answered
 * (its items, the cookie of the next page, and what is known of the rest: -1 when not counted).
 */
import { fail } from '../errors.ts';
import type { SortKey } from '../ports/store/pages.ts';

/** Largest `_pagedResultsOffset`: farther pages are reached with the cookie. */
export const MAX_PAGED_OFFSET = 10_000;
/** Most matches ESTIMATE counts. */
export const ESTIMATE_LIMIT = 10_000;
/** Most matches EXACT counts (it reads every match's index entry). */
export const EXACT_LIMIT = Number.MAX_SAFE_INTEGER;
/** Page size when none is asked. */
export const DEFAULT_PAGE_SIZE = 100;
/** Largest page. */
export const MAX_PAGE_SIZE = 1000;

export const COUNT_POLICIES = ['NONE', 'ESTIMATE', 'EXACT'] as const;
export type CountPolicy = (typeof COUNT_POLICIES)[number];

export interface PageRequest {
  /** 1..MAX_PAGE_SIZE. */
  pageSize: number;
  /** The previous page's cookie; absent on the first page. */
  cookie?: string;
  /** Matches to skip (without a cookie), at most MAX_PAGED_OFFSET. */
  offset: number;
  countPolicy: CountPolicy;
}

export interface Page<T> {
  result: T[];
  /** The next page's cookie; null on the last page. */
  cookie: string | null;
  /** Matches after this page; 0 on the last page, -1 when unknown. */
  remaining: number;
  /** Matches in all (for ESTIMATE, at most ESTIMATE_LIMIT); -1 when not counted. */
  total: number;
}

/** The checked paging parameters; `pageSize` 0 means the default. */
export function pageRequest(input: { pageSize: number; cookie?: string | undefined; offset: number; countPolicy?: string | undefined }): PageRequest {
  if (input.offset > MAX_PAGED_OFFSET) throw fail('invalid_request', `_pagedResultsOffset must be at most ${MAX_PAGED_OFFSET}: page farther with _pagedResultsCookie`);
  if (input.cookie !== undefined && input.offset > 0) throw fail('invalid_request', 'Send _pagedResultsCookie or _pagedResultsOffset, not both');
  if (input.pageSize > MAX_PAGE_SIZE) throw fail('invalid_request', `_pageSize must be at most ${MAX_PAGE_SIZE}`);
  const policy = input.countPolicy ?? 'NONE';
  if (!(COUNT_POLICIES as readonly string[]).includes(policy)) throw fail('invalid_request', '_totalPagedResultsPolicy must be NONE, ESTIMATE or EXACT');
  const request: PageRequest = { pageSize: input.pageSize === 0 ? DEFAULT_PAGE_SIZE : input.pageSize, offset: input.offset, countPolicy: policy as CountPolicy };
  if (input.cookie !== undefined) request.cookie = input.cookie;
  return request;
}

/** How far to count under the policy; 0: no count. */
export function countLimit(policy: CountPolicy): number {
  return policy === 'EXACT' ? EXACT_LIMIT : policy === 'ESTIMATE' ? ESTIMATE_LIMIT : 0;
}

/** The page's `remaining`: 0 on the last page; from the count when offset paging counted; else -1. */
export function remainingOf(hasMore: boolean, total: number, request: PageRequest, returned: number): number {
  if (!hasMore) return 0;
  if (total < 0 || request.cookie !== undefined || (request.countPolicy === 'ESTIMATE' && total >= ESTIMATE_LIMIT)) return -1;
  return Math.max(0, total - request.offset - returned);
}

/** A keyset scan of one store list: rows after a key, each row's key, and the item it makes (null: no match). */
export interface Scan<R, T> {
  read(after: SortKey | undefined, limit: number): Promise<R[]>;
  keyOf(row: R): SortKey;
  view(row: R): Promise<T | null> | T | null;
}

/** Rows whose views one page computes at once. */
const VIEW_CONCURRENCY = 8;

/** Rows one page may read beyond its offset and size (matches the store cannot filter are checked here). */
export const SCAN_BUDGET = 5000;

/**
 * One page of a scan: from `start` (or the beginning), skips `skip` matches and keeps `want`. `next` is
 * the key to continue after: the last kept row's when another match follows, the last read row's when
 * `budget` rows were read first (the page may then be short, or even empty, and still not the last),
 * null when the list ended.
 */
export async function scanPage<R, T>(scan: Scan<R, T>, start: SortKey | undefined, skip: number, want: number, budget = SCAN_BUDGET): Promise<{ items: T[]; next: SortKey | null }> {
  const items: T[] = [];
  let after = start;
  let lastKept: SortKey | null = null;
  let skipped = 0;
  let read = 0;
  const most = skip + want + budget;
  for (;;) {
    const limit = Math.min(Math.max(want + 1, Math.min(skip - skipped + want + 1, 2000)), most - read + 1);
    const rows = await scan.read(after, limit);
    // Views are computed VIEW_CONCURRENCY rows at a time (a database with a pool answers them at once);
    // the rows are still taken in order, and at most a chunk's worth of views goes unused.
    for (let at = 0; at < rows.length; at += VIEW_CONCURRENCY) {
      const chunk = rows.slice(at, at + VIEW_CONCURRENCY);
      const views = await Promise.all(chunk.map((row) => scan.view(row)));
      for (const [i, row] of chunk.entries()) {
        read++;
        const item = views[i]!;
        if (item !== null) {
          if (skipped < skip) skipped++;
          else if (items.length < want) {
            items.push(item);
            lastKept = scan.keyOf(row);
          } else return { items, next: lastKept };
        }
        after = scan.keyOf(row);
      }
    }
    if (rows.length < limit) return { items, next: null };
    if (read >= most) return { items, next: after ?? null };
  }
}

/** Every row of a keyset list, read `batch` at a time (never all at once). */
export async function* scanAll<R>(read: (after: SortKey | undefined, limit: number) => Promise<R[]>, keyOf: (row: R) => SortKey, batch = 500): AsyncGenerator<R> {
  let after: SortKey | undefined;
  for (;;) {
    const rows = await read(after, batch);
    yield* rows;
    if (rows.length < batch) return;
    after = keyOf(rows.at(-1)!);
  }
}
