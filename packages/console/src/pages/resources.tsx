/**
 * @module pages/resources
 * "My resources": the resources registered for the user, searchable, sortable and paged, with icon,
 * type, the application that registered them and how widely each is shared.
 */
import { useEffect, useId, useState } from 'react';
import { ApiError, call, ESTIMATE_LIMIT, type QueryResult, type ResourceSet } from '../api.ts';
import { useCursorPages } from '../paging.ts';
import { Empty, ErrorMessage, ResourceIcon } from '../components/states.tsx';
import { showableIcon, typeLabel } from '../format.ts';
import { resourceHref } from '../router.ts';

export const PAGE_SIZE = 10;

const SORTS = [
  { value: 'name', label: 'Name (A–Z)' },
  { value: '-name', label: 'Name (Z–A)' },
  { value: 'type', label: 'Type' },
  { value: 'resourceServer', label: 'Application' },
] as const;

function sharedLabel(r: ResourceSet): string {
  const people = r.policy?.permissions.length ?? 0;
  return people === 0 ? 'Only you' : people === 1 ? '1 person' : `${people} people`;
}

export function ResourcesPage() {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<string>('name');
  const pages = useCursorPages();
  const offset = pages.index * PAGE_SIZE;
  const [data, setData] = useState<QueryResult<ResourceSet> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const searchId = useId();
  const sortId = useId();

  // Typing searches after a short pause, from the first page.
  useEffect(() => {
    const timer = window.setTimeout(() => {
      setQuery(search.trim());
      pages.reset();
    }, 250);
    return () => window.clearTimeout(timer);
  }, [search]);

  useEffect(() => {
    let live = true;
    setError(null);
    call<QueryResult<ResourceSet>>('oauth2/resources/sets', {
      query: { _queryFilter: 'true', _sortKeys: sort, _pageSize: PAGE_SIZE, _pagedResultsCookie: pages.cookie, _totalPagedResultsPolicy: 'ESTIMATE', search: query || undefined },
    })
      .then(({ body }) => live && setData(body))
      .catch((e: unknown) => live && setError(e instanceof ApiError ? e.message : 'Your resources could not be loaded.'));
    return () => {
      live = false;
    };
  }, [query, sort, pages.cookie, attempt]);

  const total = data?.totalPagedResults ?? 0;
  const totalLabel = total >= ESTIMATE_LIMIT ? `more than ${ESTIMATE_LIMIT.toLocaleString()}` : total >= 0 ? String(total) : 'many';
  const shown = data?.result ?? [];
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        My resources
      </h1>
      <p className="lead">Resources that applications registered for you. Open one to see who can use it and to share it.</p>
      <form className="toolbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={searchId}>Search resources</label>
          <input id={searchId} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name, type or application" autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={sortId}>Sort by</label>
          <select
            id={sortId}
            value={sort}
            onChange={(e) => {
              setSort(e.target.value);
              pages.reset();
            }}
          >
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
      </form>
      {error ? <ErrorMessage message={error} onRetry={() => setAttempt((n) => n + 1)} /> : null}
      {!error && data === null ? <p className="placeholder" aria-busy="true">Loading your resources…</p> : null}
      {!error && data !== null && shown.length === 0 ? (
        query ? (
          <Empty title={`No resources match “${query}”.`}>Try another word, or clear the search.</Empty>
        ) : (
          <Empty title="You have no resources yet.">They appear here when an application registers something of yours, such as an account or a photo album.</Empty>
        )
      ) : null}
      {!error && shown.length > 0 ? (
        <>
          <table className="list">
            <caption className="sr-only">Your resources{query ? `, matching “${query}”` : ''}</caption>
            <thead>
              <tr>
                <th scope="col">Resource</th>
                <th scope="col">Type</th>
                <th scope="col">Application</th>
                <th scope="col">Who has access</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r._id}>
                  <td data-label="Resource">
                    <span className="with-icon">
                      <ResourceIcon name={r.name} src={showableIcon(r.icon_uri)} />
                      <a href={resourceHref(r._id)}>{r.name}</a>
                    </span>
                  </td>
                  <td data-label="Type">
                    <span title={r.type ?? undefined}>{typeLabel(r.type)}</span>
                  </td>
                  <td data-label="Application">{r.resourceServer}</td>
                  <td data-label="Who has access">{sharedLabel(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="pager" aria-label="Pages of resources">
            <button type="button" className="secondary" disabled={pages.index === 0} onClick={() => pages.previous()}>
              Previous
            </button>
            <span>
              {offset + 1}–{offset + shown.length} of {totalLabel}
            </span>
            <button type="button" className="secondary" disabled={!data?.pagedResultsCookie} onClick={() => data?.pagedResultsCookie && pages.next(data.pagedResultsCookie)}>
              Next
            </button>
          </nav>
        </>
      ) : null}
    </section>
  );
}
