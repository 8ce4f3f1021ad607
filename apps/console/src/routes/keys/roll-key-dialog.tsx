import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ErrorText } from '../../components/error-text.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { useWorkspaceId } from '../../navigation/workspace-route.ts';
import { useTRPC } from '../../trpc.ts';
import { type KeyView, maskedKey } from './key-view.ts';
import { ShownKey } from './shown-key.tsx';

const gracePeriods = [
  { seconds: 0, label: 'None: the old key stops now' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '24 hours' },
  { seconds: 7 * 86_400, label: '7 days' },
];

/** A new key with the same settings; the old one keeps working for the grace period. */
export function RollKeyDialog({ apiKey, onClose }: { readonly apiKey: KeyView | null; readonly onClose: () => void }) {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const queryClient = useQueryClient();
  const roll = useMutation(trpc.apiKeys.roll.mutationOptions());
  const [newKey, setNewKey] = useState<string | null>(null);

  const close = () => {
    setNewKey(null);
    roll.reset();
    onClose();
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!apiKey) return;
    const form = new FormData(event.currentTarget);
    const rolled = await roll.mutateAsync({
      workspaceId,
      id: apiKey.id,
      gracePeriodSeconds: Number(form.get('gracePeriodSeconds')),
    });
    setNewKey(rolled.key);
    roll.reset();
    await queryClient.invalidateQueries(trpc.apiKeys.list.pathFilter());
  };

  return (
    <ModalDialog
      title={newKey ? 'Your new key' : `Roll ${apiKey ? maskedKey(apiKey) : 'key'}`}
      open={apiKey !== null}
      onClose={close}
    >
      {newKey ? (
        <div className="stack">
          <ShownKey value={newKey} />
          <p className="hint">Deploy it, then watch the usage chart switch over to it.</p>
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={close}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form className="stack" onSubmit={(event) => void submit(event).catch(() => {})}>
          <p>A new key replaces this one, with the same type, name and allowed domains.</p>
          <label>
            Grace period
            <span className="hint">How long the old key keeps working, so that deploys can catch up.</span>
            <select name="gracePeriodSeconds" defaultValue={86_400}>
              {gracePeriods.map((p) => (
                <option key={p.seconds} value={p.seconds}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          {roll.isError && <ErrorText error={roll.error} />}
          <div className="dialog-actions">
            <button type="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={roll.isPending}>
              Roll key
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
