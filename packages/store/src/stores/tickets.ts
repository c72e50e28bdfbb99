/** @module stores/tickets — TicketStore on Kysely; consume is one DELETE … RETURNING. */
import type { Permission, Ticket, TicketStore } from '@steward/core';
import { sql, type Kysely } from 'kysely';
import { fromJson, insertOrConflict, toJson } from '../codec.ts';
import { deleteBefore } from '../purge.ts';
import type { Database, TicketRow } from '../schema.ts';
import { firstRow } from '../prepared.ts';
import { pgCacheOf } from '../connect.ts';
import { STORE_VERSION_SQL } from '../pg-version.ts';

export class KyselyTicketStore implements TicketStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(ticket: Ticket): Promise<void> {
    await insertOrConflict('ticket', () =>
      this.#db
        .insertInto('tickets')
        .values(toRow(ticket))
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst(),
    );
  }

  /**
   * One statement removes the row, so the database hands it to exactly one caller. A ticket is expired
   * at `now` when `expiresAt <= now`; an expired one is removed all the same and null returned.
   */
  async consume(realm: string, hash: string, now: number): Promise<Ticket | null> {
    const row = await firstRow(this.#db, 'tickets.consume', [realm, hash], () => consumeTicket(this.#db, realm, hash));
    if (!row || Number(row.expires_at) <= now) return null;
    return toTicket(row);
  }

  /**
   * Reads without removing: a ticket is live at `now` while `expiresAt > now`. On PostgreSQL the row
   * carries the store version too (pg-version `observe`): the grant's cached reads that follow need no
   * round trip of their own.
   */
  async get(realm: string, hash: string, now: number): Promise<Ticket | null> {
    const pgCache = pgCacheOf(this.#db);
    if (pgCache) {
      const row = await firstRow(this.#db, 'tickets.get.versioned', [realm, hash, now], () =>
        this.#db.selectFrom('tickets').selectAll().select(sql<string>`${sql.raw(STORE_VERSION_SQL)}`.as('store_version')).where('realm', '=', realm).where('hash', '=', hash).where('expires_at', '>', now),
      );
      if (!row) return null;
      pgCache.version.observe(row.store_version);
      return toTicket(row);
    }
    const row = await firstRow(this.#db, 'tickets.get', [realm, hash, now], () =>
      this.#db.selectFrom('tickets').selectAll().where('realm', '=', realm).where('hash', '=', hash).where('expires_at', '>', now),
    );
    return row ? toTicket(row) : null;
  }

  /** Deletes tickets with `expiresAt < now`, in every realm (at most `limit`). */
  purgeExpired(now: number, limit?: number): Promise<number> {
    return deleteBefore(this.#db, 'tickets', ['realm', 'hash'], 'expires_at', now, limit);
  }
}

export function toRow(ticket: Ticket): TicketRow {
  return {
    realm: ticket.realm,
    hash: ticket.hash,
    owner: ticket.owner,
    resource_server: ticket.resourceServer,
    permissions: toJson(ticket.permissions),
    claims: toJson(ticket.claims),
    created_at: ticket.createdAt,
    expires_at: ticket.expiresAt,
  };
}

/** The one statement that spends a ticket: it removes the row and returns it (RETURNING). */
export function consumeTicket(db: Kysely<Database>, realm: string, hash: string) {
  return db.deleteFrom('tickets').where('realm', '=', realm).where('hash', '=', hash).returningAll();
}

function toTicket(row: TicketRow): Ticket {
  return {
    realm: row.realm,
    hash: row.hash,
    owner: row.owner,
    resourceServer: row.resource_server,
    permissions: fromJson<Permission[]>(row.permissions),
    claims: fromJson<Record<string, unknown>>(row.claims),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
}
