/**
 * @module row-cache
 * Rows cached under the store version they were read at (see sqlite-gate's and pg-version's `version`):
 * an entry serves only while the version has not moved, so a change anywhere is seen at once.
 */

/** How many cached rows one store keeps; beyond, the oldest make room. */
export const ROW_CACHE_SIZE = 10_000;

/** A row cached as absent and an entry not in the cache are told apart. */
export const MISS = Symbol('not cached');

export class RowCache {
  readonly #entries = new Map<string, { version: string; row: unknown }>();

  /** The row cached under `key` at `version`, or MISS. */
  get(key: string, version: string): unknown {
    const hit = this.#entries.get(key);
    return hit && hit.version === version ? hit.row : MISS;
  }

  /** Remembers `row` (undefined: absent) as read under `key` at `version`. */
  set(key: string, version: string, row: unknown): void {
    // A Map iterates in insertion order: the oldest entry makes room.
    if (!this.#entries.has(key) && this.#entries.size >= ROW_CACHE_SIZE) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { version, row });
  }

  clear(): void {
    this.#entries.clear();
  }
}
