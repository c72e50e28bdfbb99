/**
 * @module components/share-dialog
 * Sharing one resource with one person: the person by exact username or e-mail (looked up, never
 * listed; look-alike names are flagged), the scopes, an optional expiry date and an optional
 * application restriction. The result is the user's policy on the resource, as the policies API
 * stores it (the same dialog edits a share and writes a re-share of something shared with her).
 */
import { useId, useState, type FormEvent } from 'react';
import { ApiError, call, clientsOf, expiryOf, writePolicy, type Lookup, type Policy, type PolicyPermission } from '../api.ts';
import { dateInputValue, endOfDay, today } from '../format.ts';
import { Dialog } from './dialog.tsx';

export interface ShareTarget {
  id: string;
  name: string;
  /** Scopes that may be shared (the resource's, or for a re-share what the user holds). */
  scopes: string[];
  /** The user's current policy on the resource (null: none yet). */
  policy: Policy | null;
}

export interface ShareDialogProps {
  target: ShareTarget;
  /** Editing the permission of this subject (the person is then fixed). */
  editing?: PolicyPermission;
  reshare?: boolean;
  onDone: (message: string) => void;
  onClose: () => void;
}

type Found = { state: 'idle' } | { state: 'looking' } | { state: 'found'; username: string; warning?: string; typed: string } | { state: 'missing'; typed: string };

export function ShareDialog({ target, editing, reshare, onDone, onClose }: ShareDialogProps) {
  const ids = { person: useId(), personHint: useId(), personResult: useId(), expiry: useId(), client: useId(), clientHint: useId(), scopes: useId() };
  const [person, setPerson] = useState(editing?.subject ?? '');
  const [found, setFound] = useState<Found>(editing ? { state: 'found', username: editing.subject, typed: editing.subject } : { state: 'idle' });
  const [scopes, setScopes] = useState<string[]>(editing?.scopes ?? (target.scopes.length === 1 ? [...target.scopes] : []));
  const existingExpiry = editing ? expiryOf(editing) : undefined;
  const [expiry, setExpiry] = useState(existingExpiry !== undefined ? dateInputValue(existingExpiry) : '');
  const [clients, setClients] = useState((editing ? clientsOf(editing) : undefined)?.join(', ') ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function lookup(typed: string): Promise<Found> {
    const identity = typed.trim();
    if (identity === '') return { state: 'idle' };
    if (found.state === 'found' && found.typed === identity) return found;
    setFound({ state: 'looking' });
    const { body } = await call<Lookup>('uma/lookup', { query: { identity } });
    const next: Found = body.found ? { state: 'found', username: body.username, typed: identity, ...(body.warning ? { warning: body.warning } : {}) } : { state: 'missing', typed: identity };
    setFound(next);
    return next;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const seen = found.state === 'found' && found.typed === person.trim();
      const who = editing ? found : await lookup(person);
      if (who.state === 'found' && who.warning && !seen && !editing) {
        setError('Read the warning about this name, then press Share again if it is the right person.');
        return;
      }
      if (who.state !== 'found') {
        setError(person.trim() === '' ? 'Enter the exact username or e-mail address of the person.' : `No one matches “${person.trim()}” exactly. Check the spelling.`);
        document.getElementById(ids.person)?.focus();
        return;
      }
      if (scopes.length === 0) {
        setError('Choose at least one permission.');
        return;
      }
      const conditions: NonNullable<PolicyPermission['conditions']> = [];
      if (expiry !== '') {
        const at = endOfDay(expiry);
        if (at === null || at * 1000 < Date.now()) {
          setError('The expiry date must be today or later.');
          return;
        }
        conditions.push({ type: 'Expiration', expirationDate: at });
      }
      const clientIds = clients.split(',').map((c) => c.trim()).filter(Boolean);
      if (clientIds.length > 0) conditions.push({ type: 'ClientId', clientIds });
      const permission: PolicyPermission = { subject: who.username, scopes: target.scopes.filter((s) => scopes.includes(s)), ...(conditions.length ? { conditions } : {}) };
      const others = (target.policy?.permissions ?? []).filter((p) => p.subject !== who.username);
      await writePolicy(target.id, target.policy, [...others, permission]);
      onDone(`${editing ? 'Updated the share of' : reshare ? 'Re-shared' : 'Shared'} ${target.name} with ${who.username}.`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The share could not be saved. Try again.');
    } finally {
      setBusy(false);
    }
  }

  const title = editing ? `Change ${editing.subject}'s access to ${target.name}` : `${reshare ? 'Re-share' : 'Share'} ${target.name}`;
  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={ids.person}>Person or group</label>
          <input
            id={ids.person}
            type="text"
            value={person}
            readOnly={!!editing}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            aria-describedby={`${ids.personHint} ${ids.personResult}`}
            onChange={(e) => {
              setPerson(e.target.value);
              setFound({ state: 'idle' });
            }}
            onBlur={() => {
              if (!editing) lookup(person).catch((err: unknown) => setError(err instanceof ApiError ? err.message : 'The lookup failed.'));
            }}
          />
          <p id={ids.personHint} className="hint">
            Their exact username or e-mail address (or <code>group:</code> and a group's name). Nobody is listed: type it exactly.
          </p>
          <div id={ids.personResult} className="lookup" aria-live="polite">
            {found.state === 'looking' ? <span>Looking…</span> : null}
            {found.state === 'found' && !editing ? <span className="ok">Found: {found.username}</span> : null}
            {found.state === 'missing' ? <span className="bad">No one matches “{found.typed}” exactly.</span> : null}
            {found.state === 'found' && found.warning ? (
              <p className="warning" role="alert">
                {found.warning}
              </p>
            ) : null}
          </div>
        </div>
        <fieldset className="field">
          <legend>Permissions</legend>
          {target.scopes.map((scope) => (
            <label key={scope} className="check">
              <input
                type="checkbox"
                name="scope"
                value={scope}
                checked={scopes.includes(scope)}
                onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))}
              />
              {scope}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={ids.expiry}>Expires after (optional)</label>
          <input id={ids.expiry} type="date" value={expiry} min={today()} onChange={(e) => setExpiry(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.client}>Only through these applications (optional)</label>
          <input id={ids.client} type="text" value={clients} onChange={(e) => setClients(e.target.value)} aria-describedby={ids.clientHint} autoComplete="off" spellCheck={false} />
          <p id={ids.clientHint} className="hint">
            Client ids, separated by commas. Empty: any application.
          </p>
        </div>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {editing ? 'Save' : reshare ? 'Re-share' : 'Share'}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
