/**
 * @module pages/requests
 * Access requests: the pending requests others made for the user's resources, to approve (all or some
 * of the scopes) or deny; and the user's own requests to others, with their state.
 */
import { useCallback, useEffect, useState } from 'react';
import { useAnnounce } from '../announce.ts';
import { ApiError, call, type QueryResult } from '../api.ts';
import { Dialog } from '../components/dialog.tsx';
import { Empty, ErrorMessage, NotAvailable } from '../components/states.tsx';
import { formatDateTime, isoDate } from '../format.ts';

/** A pending request as the pending-requests API answers it (AM's shape). */
export interface PendingRequest {
  _id: string;
  user: string;
  resource: string;
  resourceId?: string;
  when: number;
  permissions: string[];
}

/** One of the user's own requests to someone else (`uma/myRequests`). */
export interface OutgoingRequest {
  _id: string;
  resource: string;
  owner: string;
  permissions: string[];
  approvedPermissions?: string[];
  status: 'pending' | 'approved' | 'denied';
  when: number;
  updated: number;
}

const STATES = { pending: 'Waiting', approved: 'Approved', denied: 'Denied' } as const;

type Load<T> = { state: 'loading' } | { state: 'ready'; items: T[]; more: string | null } | { state: 'unavailable' } | { state: 'error'; message: string };

/** A 404 for the route itself (not for one item) means the server has no such API. */
function unavailable(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 404 || e.status === 405) && /no route/i.test(e.message);
}

/** `when` may come in seconds or milliseconds. */
function seconds(when: number): number {
  return when > 1e11 ? Math.floor(when / 1000) : when;
}

/** The first page of a list, or (with the cookie of the last page shown) the next one after `shown`. */
async function loadList<T>(path: string, set: (l: Load<T>) => void, cookie?: string, shown: T[] = []): Promise<void> {
  try {
    const { body } = await call<QueryResult<T>>(path, { query: { _queryFilter: 'true', _pagedResultsCookie: cookie } });
    set({ state: 'ready', items: [...shown, ...body.result], more: body.pagedResultsCookie });
  } catch (e) {
    set(unavailable(e) ? { state: 'unavailable' } : { state: 'error', message: e instanceof ApiError ? e.message : 'The requests could not be loaded.' });
  }
}

