import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { ErrorText } from '../../components/error-text.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { useWorkspaceId } from '../../navigation/workspace-route.ts';
import { useTRPC } from '../../trpc.ts';
import { type KeyView, maskedKey, splitDomains } from './key-view.ts';

/** Name and allowed domains. What is saved is what the server made of the input (shown after saving). */
export function EditKeyDialog({ apiKey, onClose }: { readonly apiKey: KeyView | null; readonly onClose: () => void }) {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const queryClient = useQueryClient();
  const update = useMutation(trpc.apiKeys.update.mutationOptions());

  const close = () => {
    update.reset();
    onClose();
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!apiKey) return;
    const form = new FormData(event.currentTarget);
    await update.mutateAsync({
      workspaceId,
      id: apiKey.id,
      name: String(form.get('name')),
      allowedDomains: splitDomains(String(form.get('allowedDomains') ?? '')),
    });
    await queryClient.invalidateQueries(trpc.apiKeys.list.pathFilter());
  };

  const saved = update.data;
  return (
    <ModalDialog title={apiKey ? `Edit ${maskedKey(apiKey)}` : 'Edit key'} open={apiKey !== null} onClose={close}>
      {apiKey && (
        <form className="stack" onSubmit={(event) => void submit(event).catch(() => {})}>
          <label>
            Name
            <input name="name" defaultValue={apiKey.name ?? ''} maxLength={200} />
          </label>
          <label>
            Allowed domains
            <span className="hint">One per line. URLs, upper case and non-ASCII names are turned into host names.</span>
            <textarea name="allowedDomains" rows={4} defaultValue={apiKey.allowedDomains.join('\n')} />
          </label>
          {update.isError && <ErrorText error={update.error} />}
          {saved && (
            <div role="status" className="card">
              Saved. Allowed domains now:{' '}
              {saved.allowedDomains.length ? saved.allowedDomains.join(', ') : 'none (works from no page)'}
            </div>
          )}
          <div className="dialog-actions">
            <button type="button" onClick={close}>
              {saved ? 'Close' : 'Cancel'}
            </button>
            <button type="submit" className="primary" disabled={update.isPending}>
              Save
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
