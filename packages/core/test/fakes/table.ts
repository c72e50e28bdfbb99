/**
 * @module test/fakes/table
 * The one data structure of the in-memory store: rows keyed by a tuple (realm, owner, id…), copied on
 * the way in and out so a caller never holds a live row, and a snapshot the fake transaction restores
 * when its callback throws.
 */
import { fail } from '@steward/core';

export type Key = readonly (string | number)[];

export class Table<T> {
  #rows = new Map<string, T>();

  static key(key: Key): string {
    return JSON.stringify(key);
  }

  get(key: Key): T | null {
    const row = this.#rows.get(Table.key(key));
    return row === undefined ? null : structuredClone(row);
  }

  has(key: Key): boolean {
    return this.#rows.has(Table.key(key));
  }

  /** Writes the row; `conflict` when the key exists and `replace` is not set. */
  set(key: Key, row: T, replace = false): void {
    const k = Table.key(key);
    if (!replace && this.#rows.has(k)) throw fail('conflict', `duplicate key ${k}`);
    this.#rows.set(k, structuredClone(row));
  }

  delete(key: Key): boolean {
    return this.#rows.delete(Table.key(key));
  }

  /** Copies of the rows that satisfy `where`, in insertion order. */
  rows(where: (row: T) => boolean = () => true): T[] {
    return [...this.#rows.values()].filter(where).map((row) => structuredClone(row));
  }

  snapshot(): Map<string, T> {
    return structuredClone(this.#rows);
  }

  restore(snapshot: Map<string, T>): void {
    this.#rows = snapshot;
  }
}
