/**
 * @module notify/mailer
 * E-mail over SMTP with nodemailer, when `STEWARD_SMTP_HOST` is set. Every step (connect, greeting,
 * each command) is bounded by the notification timeout; a failure is a failed attempt, retried from
 * the outbox like a webhook call.
 */
import nodemailer from 'nodemailer';
import type { ClaimedDelivery, MailPayload } from '@steward/core';
import type { Config } from '../config/load.ts';
import { mailText } from './mail-text.ts';
import type { AttemptResult } from './webhook-sender.ts';

export interface Mailer {
  send(delivery: ClaimedDelivery): Promise<AttemptResult>;
  close(): void;
}

/** Null when SMTP is not configured. */
export function createMailer(config: Config): Mailer | null {
  if (!config.smtpHost) return null;
  const transport = nodemailer.createTransport({
    host: config.smtpHost,
    port: config.smtpPort,
    secure: config.smtpSecure,
    ...(config.smtpUser ? { auth: { user: config.smtpUser, pass: config.smtpPassword ?? '' } } : {}),
    connectionTimeout: config.notifyTimeoutMs,
    greetingTimeout: config.notifyTimeoutMs,
    socketTimeout: config.notifyTimeoutMs,
  });
  return {
    async send(delivery) {
      const { subject, text } = mailText(delivery.payload as MailPayload, config.baseUrl);
      try {
        await transport.sendMail({
          from: config.smtpFrom,
          to: delivery.target,
          subject,
          text,
          headers: { 'Steward-Delivery': delivery.id, 'Steward-Event': delivery.eventType },
        });
        return { ok: true };
      } catch (e) {
        const err = e as Error & { code?: string; responseCode?: number };
        return { ok: false, error: `SMTP: ${err.code ?? ''}${err.responseCode ? ` ${err.responseCode}` : ''} ${err.message}`.trim() };
      }
    },
    close() {
      transport.close();
    },
  };
}
