/**
 * @module test/helpers/plans
 * Query plans for the plan tests, on both dialects: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN
 * with sequential scans discouraged (as on a table too big to scan), one line per plan node.
 */
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { TestDialect } from '../databases.ts';

/** The plan of `query`, one line per node. */
export async function queryPlan(db: Kysely<any>, dialect: TestDialect, query: Compilable<unknown>): Promise<string[]> {
  const compiled = query.compile();
  if (dialect === 'sqlite') {
    return (await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]))).rows.map((r) => r.detail);
  }
  return db.transaction().execute(async (trx) => {
    await trx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
    return (await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]))).rows.map((r) => r['QUERY PLAN']);
  });
}

/** A table expression of the integers 1 … n as column `i`, for seeding with INSERT … SELECT. */
export function series(dialect: TestDialect, n: number): string {
  return dialect === 'postgres' ? `generate_series(1, ${n}) i` : `(with recursive s(i) as (select 1 union all select i + 1 from s where i < ${n}) select i from s)`;
}
