/**
 * @module pages/history
 * The owner's audit history: what happened to her resources and shares (requests, grants, shares and
 * revocations), newest first, filtered by kind of event, resource and dates, and paged.
 */
import { useEffect, useId, useState } from 'react';
import { ApiError, call, ESTIMATE_LIMIT, type QueryResult, type ResourceSet } from '../api.ts';
import { useCursorPages } from '../paging.ts';
import { Empty, ErrorMessage, NotAvailable } from '../components/states.tsx';
import { endOfDay, formatDateTime, isoDate } from '../format.ts';

const PAGE_SIZE = 20;

/** An audit entry; AM's names with Steward's event types. */
export interface AuditEntry {
  _id: string;
  type: string;
  eventTime: number;
  resourceSetId?: string;
  resourceSetName?: string;
  requestingPartyId?: string;
  requester?: string;
  clientId?: string;
  scopes?: string[];
  /** Small event-specific facts: `subject` (a share's policy subject), `subjects` (a policy's). */
  detail?: Record<string, unknown>;
}

/** Each label names one event, as its row shows it; the filter offers the same words. */
const TYPES: Array<{ value: string; label: string }> = [
  { value: '', label: 'All events' },
  { value: 'share.granted', label: 'Access granted' },
  { value: 'share.revoked', label: 'Access revoked' },
  { value: 'access_request.created', label: 'Access requested' },
  { value: 'access_request.approved', label: 'Request approved' },
  { value: 'access_request.denied', label: 'Request denied' },
  { value: 'access_request.reopened', label: 'Denial withdrawn' },
  { value: 'rpt.issued', label: 'Token issued' },
  { value: 'grant.denied', label: 'Access refused' },
  { value: 'permission.requested', label: 'Access attempted' },
  { value: 'resource.accessed', label: 'Resource used' },
  { value: 'policy.created', label: 'Share created' },
  { value: 'policy.updated', label: 'Share changed' },
  { value: 'policy.deleted', label: 'Share deleted' },
  { value: 'resource.deleted', label: 'Resource removed' },
];

export function describeEvent(type: string): string {
  return TYPES.find((t) => t.value === type)?.label ?? type;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Who the event concerns: the requesting party's username (or subject, for a client or a user
 * Steward does not know), else the subject a share names (a group, an organization, a username not
 * registered yet), else the subjects of a policy.
 */
export function whoOf(e: AuditEntry): string {
  const party = e.requestingPartyId ?? e.requester;
  if (party !== undefined) return party;
  const subject = e.detail?.subject;
  if (typeof subject === 'string') return subject;
  return strings(e.detail?.subjects).join(', ') || '—';
}

/** The permissions (scopes) the event is about. */
export function permissionsOf(e: AuditEntry): string {
  return e.scopes && e.scopes.length > 0 ? e.scopes.join(', ') : '—';
}

function seconds(when: number): number {
  return when > 1e11 ? Math.floor(when / 1000) : when;
}

export interface HistoryFilters {
  type: string;
  /** A resource id, or empty for all. */
  resource: string;
  /** Exact username of the other party, or empty. */
  person: string;
  from: string;
  to: string;
}

/** The `_queryFilter` of the audit history API for the chosen filters (times in milliseconds). */
export function historyFilter(f: HistoryFilters): string {
  const parts: string[] = [];
  if (f.type) parts.push(`type eq ${JSON.stringify(f.type)}`);
  if (f.resource) parts.push(`resourceSetId eq ${JSON.stringify(f.resource)}`);
  if (f.person.trim()) parts.push(`requestingPartyId eq ${JSON.stringify(f.person.trim())}`);
  const from = f.from ? endOfDay(f.from) : null;
  if (from !== null) parts.push(`eventTime ge ${(from - 86_399) * 1000}`);
  const to = f.to ? endOfDay(f.to) : null;
  if (to !== null) parts.push(`eventTime le ${to * 1000 + 999}`);
  return parts.length ? parts.join(' and ') : 'true';
}

type Load = { state: 'loading' } | { state: 'ready'; page: QueryResult<AuditEntry> } | { state: 'unavailable' } | { state: 'error'; message: string };

