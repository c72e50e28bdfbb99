/**
 * @module bench/scale/http
 * Timing requests over real HTTP: sign-in to the owner API, and N requests one after another with their
 * p50 and p99 (after a short warm-up), every answer checked for its expected status.
 */
import { performance } from 'node:perf_hooks';

export interface Timing {
  n: number;
  p50: number;
  p99: number;
}

export interface OwnerCall {
  method?: 'GET' | 'PUT' | 'DELETE' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Expected status (200 unless given). */
  status?: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The owner API's session token for a user of the realm. */
export async function signIn(base: string, realm: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${base}/json/realms/root/realms/${realm}/authenticate`, { method: 'POST', headers: { 'x-openam-username': username, 'x-openam-password': password } });
  const body = (await res.json()) as { tokenId?: string };
  if (res.status !== 200 || !body.tokenId) throw new Error(`sign-in of ${username}: ${res.status} ${JSON.stringify(body)}`);
  return body.tokenId;
}

/** One call, checked; resolves with its time in milliseconds. */
export async function call(base: string, sso: string, c: OwnerCall): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${base}${c.path}`, {
    method: c.method ?? 'GET',
    headers: { iplanetdirectorypro: sso, ...(c.body ? { 'content-type': 'application/json' } : {}), ...c.headers },
    ...(c.body ? { body: c.body } : {}),
  });
  const text = await res.text();
  const ms = performance.now() - t;
  if (res.status !== (c.status ?? 200)) throw new Error(`${c.method ?? 'GET'} ${c.path} → ${res.status} ${text.slice(0, 300)}`);
  return ms;
}

/** `n` calls one after another (the i-th from `next(i)`), after `warmup` untimed ones. */
export async function timeCalls(base: string, sso: string, n: number, next: (i: number) => OwnerCall, warmup = 3): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await call(base, sso, next(n + i));
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await call(base, sso, next(i)));
  times.sort((a, b) => a - b);
  return { n, p50: percentile(times, 50), p99: percentile(times, 99) };
}
