/**
 * @module stores/outbox
 * OutboxStore on Kysely. A claim is ONE statement on both dialects: an UPDATE of the ids its subquery
 * picks, RETURNING the rows. PostgreSQL's subquery locks with `FOR UPDATE SKIP LOCKED`, so concurrent
 * claimers pass over each other's rows instead of waiting, and re-checks the due condition on the row
 * it locks; SQLite runs one writer at a time, so the statement is atomic as it is.
 */
import { randomUUID } from 'node:crypto';
import type { ClaimedDelivery, OutboxChannel, OutboxCounts, OutboxDelivery, OutboxStatus, OutboxStore } from '@steward/core';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { affected, conflict, fromJson, isUniqueViolation, toJson } from '../codec.ts';
import { deleteInBatches } from '../purge.ts';
import type { Database, OutboxRow } from '../schema.ts';

/** Longest `last_error` kept; receivers may answer with anything. */
const ERROR_LIMIT = 500;

export class KyselyOutboxStore implements OutboxStore {
  readonly #db: Kysely<Database>;
  readonly #dialect: 'sqlite' | 'postgres';

  constructor(db: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
    this.#db = db;
    this.#dialect = dialect;
  }

  async enqueue(deliveries: OutboxDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    try {
      // One statement: every row is written or none (a duplicate id fails the whole insert).
      await this.#db.insertInto('outbox').values(deliveries.map(toRow)).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('delivery');
      throw error;
    }
  }

  async claimDue(now: number, limit: number, leaseMs: number, channels?: OutboxChannel[]): Promise<ClaimedDelivery[]> {
    if (limit <= 0 || channels?.length === 0) return [];
    // A read first: an idle poll writes nothing (SQLite would take its write lock for an empty UPDATE).
    const due = await this.#db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .$if(channels !== undefined, (q) => q.where('channel', 'in', channels!))
      .limit(1)
      .executeTakeFirst();
    if (!due) return [];
    const claim = randomUUID();
    const lock = this.#dialect === 'postgres' ? sql`for update skip locked` : sql``;
    const only = channels === undefined ? sql`` : sql`and channel in (${sql.join(channels)})`;
    // The picked ids are materialized once: as a plain `IN (subquery)`, PostgreSQL may rescan the
    // subquery per row and update more than `limit` rows.
    const result = await sql<OutboxRow>`
      with picked as ${this.#dialect === 'postgres' ? sql`materialized` : sql``} (
        select id from outbox
        where status = 'pending' and next_attempt_at <= ${now} and (locked_until is null or locked_until <= ${now}) ${only}
        order by next_attempt_at, id
        limit ${limit}
        ${lock}
      )
      update outbox set locked_until = ${now + leaseMs}, attempts = attempts + 1, claim = ${claim}
      where id in (select id from picked)
      and status = 'pending' and (locked_until is null or locked_until <= ${now})
      returning *`.execute(this.#db);
    return result.rows
      .map((row) => ({ ...toDelivery(row), claim }))
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || (a.id < b.id ? -1 : 1));
  }

  async markDelivered(id: string, claim: string): Promise<boolean> {
    return this.#settle(id, claim, { status: 'delivered', locked_until: null, claim: null, last_error: null });
  }

  async markFailed(id: string, claim: string, nextAttemptAt: number, error: string): Promise<boolean> {
    return this.#settle(id, claim, { next_attempt_at: nextAttemptAt, locked_until: null, claim: null, last_error: error.slice(0, ERROR_LIMIT) });
  }

  async deadLetter(id: string, claim: string, error: string): Promise<boolean> {
    return this.#settle(id, claim, { status: 'dead', locked_until: null, claim: null, last_error: error.slice(0, ERROR_LIMIT) });
  }

  async get(id: string): Promise<OutboxDelivery | null> {
    const row = await this.#db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toDelivery(row) : null;
  }

  async requeue(realm: string, id: string, now: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('outbox')
      .set({ status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null, claim: null })
      .where('realm', '=', realm)
      .where('id', '=', id)
      .where('status', '=', 'dead')
      .executeTakeFirst();
    return affected(result.numUpdatedRows) > 0;
  }

  async list(realm: string, status?: OutboxStatus, limit = 100): Promise<OutboxDelivery[]> {
    let query = this.#db.selectFrom('outbox').selectAll().where('realm', '=', realm);
    if (status !== undefined) query = query.where('status', '=', status);
    const rows = await query.orderBy('created_at').orderBy('id').limit(limit).execute();
    return rows.map(toDelivery);
  }

  async counts(): Promise<OutboxCounts> {
    const rows = await this.#db
      .selectFrom('outbox')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const counts: OutboxCounts = { pending: 0, delivered: 0, dead: 0 };
    for (const row of rows) if (row.status in counts) counts[row.status as OutboxStatus] = Number(row.n);
    return counts;
  }

  async purgeFinished(before: number): Promise<number> {
    // In small batches that yield (purge.ts), picked through the index on status.
    return deleteInBatches(this.#db, 'outbox', (eb) => eb.and([eb('status', 'in', ['delivered', 'dead']), eb('created_at', '<', before)]));
  }

  async #settle(id: string, claim: string, set: Partial<OutboxRow>): Promise<boolean> {
    const result = await this.#db
      .updateTable('outbox')
      .set(set)
      .where('id', '=', id)
      .where('claim', '=', claim)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return affected(result.numUpdatedRows) > 0;
  }
}

export function toRow(d: OutboxDelivery): OutboxRow {
  return {
    id: d.id,
    realm: d.realm,
    event_id: d.eventId,
    event_type: d.eventType,
    channel: d.channel,
    target: d.target,
    payload: toJson(d.payload),
    attempts: d.attempts,
    next_attempt_at: d.nextAttemptAt,
    status: d.status,
    last_error: d.lastError,
    locked_until: d.lockedUntil,
    claim: null,
    created_at: d.createdAt,
  };
}

function toDelivery(row: OutboxRow): OutboxDelivery {
  return {
    id: row.id,
    realm: row.realm,
    eventId: row.event_id,
    eventType: row.event_type,
    channel: row.channel as OutboxDelivery['channel'],
    target: row.target,
    payload: fromJson<OutboxDelivery['payload']>(row.payload),
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    status: row.status as OutboxStatus,
    lastError: row.last_error,
    lockedUntil: row.locked_until === null ? null : Number(row.locked_until),
    createdAt: Number(row.created_at),
  };
}
