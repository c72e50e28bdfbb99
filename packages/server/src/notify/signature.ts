/**
 * @module notify/signature
 * The `Steward-Signature` header of webhook calls: `t=<unix seconds>,v1=<hex HMAC-SHA256>` where the
 * MAC covers `<t>.<raw body>` under the webhook's secret. Receivers recompute it over the bytes they
 * received, compare in constant time and refuse a `t` too far from their clock (replays).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Steward-Signature';

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The header value for `body` signed at `timestamp` (seconds). */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${signatureOf(secret, timestamp, body)}`;
}

/**
 * True when `header` holds a `v1` signature of `body` under `secret` with a `t` within `toleranceSeconds`
 * of `now` (seconds). Several `v1` members are accepted (one per secret while a secret is rotated).
 */
export function verifySignature(secret: string, header: string | undefined, body: string, now: number, toleranceSeconds = 300): boolean {
  if (!header) return false;
  let timestamp: number | null = null;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === 't' && value !== undefined && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (name === 'v1' && value !== undefined && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === null || Math.abs(now - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, timestamp, body), 'hex');
  return candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected));
}
