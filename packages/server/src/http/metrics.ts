/**
 * @module http/metrics
 * Prometheus instruments and the hooks that feed them. Requests are labelled by route pattern (never
 * the URL), method and status, so the label sets stay few; grant outcomes by grant type and error code
 * (both closed lists). Gauges that need the database (sessions, pool, outbox) are read at scrape time,
 * never on the request path. Each app has its own registry.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Deps } from '../deps.ts';
import { GRANTS } from '../endpoints/grants/index.ts';
import { Form } from './form.ts';
import { answeredError } from './render-error.ts';

const TOKEN_ROUTE = '/realms/:realm/protocol/openid-connect/token';
const PERMISSION_ROUTE = '/realms/:realm/authz/protection/permission';
const UMA_GRANT = 'urn:ietf:params:oauth:grant-type:uma-ticket';
/** UMA grant answers that spend the presented ticket (it was found and consumed). */
const REDEEMING = new Set(['success', 'need_info', 'request_submitted', 'request_denied']);

/** Latency buckets in seconds: the token endpoint answers in milliseconds; argon2 sign-ins in tens. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface Metrics {
  registry: Registry;
}

function grantTypeOf(request: FastifyRequest): string {
  if (!(request.body instanceof Form)) return 'none';
  let value: string | undefined;
  try {
    value = request.body.get('grant_type');
  } catch {
    return 'invalid';
  }
  if (value === undefined) return 'none';
  return GRANTS.has(value) ? value : 'unsupported';
}

/**
 * The Node.js process, read at scrape time only. prom-client's default metrics are not used: their
 * garbage-collection observer runs on every collection and cost about a tenth of a millisecond per
 * request on a cheap route in our measurements, and each app would add another observer.
 */
function processMetrics(registry: Registry): void {
  new Counter({
    name: 'process_cpu_seconds_total',
    help: 'User and system CPU time of the process, in seconds.',
    registers: [registry],
    collect() {
      const { user, system } = process.cpuUsage();
      this.reset();
      this.inc((user + system) / 1e6);
    },
  });
  new Gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory of the process, in bytes.',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  new Gauge({
    name: 'nodejs_heap_size_used_bytes',
    help: 'JavaScript heap in use, in bytes.',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });
  new Gauge({
    name: 'nodejs_eventloop_lag_seconds',
    help: 'How late a callback scheduled at scrape time ran, in seconds.',
    registers: [registry],
    async collect() {
      const start = process.hrtime.bigint();
      await new Promise((resolve) => setImmediate(resolve));
      this.set(Number(process.hrtime.bigint() - start) / 1e9);
    },
  });
}

/**
 * Registers the instruments and the `onResponse` hook; the registry is what `/metrics` serves. With
 * `STEWARD_METRICS=off` nothing is registered (no cost per request) and null is returned.
 */
export function installMetrics(app: FastifyInstance, deps: Deps): Metrics | null {
  if (deps.config.metrics === 'off') return null;
  const registry = new Registry();
  processMetrics(registry);
  const duration = new Histogram({
    name: 'steward_http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status: latency in seconds (`_count` is the request count).',
    labelNames: ['route', 'method', 'status'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const grants = new Counter({
    name: 'steward_token_requests_total',
    help: 'Token endpoint answers by grant type and outcome (`success` or the error code).',
    labelNames: ['grant_type', 'outcome'],
    registers: [registry],
  });
  const ticketsIssued = new Counter({ name: 'steward_tickets_issued_total', help: 'Permission tickets issued at the permission endpoint.', registers: [registry] });
  const ticketsRedeemed = new Counter({
    name: 'steward_tickets_redeemed_total',
    help: 'Permission tickets spent at the token endpoint (UMA grant answered with an RPT, need_info, request_submitted or request_denied).',
    registers: [registry],
  });
  const rpts = new Counter({ name: 'steward_rpts_issued_total', help: 'RPTs issued by the UMA grant.', registers: [registry] });
  const now = () => deps.clock.now();
  new Gauge({
    name: 'steward_active_sessions',
    help: 'Unexpired user sessions (owner API and browser sign-ins), all realms.',
    registers: [registry],
    async collect() {
      this.set(await deps.operations.activeSessions(now()).catch(() => 0));
    },
  });
  // One query serves both outbox gauges of a scrape.
  let outboxCounts: Promise<{ pending: number; dead: number } | null> | null = null;
  const readOutbox = () => {
    outboxCounts ??= deps.store.outbox.counts().catch(() => null);
    const current = outboxCounts;
    setImmediate(() => (outboxCounts = null));
    return current;
  };
  new Gauge({
    name: 'steward_outbox_backlog',
    help: 'Notifications (webhook calls, e-mails) waiting in the outbox to be delivered, all realms.',
    registers: [registry],
    async collect() {
      const counts = await readOutbox();
      if (counts) this.set(counts.pending);
    },
  });
  new Gauge({
    name: 'steward_outbox_dead',
    help: 'Notifications given up after their last retry (dead letters), all realms.',
    registers: [registry],
    async collect() {
      const counts = await readOutbox();
      if (counts) this.set(counts.dead);
    },
  });
  new Gauge({
    name: 'steward_db_pool_connections',
    help: 'PostgreSQL connection pool: `state` is max, total (open), idle or waiting (queries queued for a connection). Absent on SQLite.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const stats = deps.operations.poolStats();
      if (!stats) return;
      for (const [state, value] of Object.entries(stats)) this.set({ state }, value);
    },
  });
  new Counter({
    name: 'steward_store_durable_syncs_total',
    help: 'Fsyncs of the SQLite write-ahead log made so that a commit removing access survives a power loss (always 0 on PostgreSQL, where every commit is durable).',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(deps.operations.durableSyncs());
    },
  });

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    duration.observe({ route, method: request.method, status }, reply.elapsedTime / 1000);
    if (route === TOKEN_ROUTE && request.method === 'POST') {
      const grantType = grantTypeOf(request);
      const outcome = status < 400 ? 'success' : (answeredError(request) ?? 'server_error');
      grants.inc({ grant_type: grantType, outcome });
      if (grantType === UMA_GRANT) {
        if (outcome === 'success') rpts.inc();
        if (REDEEMING.has(outcome)) ticketsRedeemed.inc();
      }
    } else if (route === PERMISSION_ROUTE && status === 201) {
      ticketsIssued.inc();
    }
    done();
  });
  return { registry };
}
