/**
 * @module access-reports — tells the AS about every permitted access, for the owner's audit history
 * (Steward's access reports, `access_report_endpoint` of its discovery document; docs/events.md).
 * Never on the request's path: a permitted request only queues a small report. The queue is bounded
 * (when full the NEW report is dropped, so what waits keeps its order and nothing already queued is
 * lost), flushed in batches (one call per PAT and batch) every `flushIntervalMs` or as soon as a batch
 * fills, and a batch that meets a network error or a 5xx/408/429 is tried again with a doubling delay,
 * a bounded number of times. An AS that announces no endpoint gets no reports.
 */
import type { UmaDiscovery } from './discovery.ts';
import { describeAnswer, UmaEnforcerError } from './errors.ts';
import { callAs, isServerTrouble } from './http.ts';
import type { PatSource } from './pat.ts';
import type { UmaGrant } from './types.ts';

/** Options of the `reportAccess` option of the enforcer (`false` turns reporting off). */
export interface UmaAccessReportOptions {
  /** Most reports per call (the AS takes at most 100). Default 100. */
  batchSize?: number;
  /** Longest a report waits before it is sent, milliseconds. Default 1000. */
  flushIntervalMs?: number;
  /** Most reports held (queued, waiting for a PAT, or being sent); more are dropped. Default 10000. */
  maxQueue?: number;
  /** Calls per batch before it is given up (network errors, 5xx/408/429). Default 4. */
  maxAttempts?: number;
  /** Delay before the first retry, doubled for each next one, milliseconds. Default 500. */
  retryDelayMs?: number;
}

/** What the reporting has done since the enforcer was created. */
export interface UmaAccessReportStats {
  /** Reports the AS recorded. */
  reported: number;
  /** Reports dropped because the queue was full. */
  dropped: number;
  /** Reports given up: retries exhausted, the AS refused them, or no PAT could be had. */
  failed: number;
  /** Permitted accesses not reported: the AS announces no `access_report_endpoint`, or the RPT names no `jti` nor `sub`. */
  skipped: number;
  /** Reports held now (queued, waiting for a PAT, or being sent). */
  pending: number;
  /** The last reason a report failed, for the logs. */
  lastError?: string;
}

/** The reporting of one enforcer. */
export interface AccessReporter {
  /** Queues the report of a permitted access (never throws, never waits). */
  add(grant: UmaGrant, request: unknown, discovery: UmaDiscovery): void;
  /** Sends everything queued now and waits for every call under way, retries included. */
  flush(): Promise<void>;
  /** Stops the timer and flushes; a batch waiting to be retried gets one last attempt at once. */
  close(): Promise<void>;
  stats(): UmaAccessReportStats;
}

interface Report {
  resource_id: string;
  rpt?: string;
  subject?: string;
  scopes: string[];
  time: number;
}

/** A queued report and the PAT it goes with (null: the resource server's own, looked up when sent). */
interface Queued {
  pat: string | null;
  report: Report;
}

/** Reporting off: every call is a no-op. */
export function noAccessReports(): AccessReporter {
  const stats = { reported: 0, dropped: 0, failed: 0, skipped: 0, pending: 0 };
  return { add: () => {}, flush: async () => {}, close: async () => {}, stats: () => ({ ...stats }) };
}

function bounded(value: number | undefined, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new TypeError(`createUmaEnforcer: reportAccess.${name} must be an integer from ${min} to ${max}`);
  return value;
}

/**
 * The reporter. `supplied` says whether `pat` is the app's per-resource supplier (asked when a report
 * is queued, with the request) or the resource server's own PAT (asked when a batch is sent).
 */
