/**
 * @module revocation-feed
 * One follower of the revocation log per process (services/revocation-events): while any resource
 * server is subscribed to this node's event stream it reads the log's new entries, of every realm, by
 * sequence every `STEWARD_EVENTS_POLL_MS`, and hands each to the streams of its realm and resource
 * server. The log is written in the revoking commit by whichever node revoked, so a revocation made on
 * any node (or any process on a SQLite file) reaches every node's subscribers within one poll. With no
 * subscriber nothing is read. A read that fails ends every stream (their resource servers fall back to
 * introspection and resume), rather than leaving them connected but deaf. The number of streams is
 * bounded, in all and per resource server.
 */
import type { FastifyBaseLogger } from 'fastify';
import { fail, revocationLogEnd, revocationsAfter, type RevokedRpt } from '@steward/core';
import type { Deps } from './deps.ts';

/** Entries read per statement; a poll reads on while pages come back full. */
const PAGE = 1000;
/** Pages one poll reads at most before it yields (the next poll goes on). */
const MAX_PAGES_PER_POLL = 10;

/** A stream as the feed sees it. */
export interface RevocationSubscriber {
  realm: string;
  resourceServer: string;
  /** New entries for this stream's realm and resource server, in sequence order. */
  deliver(entries: RevokedRpt[]): void;
  /** The feed stops serving it (shutdown, or the log cannot be read): end the stream. */
  end(reason: string): void;
}

export class RevocationFeed {
  readonly #deps: Deps;
  readonly #log: FastifyBaseLogger;
  readonly #subscribers = new Set<RevocationSubscriber>();
  /** Where this process stands in the log; null while nobody follows it. */
  #cursor: number | null = null;
  #starting: Promise<number> | null = null;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | null = null;
  #closed = false;
  /** Counts the times the feed started following the log: a poll of an earlier run stops. */
  #run = 0;

  constructor(deps: Deps, log: FastifyBaseLogger) {
    this.#deps = deps;
    this.#log = log;
  }

  /** The most streams one resource server may hold on this node. */
  get perResourceServer(): number {
    return Math.max(1, Math.floor(this.#deps.config.eventsMaxStreams / 16));
  }

  /**
   * Adds the stream, once the feed follows the log. Resolves with the sequence the feed has read up to:
   * every later entry is delivered to the stream; every entry up to it was committed before, so the
   * stream's own backlog read (made after this resolves) sees it. Throws `not_found` when the stream is
   * turned off and `too_many_requests` when the node or the resource server has its fill.
   */
  async subscribe(subscriber: RevocationSubscriber): Promise<number> {
    const max = this.#deps.config.eventsMaxStreams;
    if (max === 0 || this.#closed) throw fail('not_found', 'The revocation event stream is turned off on this server');
    if (this.#subscribers.size >= max) throw fail('too_many_requests', 'Too many event streams on this server; retry later');
    let mine = 0;
    for (const s of this.#subscribers) if (s.realm === subscriber.realm && s.resourceServer === subscriber.resourceServer) mine++;
    if (mine >= this.perResourceServer) throw fail('too_many_requests', 'Too many event streams for this resource server; close one or retry later');
    this.#subscribers.add(subscriber);
    try {
      return await this.#start();
    } catch (e) {
      this.#subscribers.delete(subscriber);
      throw e;
    }
  }

  unsubscribe(subscriber: RevocationSubscriber): void {
    this.#subscribers.delete(subscriber);
    if (this.#subscribers.size === 0) this.#idle();
  }

  /** Ends every stream and stops following the log (server shutdown). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#endAll('the server is shutting down');
    await this.#polling;
  }

  async #start(): Promise<number> {
    if (this.#cursor !== null) return this.#cursor;
    this.#starting ??= (async () => {
      try {
        const end = await revocationLogEnd(this.#deps);
        this.#run++;
        this.#cursor = end;
        this.#schedule();
        return end;
      } finally {
        this.#starting = null;
      }
    })();
    return this.#starting;
  }

  #schedule(): void {
    if (this.#subscribers.size === 0 || this.#cursor === null) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#polling = this.#poll().finally(() => {
        this.#polling = null;
        this.#schedule();
      });
    }, this.#deps.config.eventsPollMs);
    this.#timer.unref();
  }

  async #poll(): Promise<void> {
    const run = this.#run;
    try {
      for (let page = 0; page < MAX_PAGES_PER_POLL && this.#cursor !== null; page++) {
        const entries = await revocationsAfter(this.#deps, this.#cursor, PAGE);
        if (this.#cursor === null || run !== this.#run || entries.length === 0) return;
        this.#cursor = entries[entries.length - 1]!.seq;
        this.#dispatch(entries);
        if (entries.length < PAGE) return;
      }
    } catch (err) {
      if (run !== this.#run) return;
      this.#log.warn({ err }, 'cannot read the revocation log; ending the event streams (their resource servers fall back to introspection)');
      this.#endAll('the revocation log cannot be read');
    }
  }

  #dispatch(entries: RevokedRpt[]): void {
    const byServer = new Map<string, RevokedRpt[]>();
    for (const entry of entries) {
      const key = JSON.stringify([entry.realm, entry.resourceServer]);
      const list = byServer.get(key);
      if (list) list.push(entry);
      else byServer.set(key, [entry]);
    }
    for (const subscriber of this.#subscribers) {
      const mine = byServer.get(JSON.stringify([subscriber.realm, subscriber.resourceServer]));
      if (mine) subscriber.deliver(mine);
    }
  }

  #endAll(reason: string): void {
    const all = [...this.#subscribers];
    this.#subscribers.clear();
    this.#idle();
    for (const subscriber of all) subscriber.end(reason);
  }

  #idle(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#cursor = null;
  }
}
