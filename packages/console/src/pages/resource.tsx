/**
 * @module pages/resource
 * One of the user's resources: what it offers (scopes) and who has access to what, with expiry and
 * application restriction; share it, change or revoke one person's access, or revoke everyone's.
 */
import { useCallback, useEffect, useState } from 'react';
import { useAnnounce } from '../announce.ts';
import { ApiError, call, clientsOf, expiryOf, writePolicy, type PolicyPermission, type ResourceSet } from '../api.ts';
import { ConfirmDialog } from '../components/dialog.tsx';
import { ShareDialog } from '../components/share-dialog.tsx';
import { Empty, ErrorMessage, ResourceIcon } from '../components/states.tsx';
import { formatDate, isoDate, showableIcon, typeLabel } from '../format.ts';

/**
 * What becomes of tokens already issued (docs/revocation.md): apps that ask Steward (introspection) or
 * follow its revocation events (the Steward resource-server kit) refuse them within a second; an app
 * that checks tokens only by itself may accept them until they expire.
 */
const HELD_TOKENS = (who: 'they' | 'others') =>
  `Tokens ${who} already hold stop working within a second in apps that check with Steward; an app that checks tokens only by itself may still accept them until they expire (within minutes).`;

type Open = { kind: 'none' } | { kind: 'share' } | { kind: 'edit'; permission: PolicyPermission } | { kind: 'revoke'; subject: string } | { kind: 'revokeAll' };

export function ResourcePage({ id }: { id: string }) {
  const [resource, setResource] = useState<ResourceSet | null>(null);
  const [error, setError] = useState<{ message: string; missing: boolean } | null>(null);
  const [open, setOpen] = useState<Open>({ kind: 'none' });
  const announce = useAnnounce();

  const load = useCallback(async () => {
    try {
      setResource((await call<ResourceSet>(`oauth2/resources/sets/${encodeURIComponent(id)}`)).body);
      setError(null);
    } catch (e) {
      setError({ message: e instanceof ApiError ? e.message : 'This resource could not be loaded.', missing: e instanceof ApiError && e.status === 404 });
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  const close = () => setOpen({ kind: 'none' });
  const done = async (message: string) => {
    close();
    await load();
    announce(message);
  };

  async function revoke(subject: string | null) {
    if (!resource) return;
    try {
      const rest = subject === null ? [] : (resource.policy?.permissions ?? []).filter((p) => p.subject !== subject);
      await writePolicy(resource._id, resource.policy, rest);
      await done(subject === null ? `Nobody has access to ${resource.name} any more.` : `${subject} no longer has access to ${resource.name}.`);
    } catch (e) {
      close();
      setError({ message: e instanceof ApiError ? e.message : 'The change could not be saved.', missing: false });
    }
  }

  if (error && (error.missing || !resource)) {
    return (
      <section aria-labelledby="page-title">
        <p className="crumbs">
          <a href="#/resources">My resources</a>
        </p>
        <h1 id="page-title" tabIndex={-1}>
          {error.missing ? 'Resource not found' : 'Resource'}
        </h1>
        <ErrorMessage message={error.missing ? 'This resource does not exist, or it is not yours.' : error.message} onRetry={error.missing ? undefined : () => void load()} />
      </section>
    );
  }
  if (!resource) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>
          Resource
        </h1>
        <p className="placeholder" aria-busy="true">Loading…</p>
      </section>
    );
  }
  const permissions = resource.policy?.permissions ?? [];
  const target = { id: resource._id, name: resource.name, scopes: resource.scopes, policy: resource.policy };
  return (
    <section aria-labelledby="page-title">
      <p className="crumbs">
        <a href="#/resources">My resources</a>
      </p>
      <div className="title-row">
        <ResourceIcon name={resource.name} src={showableIcon(resource.icon_uri)} />
        <h1 id="page-title" tabIndex={-1}>
          {resource.name}
        </h1>
      </div>
      {resource.description ? <p className="lead">{resource.description}</p> : null}
      <dl className="facts">
        <div>
          <dt>Type</dt>
          <dd title={resource.type ?? undefined}>{typeLabel(resource.type)}</dd>
        </div>
        <div>
          <dt>Application</dt>
          <dd>{resource.resourceServer}</dd>
        </div>
        <div>
          <dt>Permissions it offers</dt>
          <dd>
            <ul className="chips" aria-label="Scopes">
              {resource.scopes.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
      {error ? <ErrorMessage message={error.message} /> : null}
      <div className="section-head">
        <h2>Who has access</h2>
        <div className="actions">
          <button type="button" className="primary" onClick={() => setOpen({ kind: 'share' })}>
            Share
          </button>
          {permissions.length > 0 ? (
            <button type="button" className="danger" onClick={() => setOpen({ kind: 'revokeAll' })}>
              Revoke everyone
            </button>
          ) : null}
        </div>
      </div>
      {permissions.length === 0 ? (
        <Empty title="Only you have access.">Share it to let someone else use it.</Empty>
      ) : (
        <table className="list">
          <caption className="sr-only">People with access to {resource.name}</caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Permissions</th>
              <th scope="col">Expires</th>
              <th scope="col">Applications</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {permissions.map((p) => {
              const exp = expiryOf(p);
              const clients = clientsOf(p);
              return (
                <tr key={p.subject}>
                  <td data-label="Person">{p.subject}</td>
                  <td data-label="Permissions">{p.scopes.join(', ')}</td>
                  <td data-label="Expires">{exp === undefined ? 'Never' : <time dateTime={isoDate(exp)}>{formatDate(exp)}</time>}</td>
                  <td data-label="Applications">{clients ? clients.join(', ') : 'Any'}</td>
                  <td className="row-actions">
                    <button type="button" className="secondary small" aria-label={`Change ${p.subject}'s access`} onClick={() => setOpen({ kind: 'edit', permission: p })}>
                      Change
                    </button>
                    <button type="button" className="danger small" aria-label={`Revoke ${p.subject}'s access`} onClick={() => setOpen({ kind: 'revoke', subject: p.subject })}>
                      Revoke
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {open.kind === 'share' ? <ShareDialog target={target} onDone={(m) => void done(m)} onClose={close} /> : null}
      {open.kind === 'edit' ? <ShareDialog target={target} editing={open.permission} onDone={(m) => void done(m)} onClose={close} /> : null}
      {open.kind === 'revoke' ? (
        <ConfirmDialog
          title={`Revoke ${open.subject}'s access?`}
          message={`${open.subject} will no longer be able to use ${resource.name}. ${HELD_TOKENS('they')}`}
          confirmLabel="Revoke"
          onConfirm={() => revoke(open.subject)}
          onClose={close}
        />
      ) : null}
      {open.kind === 'revokeAll' ? (
        <ConfirmDialog
          title="Revoke everyone's access?"
          message={`Nobody but you will be able to use ${resource.name}. ${HELD_TOKENS('others')}`}
          confirmLabel="Revoke everyone"
          onConfirm={() => revoke(null)}
          onClose={close}
        />
      ) : null}
    </section>
  );
}
