/**
 * @module notify/mail-text
 * The words of notification e-mails: plain text, names and scopes only (never a token nor a secret),
 * and a link to the account console where the owner answers or the requesting party looks.
 */
import type { MailPayload } from '@steward/core';

export interface MailText {
  subject: string;
  text: string;
}

/** One line, no control characters, bounded: names come from users and resource servers. */
function clean(value: string, max = 120): string {
  const line = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function mailText(payload: MailPayload, baseUrl: string): MailText {
  const console = `${baseUrl}/realms/${encodeURIComponent(payload.realm)}/account/`;
  const resource = payload.resourceName ? `"${clean(payload.resourceName)}"` : 'a resource';
  const scopes = payload.scopes.length > 0 ? payload.scopes.map((s) => clean(s, 60)).join(', ') : 'no scope';
  const owner = clean(payload.ownerName);
  const requester = clean(payload.requesterName);
  switch (payload.type) {
    case 'access_request.created':
      return {
        subject: `${requester} asks for access to ${resource}`,
        text: [
          `Hello ${owner},`,
          '',
          `${requester} asks for access to ${resource} of yours: ${scopes}.`,
          '',
          'Nothing is shared until you answer. Approve or deny the request in your account:',
          console,
          '',
          '-- Steward',
        ].join('\n'),
      };
    case 'access_request.approved':
      return {
        subject: `${owner} approved your request for ${resource}`,
        text: [
          `Hello ${requester},`,
          '',
          `${owner} approved your request for ${resource}: ${scopes}.`,
          'Your application can now obtain access (ask it to try again).',
          '',
          'Your account:',
          console,
          '',
          '-- Steward',
        ].join('\n'),
      };
    default:
      return {
        subject: `${owner} declined your request for ${resource}`,
        text: [
          `Hello ${requester},`,
          '',
          `${owner} declined your request for ${resource} (${scopes}).`,
          '',
          'Your account:',
          console,
          '',
          '-- Steward',
        ].join('\n'),
      };
  }
}
