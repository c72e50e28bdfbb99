/**
 * @module wire/audit
 * Audit history entries on the wire: AM's names (`_id`, `resourceSetId`, `resourceSetName`,
 * `requestingPartyId`, `eventTime` in milliseconds, `type`) plus Steward's own members; and the body
 * of a resource server's access report: one report, or a batch (an array) of them.
 */
import Type from 'typebox';
import { pagedResultSchema } from './paging.ts';
import { EVENT_TYPES, fail, isJsonObject, isStewardError, MAX_ACCESS_REPORTS, type AccessReport, type AuditView } from '@steward/core';

export const AuditEntrySchema = Type.Object(
  {
    _id: Type.String({ description: 'The event id (a UUID v7).' }),
    type: Type.Union(EVENT_TYPES.map((t) => Type.Literal(t)), { description: 'The event type (docs/events.md).' }),
    eventTime: Type.Integer({ description: 'When it happened, milliseconds since the epoch (whole seconds).' }),
    resourceOwnerId: Type.String({ description: 'The owner\'s username.' }),
    resourceSetId: Type.Optional(Type.String({ description: 'The resource id.' })),
    resourceSetName: Type.Optional(Type.String({ description: 'The resource\'s name at the time.' })),
    requestingPartyId: Type.Optional(Type.String({ description: 'The requesting party: a username, or a client id.' })),
    requester: Type.Optional(Type.String({ description: 'The requesting party\'s subject (user id, or client id).' })),
    clientId: Type.Optional(Type.String({ description: 'The client involved.' })),
    scopes: Type.Optional(Type.Array(Type.String())),
    requestId: Type.Optional(Type.String({ description: 'The access request concerned.' })),
    detail: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Small event-specific facts (docs/events.md).' })),
  },
  { $id: 'AuditEntry', additionalProperties: false },
);

export const AuditQueryResultSchema = pagedResultSchema('AuditQueryResult', AuditEntrySchema, ' (events)');

export const AccessReportSchema = Type.Object(
  {
    resource_id: Type.String({ description: 'A resource registered by the calling resource server: with a user\'s PAT one of hers, with the resource server\'s own PAT any owner\'s.' }),
    rpt: Type.Optional(Type.String({ description: 'The `jti` of the RPT that was used (checked: an RPT for this resource at this resource server).' })),
    subject: Type.Optional(Type.String({ description: 'The requesting party\'s subject (the RPT\'s `sub`), when `rpt` is not given.' })),
    scopes: Type.Optional(Type.Array(Type.String(), { description: 'The scopes used; each registered for the resource.' })),
    time: Type.Optional(Type.Integer({ description: 'When, seconds since the epoch (default now; at most five minutes ahead).' })),
  },
  { $id: 'AccessReport', description: 'Other members are ignored.' },
);

/** The body: one report, or a batch of them (recorded together or, one being bad, not at all). */
export const AccessReportBodySchema = Type.Union([AccessReportSchema, Type.Array(AccessReportSchema, { minItems: 1, maxItems: MAX_ACCESS_REPORTS })]);

export const AccessReportedSchema = Type.Object({ _id: Type.String({ description: 'The recorded event\'s id.' }), eventTime: Type.Integer() }, { $id: 'AccessReported', additionalProperties: false });

/** The answer to a batch: one entry per report, in their order. */
export const AccessesReportedSchema = Type.Array(AccessReportedSchema);

export function auditEntryToWire(view: AuditView, ownerUsername: string): Record<string, unknown> {
  const e = view.event;
  const wire: Record<string, unknown> = { _id: e.id, type: e.type, eventTime: e.at * 1000, resourceOwnerId: ownerUsername };
  if (e.resourceId !== undefined) wire.resourceSetId = e.resourceId;
  if (e.resourceName !== undefined) wire.resourceSetName = e.resourceName;
  if (view.requestingParty !== undefined) wire.requestingPartyId = view.requestingParty;
  if (e.requester !== undefined) wire.requester = e.requester;
  if (e.clientId !== undefined) wire.clientId = e.clientId;
  if (e.scopes !== undefined) wire.scopes = e.scopes;
  if (e.requestId !== undefined) wire.requestId = e.requestId;
  if (e.detail !== undefined) wire.detail = e.detail;
  return wire;
}

function optionalString(body: Record<string, unknown>, member: string): string | undefined {
  const value = body[member];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 256 || value.includes('\u0000')) throw fail('invalid_request', `${member} must be a non-empty string of at most 256 characters`);
  return value;
}

export function parseAccessReport(body: unknown): AccessReport {
  if (!isJsonObject(body)) throw fail('invalid_request', 'The body must be a JSON object');
  const resourceId = optionalString(body, 'resource_id');
  if (resourceId === undefined) throw fail('invalid_request', 'resource_id is required');
  const report: AccessReport = { resourceId };
  const rpt = optionalString(body, 'rpt');
  if (rpt !== undefined) report.rptId = rpt;
  const subject = optionalString(body, 'subject');
  if (subject !== undefined) report.subject = subject;
  if (body.scopes !== undefined) {
    const scopes = body.scopes;
    if (!Array.isArray(scopes) || scopes.length > 256 || scopes.some((s) => typeof s !== 'string' || s.length === 0 || s.length > 256)) throw fail('invalid_request', 'scopes must be an array of non-empty strings');
    report.scopes = scopes as string[];
  }
  if (body.time !== undefined) {
    if (typeof body.time !== 'number' || !Number.isSafeInteger(body.time) || body.time < 0) throw fail('invalid_request', 'time must be a non-negative integer (seconds since the epoch)');
    report.at = body.time;
  }
  return report;
}

/** A batch of reports (a JSON array of 1 to {@link MAX_ACCESS_REPORTS}); a bad one is named by its position. */
export function parseAccessReports(body: unknown[]): AccessReport[] {
  if (body.length === 0 || body.length > MAX_ACCESS_REPORTS) throw fail('invalid_request', `A batch holds 1 to ${MAX_ACCESS_REPORTS} reports`);
  return body.map((item, i) => {
    try {
      return parseAccessReport(item);
    } catch (e) {
      if (!isStewardError(e)) throw e;
      throw fail(e.code, `reports[${i}]: ${e.description ?? e.code}`);
    }
  });
}
