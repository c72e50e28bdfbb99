/**
 * @module codec
 * Column encodings shared by the stores: JSON text for lists and objects, 0/1 for flags, and the
 * row-count and uniqueness checks both dialects need.
 */
import { StewardError } from '@steward/core';

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function fromJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

export function toFlag(value: boolean): number {
  return value ? 1 : 0;
}

export function fromFlag(value: number | boolean): boolean {
  return value === true || Number(value) === 1;
}

/** Number of rows a Kysely result reports (bigint on both dialects). */
export function affected(count: bigint | number | undefined): number {
  return Number(count ?? 0);
}

/** True for a unique/primary-key violation of PostgreSQL (23505) or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function conflict(what: string): StewardError {
  return new StewardError('conflict', `${what} already exists`);
}

/**
 * Runs an insert that uses `ON CONFLICT DO NOTHING` and reports how many rows it wrote; throws
 * `conflict` when it wrote none or when the driver still reports a unique violation.
 */
export async function insertOrConflict(what: string, insert: () => Promise<{ numInsertedOrUpdatedRows?: bigint }>): Promise<void> {
  let written: number;
  try {
    written = affected((await insert()).numInsertedOrUpdatedRows);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(what);
    throw error;
  }
  if (written === 0) throw conflict(what);
}

/** Sorts by a string key in code-unit order, so lists order the same whatever the database collation. */
export function byKey<T>(rows: T[], key: (row: T) => string): T[] {
  return rows.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
