/** @module components/states — what a page shows while loading, when empty, and when something failed. */
import type { ReactNode } from 'react';
import { initials } from '../format.ts';

export function Loading({ label }: { label: string }) {
  return (
    <p className="placeholder" aria-busy="true">
      {label}
    </p>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children ? <p>{children}</p> : null}
    </div>
  );
}

export function ErrorMessage({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="error" role="alert">
      <p>{message}</p>
      {onRetry ? (
        <button type="button" className="secondary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** A page whose API this server does not offer (yet). */
export function NotAvailable({ what }: { what: string }) {
  return (
    <div className="empty">
      <p className="empty-title">{what} is not available on this server yet.</p>
      <p>This server does not offer the API this page needs. Everything else in the console works.</p>
    </div>
  );
}

/** A resource's picture: its icon when the page may show it, else its initials. */
export function ResourceIcon({ name, src }: { name: string; src: string | null }) {
  if (src) return <img className="icon" src={src} alt="" width={32} height={32} />;
  return (
    <span className="icon" aria-hidden="true">
      {initials(name)}
    </span>
  );
}
