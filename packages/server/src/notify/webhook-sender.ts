/**
 * @module notify/webhook-sender
 * One webhook call: POST the payload as JSON, signed, with a bounded time and never following a
 * redirect (a 3xx is a failed attempt, so a receiver cannot bounce signed events elsewhere). Only a
 * 2xx answer counts as delivered; the answer's body is not read beyond what closing it needs.
 */
import type { ClaimedDelivery, Webhook } from '@steward/core';
import { SIGNATURE_HEADER, signatureHeader } from './signature.ts';

export type AttemptResult = { ok: true } | { ok: false; error: string };

export async function sendWebhook(
  webhook: Webhook,
  delivery: ClaimedDelivery,
  options: { timeoutMs: number; now: number; signal: AbortSignal; userAgent: string },
): Promise<AttemptResult> {
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(options.now / 1000);
  let response: Response;
  try {
    response = await fetch(webhook.url, {
      method: 'POST',
      body,
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.signal]),
      headers: {
        'content-type': 'application/json',
        'user-agent': options.userAgent,
        [SIGNATURE_HEADER]: signatureHeader(webhook.secret, timestamp, body),
        'Steward-Event': delivery.eventType,
        'Steward-Delivery': delivery.id,
      },
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const reason = err.name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
    return { ok: false, error: `webhook call failed: ${reason}` };
  }
  await response.body?.cancel().catch(() => {});
  if (response.status >= 200 && response.status < 300) return { ok: true };
  if (response.status >= 300 && response.status < 400) return { ok: false, error: `HTTP ${response.status} (redirects are not followed)` };
  return { ok: false, error: `HTTP ${response.status}` };
}