export function HistoryPage() {
  const ids = { type: useId(), resource: useId(), person: useId(), from: useId(), to: useId() };
  const [draft, setDraft] = useState<HistoryFilters>({ type: '', resource: '', person: '', from: '', to: '' });
  const [resources, setResources] = useState<ResourceSet[]>([]);
  const [filters, setFilters] = useState(draft);
  const pages = useCursorPages();
  const offset = pages.index * PAGE_SIZE;
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    call<QueryResult<ResourceSet>>('oauth2/resources/sets', { query: { _queryFilter: 'true', _sortKeys: 'name', _pageSize: 1000 } })
      .then(({ body }) => setResources(body.result))
      .catch(() => setResources([]));
  }, []);

  useEffect(() => {
    let live = true;
    call<QueryResult<AuditEntry>>('uma/auditHistory', { query: { _queryFilter: historyFilter(filters), _sortKeys: '-eventTime', _pageSize: PAGE_SIZE, _pagedResultsCookie: pages.cookie, _totalPagedResultsPolicy: 'ESTIMATE' } })
      .then(({ body }) => live && setLoad({ state: 'ready', page: body }))
      .catch((e: unknown) => {
        if (!live) return;
        const missing = e instanceof ApiError && e.status === 404 && /no route/i.test(e.message);
        setLoad(missing ? { state: 'unavailable' } : { state: 'error', message: e instanceof ApiError ? e.message : 'Your history could not be loaded.' });
      });
    return () => {
      live = false;
    };
  }, [filters, pages.cookie, attempt]);

  const entries = load.state === 'ready' ? load.page.result : [];
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        History
      </h1>
      <p className="lead">What happened to your resources and shares, newest first.</p>
      <form
        className="toolbar"
        aria-label="Filter the history"
        onSubmit={(e) => {
          e.preventDefault();
          pages.reset();
          setFilters(draft);
        }}
      >
        <div className="field">
          <label htmlFor={ids.type}>Event</label>
          <select id={ids.type} value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value })}>
            {TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.resource}>Resource</label>
          <select id={ids.resource} value={draft.resource} onChange={(e) => setDraft({ ...draft, resource: e.target.value })}>
            <option value="">All resources</option>
            {resources.map((r) => (
              <option key={r._id} value={r._id}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.person}>Person</label>
          <input id={ids.person} type="text" value={draft.person} placeholder="Exact username" onChange={(e) => setDraft({ ...draft, person: e.target.value })} autoComplete="off" spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor={ids.from}>From</label>
          <input id={ids.from} type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>To</label>
          <input id={ids.to} type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </div>
        <div className="field submit">
          <button type="submit" className="secondary">
            Apply filters
          </button>
        </div>
      </form>
      {load.state === 'loading' ? <p className="placeholder" aria-busy="true">Loading…</p> : null}
      {load.state === 'unavailable' ? <NotAvailable what="The history" /> : null}
      {load.state === 'error' ? <ErrorMessage message={load.message} onRetry={() => setAttempt((n) => n + 1)} /> : null}
      {load.state === 'ready' && entries.length === 0 ? <Empty title="Nothing to show.">{historyFilter(filters) === 'true' ? 'Events appear here as people use and ask for your resources.' : 'No event matches these filters.'}</Empty> : null}
      {load.state === 'ready' && entries.length > 0 ? (
        <>
          <table className="list">
            <caption className="sr-only">Your history</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Resource</th>
                <th scope="col">Who</th>
                <th scope="col">Permissions</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e._id}>
                  <td data-label="When">
                    <time dateTime={isoDate(seconds(e.eventTime))}>{formatDateTime(seconds(e.eventTime))}</time>
                  </td>
                  <td data-label="Event">{describeEvent(e.type)}</td>
                  <td data-label="Resource">{e.resourceSetName ?? e.resourceSetId ?? '—'}</td>
                  <td data-label="Who">{whoOf(e)}</td>
                  <td data-label="Permissions">{permissionsOf(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="pager" aria-label="Pages of history">
            <button type="button" className="secondary" disabled={pages.index === 0} onClick={() => pages.previous()}>
              Newer
            </button>
            <span>
              {offset + 1}–{offset + entries.length}
              {load.page.totalPagedResults !== undefined && load.page.totalPagedResults >= 0 ? ` of ${load.page.totalPagedResults >= ESTIMATE_LIMIT ? `more than ${ESTIMATE_LIMIT.toLocaleString()}` : load.page.totalPagedResults}` : ''}
            </span>
            <button type="button" className="secondary" disabled={!load.page.pagedResultsCookie} onClick={() => load.page.pagedResultsCookie && pages.next(load.page.pagedResultsCookie)}>
              Older
            </button>
          </nav>
        </>
      ) : null}
    </section>
  );
}
