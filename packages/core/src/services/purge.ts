/**
 * @module services/purge
 * Housekeeping: deletes what has expired — permission tickets, token records (authorization codes,
 * access tokens and RPTs, refresh tokens, PCTs), owner sessions — and retired signing keys, in bounded
 * batches so each statement is short and requests never wait long behind it. Safe on every node at
 * once: each batch is one DELETE of rows picked by key; two nodes simply find fewer rows.
 */
import type { Ports } from './ports.ts';

export interface PurgeCounts {
  tickets: number;
  tokens: number;
  sessions: number;
  keys: number;
}

export interface PurgeOptions {
  /** Rows per statement. */
  batch: number;
  /** Batches per kind in this call; default unbounded (until nothing expired is left). */
  maxBatches?: number;
}

/** Runs the batches; resolves with how many rows of each kind went. */
export async function purgeExpired(ports: Pick<Ports, 'store' | 'clock'>, options: PurgeOptions): Promise<PurgeCounts> {
  const now = ports.clock.now();
  const { store } = ports;
  const kinds: Array<[keyof PurgeCounts, (limit: number) => Promise<number>]> = [
    ['tickets', (limit) => store.tickets.purgeExpired(now, limit)],
    ['tokens', (limit) => store.tokens.purgeExpired(now, limit)],
    ['sessions', (limit) => store.sessions.purgeExpired(now, limit)],
    ['keys', (limit) => store.keys.purgeRetired(now, limit)],
  ];
  const counts: PurgeCounts = { tickets: 0, tokens: 0, sessions: 0, keys: 0 };
  for (const [kind, purge] of kinds) {
    for (let i = 0; options.maxBatches === undefined || i < options.maxBatches; i++) {
      const n = await purge(options.batch);
      counts[kind] += n;
      if (n < options.batch) break;
    }
  }
  return counts;
}