export function RequestsPage() {
  const [incoming, setIncoming] = useState<Load<PendingRequest>>({ state: 'loading' });
  const [outgoing, setOutgoing] = useState<Load<OutgoingRequest>>({ state: 'loading' });
  const [approving, setApproving] = useState<PendingRequest | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const announce = useAnnounce();

  const load = useCallback(async () => {
    await Promise.all([loadList('uma/pendingrequests', setIncoming), loadList('uma/myRequests', setOutgoing)]);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function act(request: PendingRequest, action: 'approve' | 'deny', scopes?: string[]) {
    setActionError(null);
    try {
      await call(`uma/pendingrequests/${encodeURIComponent(request._id)}?_action=${action}`, { method: 'POST', body: action === 'approve' ? { scopes: scopes ?? request.permissions } : {} });
      setApproving(null);
      await load();
      announce(action === 'approve' ? `Approved ${request.user}'s request for ${request.resource}.` : `Denied ${request.user}'s request for ${request.resource}.`);
    } catch (e) {
      setActionError(e instanceof ApiError ? e.message : 'The answer could not be saved.');
    }
  }

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Requests
      </h1>
      <p className="lead">People who asked to use your resources, and what you asked of others.</p>
      {actionError ? <ErrorMessage message={actionError} /> : null}
      <h2>Waiting for your answer</h2>
      {incoming.state === 'loading' ? <p className="placeholder" aria-busy="true">Loading…</p> : null}
      {incoming.state === 'unavailable' ? <NotAvailable what="Answering access requests" /> : null}
      {incoming.state === 'error' ? <ErrorMessage message={incoming.message} onRetry={() => void load()} /> : null}
      {incoming.state === 'ready' && incoming.items.length === 0 ? <Empty title="No pending requests.">When someone asks to use one of your resources, you can answer here.</Empty> : null}
      {incoming.state === 'ready' && incoming.items.length > 0 ? (
        <ul className="cards">
          {incoming.items.map((r) => (
            <li key={r._id} className="card">
              <p>
                <strong>{r.user}</strong> asks to <strong>{r.permissions.join(', ')}</strong> on <strong>{r.resource}</strong>
              </p>
              <p className="muted">
                <time dateTime={isoDate(seconds(r.when))}>{formatDateTime(seconds(r.when))}</time>
              </p>
              <div className="actions">
                <button type="button" className="primary small" aria-label={`Approve ${r.user}'s request for ${r.resource}`} onClick={() => void act(r, 'approve')}>
                  Approve
                </button>
                {r.permissions.length > 1 ? (
                  <button type="button" className="secondary small" aria-label={`Approve some of ${r.user}'s request for ${r.resource}`} onClick={() => setApproving(r)}>
                    Approve some…
                  </button>
                ) : null}
                <button type="button" className="danger small" aria-label={`Deny ${r.user}'s request for ${r.resource}`} onClick={() => void act(r, 'deny')}>
                  Deny
                </button>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {incoming.state === 'ready' && incoming.more ? (
        <button type="button" className="secondary" onClick={() => void loadList('uma/pendingrequests', setIncoming, incoming.more!, incoming.items)}>
          Show more requests
        </button>
      ) : null}
      <h2>Your requests</h2>
      {outgoing.state === 'loading' ? <p className="placeholder" aria-busy="true">Loading…</p> : null}
      {outgoing.state === 'unavailable' ? <NotAvailable what="The list of your own requests" /> : null}
      {outgoing.state === 'error' ? <ErrorMessage message={outgoing.message} onRetry={() => void load()} /> : null}
      {outgoing.state === 'ready' && outgoing.items.length === 0 ? <Empty title="You have not asked for anything.">Requests you make through an application appear here with their answer.</Empty> : null}
      {outgoing.state === 'ready' && outgoing.items.length > 0 ? (
        <table className="list">
          <caption className="sr-only">Your requests</caption>
          <thead>
            <tr>
              <th scope="col">Resource</th>
              <th scope="col">Owner</th>
              <th scope="col">Permissions</th>
              <th scope="col">State</th>
              <th scope="col">Last change</th>
            </tr>
          </thead>
          <tbody>
            {outgoing.items.map((r) => (
              <tr key={r._id}>
                <td data-label="Resource">{r.resource}</td>
                <td data-label="Owner">{r.owner}</td>
                <td data-label="Permissions">
                  {r.permissions.join(', ')}
                  {r.approvedPermissions && r.approvedPermissions.length < r.permissions.length ? <span className="muted"> (approved: {r.approvedPermissions.join(', ')})</span> : null}
                </td>
                <td data-label="State">
                  <span className={`badge ${r.status}`}>{STATES[r.status] ?? r.status}</span>
                </td>
                <td data-label="Last change">
                  <time dateTime={isoDate(seconds(r.updated))}>{formatDateTime(seconds(r.updated))}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {outgoing.state === 'ready' && outgoing.more ? (
        <button type="button" className="secondary" onClick={() => void loadList('uma/myRequests', setOutgoing, outgoing.more!, outgoing.items)}>
          Show more of your requests
        </button>
      ) : null}
      {approving ? <ApproveSome request={approving} onApprove={(scopes) => void act(approving, 'approve', scopes)} onClose={() => setApproving(null)} /> : null}
    </section>
  );
}

function ApproveSome({ request, onApprove, onClose }: { request: PendingRequest; onApprove: (scopes: string[]) => void; onClose: () => void }) {
  const [scopes, setScopes] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title={`Approve part of ${request.user}'s request`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (scopes.length === 0) setError('Choose at least one permission, or deny the request.');
          else onApprove(scopes);
        }}
        noValidate
      >
        <fieldset className="field">
          <legend>Permissions to grant on {request.resource}</legend>
          {request.permissions.map((scope) => (
            <label key={scope} className="check">
              <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))} />
              {scope}
            </label>
          ))}
        </fieldset>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" className="primary">
            Approve selected
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
