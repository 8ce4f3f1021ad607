import type { ReactNode } from 'react';
import { ErrorText } from './error-text.tsx';
import { ModalDialog } from './modal-dialog.tsx';

interface ConfirmDialogProps {
  readonly title: string;
  readonly open: boolean;
  /** The label of the button that does it (a destructive action: red, never the default). */
  readonly confirmLabel: string;
  readonly pending: boolean;
  /** The action's error, shown above the buttons; null when there is none. */
  readonly error: unknown;
  readonly onConfirm: () => void;
  readonly onClose: () => void;
  /** What happens if the person confirms. */
  readonly children: ReactNode;
}

/** Asks before something that cannot be undone: Cancel has the focus, the action is the red button. */
export function ConfirmDialog({
  title,
  open,
  confirmLabel,
  pending,
  error,
  onConfirm,
  onClose,
  children,
}: ConfirmDialogProps) {
  return (
    <ModalDialog title={title} open={open} onClose={onClose}>
      {open && (
        <div className="stack">
          {children}
          {error !== null && <ErrorText error={error} />}
          <div className="dialog-actions">
            <button type="button" onClick={onClose} autoFocus>
              Cancel
            </button>
            <button type="button" className="danger" onClick={onConfirm} disabled={pending}>
              {confirmLabel}
            </button>
          </div>
        </div>
      )}
    </ModalDialog>
  );
}
