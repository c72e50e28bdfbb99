/**
 * @module stores/grants
 * GrantStore: the durable steps of the UMA grant's hot path: a permission ticket issued with its events,
 * and a ticket redeemed (spent, with what the grant issued) in one commit.
 * - On PostgreSQL, ONE statement each (data-modifying CTEs): one round trip, atomic by itself.
 * - Inside a SQLite transaction, the aggregate stores' own statements in that transaction
 *   (tickets.consume, tokens.insertMany and revoke, audit.append, outbox.enqueue).
 * - On a SQLite store's own connection, the same statements run synchronously through the gate, and
 *   the redemptions that arrive in one turn of the event loop share one commit (group commit): each
 *   in its own savepoint, so one failing (a duplicate id) leaves the others' writes intact, and each
 *   caller is answered only after the commit that holds its writes.
 */
import type { GrantRecords, GrantStore, OutboxDelivery, StewardEvent, StoreOperations, Ticket } from '@steward/core';
import { sql, type Insertable, type Kysely, type RawBuilder } from 'kysely';
import { conflict, isUniqueViolation } from '../codec.ts';
import { gateOf } from '../connect.ts';
import { compiledSql } from '../prepared.ts';
import type { Database, TicketRow } from '../schema.ts';
import type { SqliteGate } from '../sqlite-gate.ts';
import { KyselyAuditStore, toRow as auditRow } from './audit.ts';
import { KyselyOutboxStore, toRow as deliveryRow } from './outbox.ts';
import { consumeTicket, KyselyTicketStore, toRow as ticketRow } from './tickets.ts';
import { KyselyTokenStore, toRow as tokenRow } from './tokens.ts';
import { grantResourceRows, upsertGrantResources } from './grant-resources.ts';

type Dialect = StoreOperations['dialect'];

export class KyselyGrantStore implements GrantStore {
  readonly #db: Kysely<Database>;
  readonly #dialect: Dialect;
  readonly #batch: GroupCommit | null;

  constructor(db: Kysely<Database>, dialect: Dialect) {
    this.#db = db;
    this.#dialect = dialect;
    const gate = gateOf(db);
    this.#batch = gate ? new GroupCommit(gate) : null;
  }

