/**
 * @module services/audit-history
 * The owner's audit history (AM's `uma/auditHistory`): her events, filtered with a CREST `_queryFilter`
 * that the database answers (a conjunction of `eq` on type, resource, requesting party, client and
 * request, and `gt`/`ge`/`lt`/`le`/`eq` on `eventTime`, in milliseconds as AM writes it), sorted by
 * time and paged by keyset (a cookie) or a small offset; counted only when asked. Read only: nothing changes an event.
 */
import { conjunctionTerms, parseQueryFilter, type QueryFilter, type QueryValue } from '../decision/query-filter.ts';
import { decodeCursor, encodeCursor } from '../decision/page-cursor.ts';
import { fail } from '../errors.ts';
import { countLimit, remainingOf, type Page, type PageRequest } from './paging.ts';
import { isEventType, type EventType, type StewardEvent } from '../model/event.ts';
import type { User } from '../model/user.ts';
import type { AuditFilter } from '../ports/store.ts';
import type { Ports } from './ports.ts';

/** Filterable fields, named as in the wire representation (`eventType` is another name for `type`). */
export const AUDIT_QUERY_FIELDS = ['/type', '/eventType', '/resourceSetId', '/requestingPartyId', '/clientId', '/requestId', '/eventTime'] as const;

/** Most events one page holds; also the page size when none is asked. */
export const AUDIT_PAGE_LIMIT = 1000;
export const AUDIT_DEFAULT_PAGE = 100;

export interface AuditHistoryQuery {
  filter: QueryFilter;
  /** 'desc' (newest first) unless `_sortKeys=eventTime`. */
  sort: 'asc' | 'desc';
  page: PageRequest;
}

/** An event with the requesting party's username (or the subject itself: a client, a party gone). */
export interface AuditView {
  event: StewardEvent;
  requestingParty?: string;
}

export type AuditHistoryPage = Page<AuditView>;

export function parseAuditFilter(filter: string): QueryFilter {
  return parseQueryFilter(filter, AUDIT_QUERY_FIELDS, { ordered: ['/eventTime'] });
}

/** `_sortKeys`: `eventTime` (oldest first) or `-eventTime` (newest first, the default). */
export function parseAuditSortKeys(value: string): 'asc' | 'desc' {
  const key = value.trim().replace(/^\//, '');
  if (key === 'eventTime' || key === '+eventTime' || key === '/eventTime' || key === '+/eventTime') return 'asc';
  if (key === '-eventTime' || key === '-/eventTime') return 'desc';
  throw fail('invalid_request', `'${value.slice(0, 64)}' not sortable: _sortKeys accepts eventTime or -eventTime`);
}

function text(field: string, value: QueryValue): string {
  if (typeof value !== 'string') throw fail('invalid_request', `Invalid _queryFilter: ${field.slice(1)} compares with a "quoted string"`);
  return value;
}

/** Milliseconds, as a number or an ISO 8601 date-time string. */
function millis(value: QueryValue): number {
  const ms = typeof value === 'number' ? value : typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw fail('invalid_request', 'Invalid _queryFilter: eventTime compares with milliseconds since the epoch or an ISO 8601 date-time string');
  return ms;
}

/** The store filter equal to the conjunction; null when it can match nothing. */
async function storeFilter(ports: Ports, realm: string, filter: QueryFilter): Promise<AuditFilter | null> {
  const terms = conjunctionTerms(filter);
  const out: AuditFilter = {};
  const same = <K extends 'resourceId' | 'requester' | 'clientId' | 'requestId'>(key: K, value: string): boolean => {
    if (out[key] !== undefined && out[key] !== value) return false;
    out[key] = value;
    return true;
  };
  for (const term of terms) {
    if (term.op === 'true') continue;
    if (term.op === 'false' || term.op === 'and') return null;
    const field = term.field;
    if (field === '/eventTime') {
      const ms = millis(term.value);
      // Events carry whole seconds: translate each bound to seconds exactly.
      let least = -Infinity;
      let most = Infinity;
      if (term.op === 'gt') least = Math.floor(ms / 1000) + 1;
      else if (term.op === 'ge') least = Math.ceil(ms / 1000);
      else if (term.op === 'lt') most = Math.ceil(ms / 1000) - 1;
      else if (term.op === 'le') most = Math.floor(ms / 1000);
      else if (ms % 1000 !== 0) return null;
      else least = most = ms / 1000;
      if (least !== -Infinity) out.atLeast = Math.max(out.atLeast ?? -Infinity, least);
      if (most !== Infinity) out.atMost = Math.min(out.atMost ?? Infinity, most);
      continue;
    }
    const value = text(field, term.value);
    if (field === '/type' || field === '/eventType') {
      if (!isEventType(value)) return null;
      if (out.types && !out.types.includes(value)) return null;
      out.types = [value as EventType];
    } else if (field === '/resourceSetId') {
      if (!same('resourceId', value)) return null;
    } else if (field === '/clientId') {
      if (!same('clientId', value)) return null;
    } else if (field === '/requestId') {
      if (!same('requestId', value)) return null;
    } else if (field === '/requestingPartyId') {
      // A username names a user; anything else is matched as the subject (a client id, a user id).
      const user = value.length <= 256 && !value.includes('\u0000') ? await ports.store.users.findByUsername(realm, value) : null;
      if (!same('requester', user?.id ?? value)) return null;
    }
  }
  if (out.atLeast !== undefined && out.atMost !== undefined && out.atLeast > out.atMost) return null;
  return out;
}

/** One page of the owner's events matching the query, after the cookie or from a small offset. */
export async function auditHistory(ports: Ports, input: { realm: string; owner: User; query: AuditHistoryQuery }): Promise<AuditHistoryPage> {
  const { realm, owner, query } = input;
  const list = `audit:${query.sort}`;
  const after = query.page.cookie === undefined ? undefined : decodeCursor(query.page.cookie, list, ['number', 'number']);
  const filter = await storeFilter(ports, realm, query.filter);
  const counting = countLimit(query.page.countPolicy);
  if (!filter) return { result: [], cookie: null, remaining: 0, total: counting > 0 ? 0 : -1 };
  const limit = Math.min(query.page.pageSize, AUDIT_PAGE_LIMIT);
  const page = await ports.store.audit.query(realm, owner.id, { filter, sort: query.sort, offset: query.page.offset, ...(after ? { after } : {}), limit: limit + 1, countLimit: counting });
  const events = page.events.slice(0, limit);
  const names = new Map<string, string>();
  for (const subject of new Set(events.flatMap((e) => (e.requester === undefined ? [] : [e.requester])))) {
    names.set(subject, (await ports.store.users.get(realm, subject))?.username ?? subject);
  }
  const result = events.map((event) => (event.requester === undefined ? { event } : { event, requestingParty: names.get(event.requester)! }));
  const more = page.events.length > limit;
  return { result, cookie: more ? encodeCursor(list, page.keys[limit - 1]!) : null, remaining: remainingOf(more, page.total, query.page, result.length), total: page.total };
}
