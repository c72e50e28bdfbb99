/**
 * @module endpoints/protection-events
 * The revocation event stream of the Protection API (docs/revocation.md): `GET
 * /realms/{realm}/authz/protection/events` with a PAT opens a Server-Sent Events stream of the RPTs
 * revoked while their audience included the PAT's resource server, each a Security Event Token (RFC
 * 8417) signed with the realm's key (services/revocation-events). It first replays what the caller has
 * not seen (after `Last-Event-ID`, or every RPT still live that was revoked), then says `caught-up`,
 * then sends each new revocation as this node's follower of the revocation log reads it
 * (revocation-feed). A heartbeat comment every `STEWARD_EVENTS_HEARTBEAT` seconds; the stream ends when
 * its PAT expires or stops being live, when the server shuts down, or when the caller reads too slowly.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { fail, organizationPatOwner, ORG_SUBJECT_PREFIX, revocationLogEnd, revocationSet, revocationsFor, type Realm, type RevokedRpt } from '@steward/core';
import type { Deps } from '../deps.ts';
import { requirePat, type Pat } from '../http/bearer.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { RevocationFeed, type RevocationSubscriber } from '../revocation-feed.ts';

const DOCS: RouteDocs = {
  summary: 'Follow revoked RPTs (event stream)',
  description:
    'A Server-Sent Events stream (`text/event-stream`) of the RPTs revoked while their audience (`aud`) included the PAT\'s resource server: a token revoked at the revocation endpoint, a grant withdrawn when a share is narrowed or deleted or a resource deleted, an upgraded RPT, every token of a disabled or deleted user or client. Each `revocation` event is a Security Event Token (RFC 8417, `typ: secevent+jwt`) signed with the realm\'s key, naming the RPT by its `jti` and carrying its `exp`. The stream replays first what the caller has not seen (every still-live revoked RPT, or those after `Last-Event-ID`), then sends a `caught-up` event, then each new revocation, whichever node made it. Comment lines are heartbeats. The stream ends when the PAT expires or is revoked. See docs/revocation.md for the exact format.',
  tags: ['Protection API'],
  operationId: 'revocationEvents',
  auth: 'PAT',
  headers: { 'last-event-id': { description: 'The `id` of the last event received on an earlier stream: replay only what came after it (an id this server never gave replays everything live).' } },
  responses: { '200': { description: 'The event stream (`Cache-Control: no-store`); it stays open.', contentType: 'text/event-stream' } },
  errors: ['invalid_request', 'invalid_token', 'insufficient_scope', 'not_found', 'too_many_requests'],
};

const URL_PATH = '/realms/:realm/authz/protection/events';

/** Entries replayed per read, and at most per connection (the caller resumes for the rest). */
const BACKLOG_PAGE = 500;
const MAX_BACKLOG = 10_000;
/** Bytes waiting for a slow reader past which its stream ends (it resumes with Last-Event-ID). */
const MAX_BUFFERED = 1 << 20;
/** Entries waiting to be signed and sent past which the stream ends. */
const MAX_QUEUED = 10_000;

/** The `Last-Event-ID` header as a sequence (0 when absent); `invalid_request` when malformed. */
function lastEventId(header: string | string[] | undefined): number {
  if (header === undefined) return 0;
  const text = Array.isArray(header) ? header[0] ?? '' : header;
  if (text.trim() === '') return 0;
  if (!/^\d{1,15}$/.test(text.trim())) throw fail('invalid_request', 'Last-Event-ID must be the id of an event of this stream');
  return Number(text.trim());
}

/** `GET …/authz/protection/events`: the revocation event stream. */
export function protectionEventRoutes(app: FastifyInstance, deps: Deps): void {
  const feed = new RevocationFeed(deps, app.log);
  // Open streams would hold the server's close forever: they end first.
  app.addHook('preClose', async () => feed.close());

  app.get<{ Params: { realm: string } }>(URL_PATH, { config: { docs: DOCS } }, async function revocationEvents(request, reply) {
    const realm = await loadRealm(deps, request.params.realm);
    const pat = await requirePat(deps, realm, request, reply);
    const after = lastEventId(request.headers['last-event-id']);
    const stream = new EventStream(deps, realm, pat, reply.raw, () => feed.unsubscribe(stream));
    const cursor = await feed.subscribe(stream);
    reply.hijack();
    stream.open(after, cursor);
  });
}

/** One subscriber's stream: the backlog, then live entries, with heartbeats and the PAT's checks. */
class EventStream implements RevocationSubscriber {
  readonly realm: string;
  readonly resourceServer: string;
  readonly #deps: Deps;
  readonly #realm: Realm;
  readonly #pat: Pat;
  readonly #raw: ServerResponse;
  readonly #unsubscribe: () => void;
  /** Live entries that arrived while the backlog was being sent, or wait for their turn. */
  #queue: RevokedRpt[] = [];
  /** The highest sequence sent (or known to need nothing for this stream). */
  #sent = 0;
  #replaying = true;
  #sending = false;
  #ended = false;
  #heartbeat: NodeJS.Timeout | undefined;
  #expiry: NodeJS.Timeout | undefined;

