/**
 * @module services/report-access
 * A resource server reports that a requesting party actually accessed a resource (Steward's
 * extension of the Protection API): recorded in the owner's audit history as `resource.accessed`.
 * The resource must be the PAT owner's and registered by the PAT's client; the party is named by the
 * RPT's `jti` (checked: an RPT for that resource at this resource server) or by its subject. Reports
 * come one at a time or in batches of at most {@link MAX_ACCESS_REPORTS}: a batch is recorded whole,
 * in one transaction, or (one bad report) not at all.
 */
import { fail, isStewardError } from '../errors.ts';
import type { StewardEvent } from '../model/event.ts';
import { newEvent } from './new-event.ts';
import type { Ports } from './ports.ts';
import { publishEvents } from './publish-events.ts';
import { readResource, type ProtectionCaller } from './resources.ts';

/** How far in the future a reported time may lie (clock skew between servers), in seconds. */
const MAX_SKEW = 300;

/** The most reports one batch may hold. */
export const MAX_ACCESS_REPORTS = 100;

export interface AccessReport {
  resourceId: string;
  /** The RPT's `jti`; or else `subject`. */
  rptId?: string;
  /** The requesting party's subject (`sub` of the RPT). */
  subject?: string;
  /** Scopes used; each must be registered for the resource. Default none. */
  scopes?: string[];
  /** When the access happened, seconds since the epoch; default now. */
  at?: number;
}

/** The checked event of one report (nothing written), or the report's error. */
async function accessEvent(ports: Ports, caller: ProtectionCaller, report: AccessReport): Promise<StewardEvent> {
  const resource = await readResource(ports, caller, report.resourceId);
  const scopes = [...new Set(report.scopes ?? [])];
  const unknown = scopes.find((s) => !resource.scopes.includes(s));
  if (unknown !== undefined) throw fail('invalid_scope', `Scope ${unknown.slice(0, 64)} is not registered for resource ${resource.id}`);
  const now = ports.clock.now();
  const at = report.at ?? now;
  if (at > now + MAX_SKEW) throw fail('invalid_request', 'time lies in the future');

  let requester: string;
  let clientId: string | undefined;
  if (report.rptId !== undefined) {
    const record = report.rptId.length <= 256 ? await ports.store.tokens.get(caller.realm, report.rptId) : null;
    const covers = record?.kind === 'rpt' && (record.data.permissions ?? []).some((p) => p.resourceId === resource.id && p.owner === resource.owner && p.resourceServer === caller.resourceServer);
    if (!record || !covers) throw fail('invalid_request', 'rpt does not name an RPT issued for this resource');
    if (report.subject !== undefined && report.subject !== record.subject) throw fail('invalid_request', 'subject is not the subject of that RPT');
    requester = record.subject;
    clientId = record.clientId;
  } else if (report.subject !== undefined) {
    requester = report.subject;
  } else {
    throw fail('invalid_request', 'Name the requesting party: rpt (the RPT\'s jti) or subject');
  }
  return newEvent(ports, {
    realm: caller.realm,
    owner: resource.owner,
    type: 'resource.accessed',
    at,
    requester,
    ...(clientId === undefined ? {} : { clientId }),
    resourceId: resource.id,
    ...(resource.name ? { resourceName: resource.name } : {}),
    scopes,
    detail: { resourceServer: caller.resourceServer },
  });
}

/** Records the access; returns the event. */
export async function reportAccess(ports: Ports, caller: ProtectionCaller, report: AccessReport): Promise<StewardEvent> {
  const event = await accessEvent(ports, caller, report);
  await publishEvents(ports.store, [event]);
  return event;
}

/**
 * Records a batch of accesses in one transaction; returns their events in the order of the reports.
 * Every report is checked first: the first bad one fails the whole batch with its error, its
 * description prefixed with its position (`reports[3]: …`), and nothing is written.
 */
export async function reportAccesses(ports: Ports, caller: ProtectionCaller, reports: readonly AccessReport[]): Promise<StewardEvent[]> {
  if (reports.length === 0 || reports.length > MAX_ACCESS_REPORTS) throw fail('invalid_request', `A batch holds 1 to ${MAX_ACCESS_REPORTS} reports`);
  const events: StewardEvent[] = [];
  for (const [i, report] of reports.entries()) {
    try {
      events.push(await accessEvent(ports, caller, report));
    } catch (e) {
      if (!isStewardError(e)) throw e;
      throw fail(e.code, `reports[${i}]: ${e.description ?? e.code}`);
    }
  }
  await ports.store.transaction((tx) => publishEvents(tx, events));
  return events;
}
