/** @module stores/tickets — TicketStore on Kysely; consume is one DELETE … RETURNING. */
import type { Permission, Ticket, TicketStore } from '@steward/core';
import type { Kysely } from 'kysely';
import { fromJson, insertOrConflict, toJson } from '../codec.ts';
import { deleteBefore } from '../purge.ts';
import type { Database, TicketRow } from '../schema.ts';
import { firstRow, versionedRow } from '../prepared.ts';

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
   * Reads without removing: a ticket is live at `now` while `expiresAt > now`. It is the grant's first
   * read, so it carries the store version on PostgreSQL (prepared.ts `versionedRow`).
   */
  async get(realm: string, hash: string, now: number): Promise<Ticket | null> {
    const row = await versionedRow(this.#db, 'tickets.get', [realm, hash, now], () =>
      this.#db.selectFrom('tickets').selectAll().where('realm', '=', realm).where('hash', '=', hash).where('expires_at', '>', now),
    );
    return row ? toTicket(row) : null;
  }

  /** Deletes tickets with `expiresAt < now`, in every realm (at most `limit`). */
  purgeExpired(now: number, limit?: number): Promise<number> {
    return deleteBefore(this.#db, 'tickets', 'expires_at', now, limit);
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