  constructor(deps: Deps, realm: Realm, pat: Pat, raw: ServerResponse, unsubscribe: () => void) {
    this.#deps = deps;
    this.#realm = realm;
    this.#pat = pat;
    this.#raw = raw;
    this.#unsubscribe = unsubscribe;
    this.realm = realm.id;
    this.resourceServer = pat.resourceServer;
  }

  open(after: number, cursor: number): void {
    this.#raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    this.#raw.write('retry: 1000\n\n');
    this.#raw.once('close', () => this.end('the client went away', false));
    this.#raw.once('error', () => this.end('write failed', false));
    const heartbeat = this.#deps.config.eventsHeartbeat * 1000;
    this.#heartbeat = setInterval(() => void this.#beat(), heartbeat);
    this.#heartbeat.unref();
    const untilExpiry = this.#pat.token.record.expiresAt * 1000 - Date.now();
    this.#expiry = setTimeout(() => this.end('the PAT expired'), Math.max(0, Math.min(untilExpiry, 2 ** 31 - 1)));
    this.#expiry.unref();
    void this.#replay(after, cursor);
  }

  /** The backlog after `after` (an id from another database's log counts as none: everything live is replayed). */
  async #replay(after: number, cursor: number): Promise<void> {
    try {
      let from = after > (await revocationLogEnd(this.#deps)) ? 0 : after;
      let replayed = 0;
      for (;;) {
        const page = await revocationsFor(this.#deps, { realm: this.realm, resourceServer: this.resourceServer, after: from, limit: BACKLOG_PAGE });
        for (const entry of page) await this.#send(entry);
        replayed += page.length;
        if (page.length > 0) from = page[page.length - 1]!.seq;
        if (page.length < BACKLOG_PAGE) break;
        if (replayed >= MAX_BACKLOG) return this.end('the backlog is longer than one stream replays: resume with Last-Event-ID');
      }
      if (this.#ended) return;
      // Everything up to the feed's position is now sent or none of this stream's business.
      this.#sent = Math.max(this.#sent, cursor);
      this.#write(`${this.#sent > 0 ? `id: ${this.#sent}\n` : ''}event: caught-up\ndata: ${JSON.stringify({ resource_server: this.resourceServer })}\n\n`);
      this.#replaying = false;
      void this.#drain();
    } catch (err) {
      this.end(`the revocation log cannot be read (${err instanceof Error ? err.message : String(err)})`);
    }
  }

  deliver(entries: RevokedRpt[]): void {
    if (this.#ended) return;
    this.#queue.push(...entries);
    if (this.#queue.length > MAX_QUEUED) return this.end('too many events waiting: resume with Last-Event-ID');
    if (!this.#replaying) void this.#drain();
  }

  /** Signs and sends the queued entries in order, one sender at a time. */
  async #drain(): Promise<void> {
    if (this.#sending) return;
    this.#sending = true;
    try {
      while (this.#queue.length > 0 && !this.#ended) await this.#send(this.#queue.shift()!);
    } catch (err) {
      this.end(`an event could not be signed (${err instanceof Error ? err.message : String(err)})`);
    } finally {
      this.#sending = false;
    }
  }

  async #send(entry: RevokedRpt): Promise<void> {
    if (this.#ended || entry.seq <= this.#sent) return;
    const set = await revocationSet(this.#deps, this.#realm, entry);
    if (this.#ended) return;
    this.#sent = entry.seq;
    this.#write(`id: ${entry.seq}\nevent: revocation\ndata: ${set}\n\n`);
  }

  #write(text: string): void {
    if (this.#ended) return;
    this.#raw.write(text);
    if (this.#raw.writableLength > MAX_BUFFERED) this.end('the client reads too slowly: resume with Last-Event-ID');
  }

  /** A heartbeat, once the PAT is checked to be still live (revoked, its client or owner disabled: the stream ends). */
  async #beat(): Promise<void> {
    try {
      const { realm } = this;
      const record = await this.#deps.store.tokens.get(realm, this.#pat.token.record.id);
      const client = await this.#deps.store.clients.get(realm, this.resourceServer);
      // As http/bearer requirePat: the owner is the client itself, an organization that still has it, or a user.
      const subject = this.#pat.owner;
      const owner = subject === this.resourceServer ? client : subject.startsWith(ORG_SUBJECT_PREFIX) ? await organizationPatOwner(this.#deps, realm, subject, this.resourceServer) : await this.#deps.store.users.get(realm, subject);
      if (!record || record.revoked || record.expiresAt <= this.#deps.clock.now() || !client || client.disabled || !owner || owner.disabled) return this.end('the PAT is no longer live');
      this.#write(': heartbeat\n\n');
    } catch {
      this.end('the PAT cannot be checked');
    }
  }

  /** Ends the stream (a comment says why, when the connection is still there). */
  end(reason: string, tell = true): void {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#expiry);
    this.#unsubscribe();
    if (this.#raw.headersSent && tell && !this.#raw.destroyed) this.#raw.write(`: end: ${reason.replaceAll('\n', ' ')}\n\n`);
    this.#raw.end();
  }
}