export function accessReporter(
  deps: { pat: PatSource; supplied: boolean; fetch: typeof fetch; timeoutMs: number },
  options: UmaAccessReportOptions = {},
): AccessReporter {
  if (typeof options !== 'object' || options === null) throw new TypeError('createUmaEnforcer: reportAccess must be true, false or an object of options');
  const batchSize = bounded(options.batchSize, 100, 1, 100, 'batchSize');
  const flushIntervalMs = bounded(options.flushIntervalMs, 1000, 1, 3_600_000, 'flushIntervalMs');
  const maxQueue = bounded(options.maxQueue, 10_000, 1, 1_000_000, 'maxQueue');
  const maxAttempts = bounded(options.maxAttempts, 4, 1, 20, 'maxAttempts');
  const retryDelayMs = bounded(options.retryDelayMs, 500, 0, 600_000, 'retryDelayMs');

  const counts = { reported: 0, dropped: 0, failed: 0, skipped: 0 };
  let lastError: string | undefined;
  let queue: Queued[] = [];
  /** Reports waiting for the app's PAT, and reports being sent: held, so counted against `maxQueue`. */
  let resolving = 0;
  let sending = 0;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  const underway = new Set<Promise<void>>();
  /** Wakes the retry delays (at close). */
  const sleepers = new Set<() => void>();

  const held = () => queue.length + resolving + sending;

  function fail(count: number, why: string): void {
    counts.failed += count;
    lastError = why;
  }

  function track(work: Promise<void>): void {
    underway.add(work);
    void work.finally(() => underway.delete(work));
  }

  function schedule(): void {
    if (queue.length >= batchSize || closed) {
      flushQueued();
    } else if (timer === null && queue.length > 0 && !closed) {
      timer = setTimeout(flushQueued, flushIntervalMs);
      timer.unref();
    }
  }

  function enqueue(item: Queued): void {
    queue.push(item);
    schedule();
  }

  function sleep(ms: number): Promise<void> {
    if (closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(t);
        sleepers.delete(wake);
        resolve();
      };
      const t = setTimeout(wake, ms);
      t.unref();
      sleepers.add(wake);
    });
  }

  /** One call with one batch; a refused PAT is replaced once; a refused batch is halved to find the bad reports. */
  async function post(endpoint: string, pat: string, reports: Report[], refused = false): Promise<void> {
    const res = await callAs(deps.fetch, endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${pat}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(reports),
    }, deps.timeoutMs);
    if (res.status === 201 || res.status === 200) {
      counts.reported += reports.length;
      return;
    }
    if (res.status === 401 && !refused) {
      const fresh = await deps.pat({ resourceId: reports[0]!.resource_id, request: undefined, refused: pat });
      return post(endpoint, fresh, reports, true);
    }
    if (res.status === 401) return fail(reports.length, `access reports at ${endpoint}: the PAT was refused, and the fresh one too (${describeAnswer(res.status, res.json)})`);
    if (isServerTrouble(res.status)) throw new UmaEnforcerError('as_server_error', `access reports at ${endpoint}: ${describeAnswer(res.status, res.json)}`);
    // Refused (a resource deleted meanwhile, an RPT the AS forgot…): the AS records a batch whole or not
    // at all, so halves are tried until the refused reports are alone; the others are still recorded.
    // A half that meets trouble now is given up, not retried: the other half may be recorded already.
    if (reports.length > 1) {
      const half = Math.ceil(reports.length / 2);
      for (const part of [reports.slice(0, half), reports.slice(half)]) {
        await post(endpoint, pat, part, refused).catch((e: unknown) => fail(part.length, e instanceof Error ? e.message : String(e)));
      }
      return;
    }
    fail(1, `access reports at ${endpoint}: ${describeAnswer(res.status, res.json)}`);
  }

  /** Sends one batch, retrying network errors and server trouble with a doubling delay. */
  async function send(discovery: UmaDiscovery, pat: string | null, reports: Report[]): Promise<void> {
    sending += reports.length;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const token = pat ?? (await deps.pat({ resourceId: reports[0]!.resource_id, request: undefined }));
          await post(discovery.access_report_endpoint!, token, reports);
          return;
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          const retry = e instanceof UmaEnforcerError && e.kind === 'unreachable';
          if (!retry || attempt >= maxAttempts || closed) {
            fail(reports.length, why);
            return;
          }
          await sleep(retryDelayMs * 2 ** (attempt - 1));
        }
      }
    } finally {
      sending -= reports.length;
    }
  }

  let current: UmaDiscovery | null = null;

  /** Takes the whole queue and sends it: one call per PAT and batch. */
  function flushQueued(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const discovery = current;
    if (queue.length === 0 || discovery === null) return;
    const groups = new Map<string | null, Report[]>();
    for (const { pat, report } of queue) {
      const group = groups.get(pat);
      if (group) group.push(report);
      else groups.set(pat, [report]);
    }
    queue = [];
    for (const [pat, reports] of groups) {
      for (let i = 0; i < reports.length; i += batchSize) track(send(discovery, pat, reports.slice(i, i + batchSize)));
    }
  }

  function add(grant: UmaGrant, request: unknown, discovery: UmaDiscovery): void {
    const party: Pick<Report, 'rpt' | 'subject'> | null = grant.jti !== undefined ? { rpt: grant.jti } : grant.subject !== undefined ? { subject: grant.subject } : null;
    if (!discovery.access_report_endpoint || party === null) {
      counts.skipped++;
      return;
    }
    if (held() >= maxQueue) {
      counts.dropped++;
      return;
    }
    current = discovery;
    const resourceId = grant.granted.resourceId;
    const report: Report = { resource_id: resourceId, ...party, scopes: grant.granted.scopes, time: Math.floor(Date.now() / 1000) };
    if (!deps.supplied) {
      enqueue({ pat: null, report });
      return;
    }
    resolving++;
    track(
      deps.pat({ resourceId, request }).then(
        (pat) => {
          resolving--;
          enqueue({ pat, report });
        },
        (e: unknown) => {
          resolving--;
          fail(1, e instanceof Error ? e.message : String(e));
        },
      ),
    );
  }

  async function flush(): Promise<void> {
    // Reports still waiting for their PAT join the queue first; then every call under way is awaited.
    for (;;) {
      flushQueued();
      if (underway.size === 0) return;
      await Promise.all([...underway]);
    }
  }

  async function close(): Promise<void> {
    closed = true;
    for (const wake of [...sleepers]) wake();
    await flush();
  }

  return {
    add,
    flush,
    close,
    stats: () => ({ ...counts, pending: held(), ...(lastError === undefined ? {} : { lastError }) }),
  };
}
