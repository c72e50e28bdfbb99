/**
 * @module components/dialog
 * A modal dialog on the native `<dialog>` element: focus moves into it and stays there (the browser
 * makes the rest of the page inert), Escape closes it, and focus returns to what opened it.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export interface DialogProps {
  title: string;
  /** Called when the user closes it (Escape, Cancel). */
  onClose: () => void;
  children: ReactNode;
  /** id of the element that should receive focus first (default: the first field). */
  initialFocus?: string;
}

export function Dialog({ title, onClose, children, initialFocus }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    const first = (initialFocus ? dialog.querySelector<HTMLElement>(`#${initialFocus}`) : null) ?? dialog.querySelector<HTMLElement>('input, select, textarea, button');
    first?.focus();
    const cancel = (e: Event) => {
      e.preventDefault();
      onClose();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
      if (opener && opener.isConnected) opener.focus();
    };
    // Opened once per mount (onClose changes identity with each render of the parent).
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="dialog-title">
      <h2 id="dialog-title">{title}</h2>
      {children}
    </dialog>
  );
}

export interface ConfirmProps {
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => Promise<void> | void;
  onClose: () => void;
}

/** Asks before something that cannot be undone; the confirm button is not the default focus. */
export function ConfirmDialog({ title, message, confirmLabel, onConfirm, onClose }: ConfirmProps) {
  return (
    <Dialog title={title} onClose={onClose} initialFocus="confirm-cancel">
      <p>{message}</p>
      <div className="actions">
        <button type="button" className="danger" onClick={() => void onConfirm()}>
          {confirmLabel}
        </button>
        <button type="button" id="confirm-cancel" className="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
