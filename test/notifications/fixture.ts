/**
 * @module test/notifications/fixture
 * A Steward with fast notification settings (short polls, backoff and timeouts), a real webhook
 * receiver (node:http on 127.0.0.1) whose answers a test chooses, a real SMTP sink (smtp-server), and
 * publishing events the way services do (publishEvents in a transaction).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { publishEvents, type EventType, type StewardEvent, type User } from '@steward/core';
import { createSteward, loadConfig, type Config, type Steward } from '@steward/server';
import { freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { freePort, type Dialect } from '../helpers/steward.ts';

/** Settings that make retries quick: tests wait milliseconds, not minutes. */
export const FAST: Partial<Config> = {
  notifyPollMs: 25,
  notifyTimeoutMs: 2000,
  notifyLeaseMs: 4000,
  notifyRetryBaseMs: 50,
  notifyRetryMaxMs: 150,
  notifyMaxAttempts: 4,
};

export interface NotifySteward extends Steward {
  databaseUrl: string;
  alice: User;
  bob: User;
  /** Publishes one event of `type` from alice's resource to bob, as services do; returns it. */
  publish(type: EventType, over?: Partial<StewardEvent>): Promise<StewardEvent>;
}

/** Starts a Steward on `databaseUrl` (a fresh database when omitted; dropped by `dropDatabase`). */
export async function startNotifySteward(
  dialect: Dialect,
  config: Partial<Config> = {},
  databaseUrl?: string,
): Promise<NotifySteward & { dropDatabase(): Promise<void> }> {
  const db = databaseUrl ? { url: databaseUrl, drop: async () => {} } : await freshDatabaseUrl(dialect);
  const full = loadConfig({}, { databaseUrl: db.url, baseUrl: 'http://steward.test', demo: true, logLevel: 'silent', ...FAST, ...config });
  let steward: Steward;
  try {
    steward = await createSteward(full, { logLevel: process.env.STEWARD_TEST_LOG ?? 'silent' });
  } catch (e) {
    await db.drop();
    throw e;
  }
  const { store, random, clock } = steward.deps;
  const alice = (await store.users.findByUsername('demo', 'alice'))!;
  const bob = (await store.users.findByUsername('demo', 'bob'))!;
  return {
    ...steward,
    databaseUrl: db.url,
    alice,
    bob,
    async publish(type, over = {}) {
      const event: StewardEvent = {
        id: random.uuid(),
        realm: 'demo',
        owner: alice.id,
        type,
        at: clock.now(),
        requester: bob.id,
        clientId: 'photoz-client',
        resourceId: 'res-1',
        resourceName: 'Photo Album',
        scopes: ['view'],
        requestId: 'req-1',
        ...over,
      };
      await store.transaction((tx) => publishEvents(tx, [event]));
      return event;
    },
    dropDatabase: () => db.drop(),
  };
}

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Answer = { status: number; headers?: Record<string, string> };

/** A webhook receiver: records every request; `answer` decides the status (and headers) of each. */
export class Receiver {
  readonly received: Received[] = [];
  answer: (r: Received) => Answer | Promise<Answer> = () => ({ status: 204 });
  #server: Server | null = null;
  port = 0;

  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(r);
        const { status, headers } = await this.answer(r);
        res.writeHead(status, headers).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/steward`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export interface CapturedMail {
  from: string;
  to: string[];
  raw: string;
  /** Headers (lower-case names) and the decoded text body. */
  headers: Record<string, string>;
  text: string;
}

/** An SMTP sink on 127.0.0.1 that accepts every message (no TLS, no auth) and keeps it. */
export class SmtpSink {
  readonly mails: CapturedMail[] = [];
  #server: SMTPServer | null = null;
  port = 0;

  async start(port?: number): Promise<this> {
    this.port = port ?? (await freePort());
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          this.mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw, ...parseMail(raw) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Unfolds headers and decodes a quoted-printable or 7bit single-part text body. */
function parseMail(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  let body = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  if (/quoted-printable/i.test(headers['content-transfer-encoding'] ?? '')) {
    body = Buffer.from(
      body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  }
  return { headers, text: body.replace(/\r\n/g, '\n') };
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`); whitespace between two of them goes. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
}

/** Polls `check` until it returns a value other than undefined/false; fails after `ms` with `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
