/**
 * @module pages/shared
 * "Shared with me": what other people share with the user, with owner, permissions, expiry and
 * application restriction; re-share what she holds where the realm allows it.
 */
import { useCallback, useEffect, useState } from 'react';
import { useAnnounce } from '../announce.ts';
import { ApiError, call, readPolicy, type QueryResult, type SharedItem } from '../api.ts';
import { ShareDialog, type ShareTarget } from '../components/share-dialog.tsx';
import { Empty, ErrorMessage, ResourceIcon } from '../components/states.tsx';
import { formatDate, isoDate, showableIcon } from '../format.ts';

export function SharedPage() {
  const [items, setItems] = useState<SharedItem[] | null>(null);
  const [more, setMore] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [target, setTarget] = useState<ShareTarget | null>(null);
  const announce = useAnnounce();

  /** The first page, or (with the cookie of the last page shown) the next one after `shown`. */
  const load = useCallback(async (cookie?: string, shown: SharedItem[] = []) => {
    try {
      const { body } = await call<QueryResult<SharedItem>>('uma/sharedWithMe', { query: { _pagedResultsCookie: cookie } });
      setItems([...shown, ...body.result]);
      setMore(body.pagedResultsCookie);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'What is shared with you could not be loaded.');
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function reshare(item: SharedItem) {
    try {
      setTarget({ id: item._id, name: item.name, scopes: item.permissions, policy: await readPolicy(item._id) });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Your re-share could not be loaded.');
    }
  }

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Shared with me
      </h1>
      <p className="lead">Resources other people let you use, and what you may do with them.</p>
      {error ? <ErrorMessage message={error} onRetry={() => void load()} /> : null}
      {!error && items === null ? <p className="placeholder" aria-busy="true">Loading…</p> : null}
      {!error && items !== null && items.length === 0 ? <Empty title="Nothing is shared with you.">When someone shares a resource with you, it appears here.</Empty> : null}
      {items !== null && items.length > 0 ? (
        <table className="list">
          <caption className="sr-only">Resources shared with you</caption>
          <thead>
            <tr>
              <th scope="col">Resource</th>
              <th scope="col">Owner</th>
              <th scope="col">Permissions</th>
              <th scope="col">Expires</th>
              <th scope="col">Applications</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item._id}>
                <td data-label="Resource">
                  <span className="with-icon">
                    <ResourceIcon name={item.name} src={showableIcon(item.icon_uri)} />
                    <span>{item.name}</span>
                  </span>
                </td>
                <td data-label="Owner">
                  {item.resourceOwner}
                  {item.sharedBy.some((s) => s !== item.resourceOwner) ? <span className="muted"> (via {item.sharedBy.filter((s) => s !== item.resourceOwner).join(', ')})</span> : null}
                </td>
                <td data-label="Permissions">{item.permissions.join(', ')}</td>
                <td data-label="Expires">{item.expirationDate === undefined ? 'Never' : <time dateTime={isoDate(item.expirationDate)}>{formatDate(item.expirationDate)}</time>}</td>
                <td data-label="Applications">{item.clientIds ? item.clientIds.join(', ') : 'Any'}</td>
                <td className="row-actions">
                  {item.reshareAllowed ? (
                    <button type="button" className="secondary small" aria-label={`Re-share ${item.name}`} onClick={() => void reshare(item)}>
                      Re-share{item.resharedWith.length > 0 ? ` (${item.resharedWith.length})` : ''}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {items !== null && more ? (
        <button type="button" className="secondary" onClick={() => void load(more, items)}>
          Show more
        </button>
      ) : null}
      {target ? (
        <ShareDialog
          target={target}
          reshare
          onClose={() => setTarget(null)}
          onDone={(message) => {
            setTarget(null);
            void load();
            announce(message);
          }}
        />
      ) : null}
    </section>
  );
}