  async issueTicket(ticket: Ticket, events: StewardEvent[], deliveries: OutboxDelivery[]): Promise<void> {
    if (this.#batch) {
      await this.#batch.add(this.#issueNow(ticket, events, deliveries));
      return;
    }
    if (this.#dialect === 'postgres') {
      await uniqueAsConflict('ticket', () =>
        sql`with t as (insert into tickets select r.* from json_populate_recordset(null::tickets, ${rowsJson([ticketRow(ticket)])}::json) r),
          ${eventInserts(events, deliveries, sql`true`)}
          select 1`.execute(this.#db),
      );
      return;
    }
    const run = async (trx: Kysely<Database>) => {
      await new KyselyTicketStore(trx).insert(ticket);
      await writeEvents(trx, this.#dialect, events, deliveries);
      return true;
    };
    await (this.#db.isTransaction ? run(this.#db) : this.#db.transaction().execute(run));
  }

  /** The synchronous unit on SQLite: the ticket, then its events. */
  #issueNow(ticket: Ticket, events: StewardEvent[], deliveries: OutboxDelivery[]): (gate: SqliteGate) => boolean {
    const db = this.#db;
    return (gate) => {
      insertRow(db, gate, 'tickets', ticketRow(ticket));
      this.#eventsNow(gate, events, deliveries);
      return true;
    };
  }

  #eventsNow(gate: SqliteGate, events: StewardEvent[], deliveries: OutboxDelivery[]): void {
    for (const event of events) insertRow(this.#db, gate, 'audit_events', auditRow(event));
    for (const delivery of deliveries) insertRow(this.#db, gate, 'outbox', deliveryRow(delivery));
  }

  redeem(realm: string, ticketHash: string, now: number, records: GrantRecords): Promise<boolean> {
    if (this.#batch) return this.#batch.add(this.#redeemNow(realm, ticketHash, now, records));
    if (this.#dialect === 'postgres') return redeemPostgres(this.#db, realm, ticketHash, now, records);
    if (this.#db.isTransaction) return redeemIn(this.#db, this.#dialect, realm, ticketHash, now, records);
    return this.#db.transaction().execute((trx) => redeemIn(trx, this.#dialect, realm, ticketHash, now, records));
  }

  /** The synchronous unit on SQLite (inside the group's transaction and the unit's savepoint). */
  #redeemNow(realm: string, hash: string, now: number, records: GrantRecords): (gate: SqliteGate) => boolean {
    const db = this.#db;
    return (gate) => {
      const ticket = gate.get<TicketRow>(compiledSql(db, 'tickets.consume', [realm, hash], () => consumeTicket(db, realm, hash)), [realm, hash]);
      if (!ticket || Number(ticket.expires_at) <= now) return false;
      for (const token of records.tokens) insertRow(db, gate, 'tokens', tokenRow(token));
      for (const row of grantResourceRows(records.tokens)) {
        const values = Object.values(row);
        gate.exec(compiledSql(db, 'grants.index.grant_resources', values, () => upsertGrantResources(db, [row])), values);
      }
      for (const id of records.revoke) {
        // The revocation log's trigger (migration 0016) logs the upgraded RPT in this commit.
        gate.exec(compiledSql(db, 'grants.revoke', [1, realm, id], () => db.updateTable('tokens').set({ revoked: 1 }).where('realm', '=', realm).where('id', '=', id)), [1, realm, id]);
        // A token record changed: rows cached by the gate are read again.
        gate.changed();
      }
      this.#eventsNow(gate, records.events, records.deliveries);
      return true;
    };
  }
}

/** Inserts one row through the gate, with the SQL Kysely compiles for it (once per table). */
function insertRow<T extends 'tickets' | 'tokens' | 'audit_events' | 'outbox'>(db: Kysely<Database>, gate: SqliteGate, table: T, row: Insertable<Database[T]>): void {
  const values = Object.values(row);
  gate.exec(compiledSql(db, `grants.insert.${table}`, values, () => db.insertInto(table).values(row as never)), values);
}

/** The redemption over the aggregate stores bound to one transaction. */
async function redeemIn(trx: Kysely<Database>, dialect: Dialect, realm: string, hash: string, now: number, records: GrantRecords): Promise<boolean> {
  if (!(await new KyselyTicketStore(trx).consume(realm, hash, now))) return false;
  const tokens = new KyselyTokenStore(trx);
  await tokens.insertMany(records.tokens);
  for (const id of records.revoke) await tokens.revoke(realm, id);
  await writeEvents(trx, dialect, records.events, records.deliveries);
  return true;
}

/**
 * PostgreSQL: the whole redemption is ONE statement (one round trip, atomic by itself): data-modifying
 * CTEs spend the ticket and, only when it was live, write the records; rows travel as one JSON array per
 * table (json_populate_recordset gives them the table's own column types).
 */
async function redeemPostgres(db: Kysely<Database>, realm: string, hash: string, now: number, records: GrantRecords): Promise<boolean> {
  const live = sql`exists (select 1 from live)`;
  const result = await uniqueAsConflict('grant record', () =>
    sql<{ n: number }>`with spent as (delete from tickets where realm = ${realm} and hash = ${hash} returning expires_at),
      live as (select 1 from spent where expires_at > ${now}),
      t as (insert into tokens select r.* from json_populate_recordset(null::tokens, ${rowsJson(records.tokens.map(tokenRow))}::json) r where ${live}),
      g as (insert into grant_resources select r.* from json_populate_recordset(null::grant_resources, ${rowsJson(grantResourceRows(records.tokens))}::json) r where ${live}
        on conflict (realm, resource_id, grant_id) do update set expires_at = greatest(grant_resources.expires_at, excluded.expires_at)),
      ${revokeUpdate(realm, records.revoke, live)}
      ${eventInserts(records.events, records.deliveries, live)}
      select count(*)::int as n from live`.execute(db),
  );
  return result.rows[0]!.n === 1;
}

/**
 * The upgraded RPTs' revocation in the CTE statement (the revocation log's triggers, migration 0016, log
 * them). Nothing to revoke, the common case: no UPDATE at all, so the triggers do not run.
 */
function revokeUpdate(realm: string, ids: readonly string[], live: RawBuilder<unknown>): RawBuilder<unknown> {
  if (ids.length === 0) return sql``;
  return sql`v as (update tokens set revoked = 1 where realm = ${realm} and id = any(${[...ids]}::text[]) and ${live}),`;
}

/** The audit and outbox inserts of one CTE statement, each row written only when `when` holds. */
function eventInserts(events: StewardEvent[], deliveries: OutboxDelivery[], when: RawBuilder<unknown>): RawBuilder<unknown> {
  const columns = sql.raw(AUDIT_COLUMNS.join(', '));
  return sql`e as (insert into audit_events (${columns}) select ${columns} from json_populate_recordset(null::audit_events, ${rowsJson(events.map(auditRow))}::json) r where ${when}),
    d as (insert into outbox select r.* from json_populate_recordset(null::outbox, ${rowsJson(deliveries.map(deliveryRow))}::json) r where ${when})`;
}

/** The columns audit.append writes: all but `seq`, which the database numbers. */
const AUDIT_COLUMNS = Object.keys(auditRow({ realm: '', id: '', owner: '', type: 'rpt.issued', at: 0 }));

/** Rows as one JSON array; NUL (which PostgreSQL text cannot hold) becomes U+FFFD, as in every other parameter (connect.ts). */
function rowsJson(rows: object[]): string {
  return JSON.stringify(rows).replaceAll('\\u0000', '\\ufffd');
}

async function uniqueAsConflict<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(what);
    throw error;
  }
}

async function writeEvents(trx: Kysely<Database>, dialect: Dialect, events: StewardEvent[], deliveries: OutboxDelivery[]): Promise<void> {
  await new KyselyAuditStore(trx).append(events);
  await new KyselyOutboxStore(trx, dialect).enqueue(deliveries);
}

type Unit<T> = (gate: SqliteGate) => T;

interface Pending {
  unit: Unit<boolean>;
  resolve(value: boolean): void;
  reject(error: unknown): void;
}

/**
 * Units queued in one turn of the event loop run in one SQLite transaction, each in a savepoint, and
 * are answered after its COMMIT. A unit that throws is rolled back to its savepoint alone (a unique
 * violation becomes `conflict`); a failing COMMIT fails every unit of the group.
 */
class GroupCommit {
  readonly #gate: SqliteGate;
  #queue: Pending[] = [];

  constructor(gate: SqliteGate) {
    this.#gate = gate;
  }

  add(unit: Unit<boolean>): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.#queue.push({ unit, resolve, reject });
      if (this.#queue.length === 1) setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    const group = this.#queue;
    this.#queue = [];
    const outcomes: Array<{ ok: true; value: boolean } | { ok: false; error: unknown }> = [];
    this.#gate
      .run((gate) =>
        gate.transaction(() => {
          for (const pending of group) {
            gate.exec('savepoint unit', []);
            try {
              outcomes.push({ ok: true, value: pending.unit(gate) });
              gate.exec('release unit', []);
            } catch (error) {
              gate.exec('rollback to unit', []);
              gate.exec('release unit', []);
              outcomes.push({ ok: false, error: isUniqueViolation(error) ? conflict('grant record') : error });
            }
          }
        }),
      )
      .then(
        () => group.forEach((pending, i) => settle(pending, outcomes[i]!)),
        (error: unknown) => group.forEach((pending) => pending.reject(error)),
      );
  }
}

function settle(pending: Pending, outcome: { ok: true; value: boolean } | { ok: false; error: unknown }): void {
  if (outcome.ok) pending.resolve(outcome.value);
  else pending.reject(outcome.error);
}
