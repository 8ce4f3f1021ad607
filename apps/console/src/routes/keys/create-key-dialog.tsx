import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ErrorText } from '../../components/error-text.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { useWorkspaceId } from '../../navigation/workspace-route.ts';
import { useTRPC } from '../../trpc.ts';
import { splitDomains } from './key-view.ts';
import { ShownKey } from './shown-key.tsx';

export function CreateKeyDialog({ open, onClose }: { readonly open: boolean; readonly onClose: () => void }) {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.apiKeys.create.mutationOptions());
  // The full key: here and nowhere else (not in the query cache, the URL or storage).
  const [newKey, setNewKey] = useState<string | null>(null);
  const [type, setType] = useState<'publishable' | 'secret'>('publishable');

  const close = () => {
    setNewKey(null);
    create.reset();
    onClose();
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const created = await create.mutateAsync({
      workspaceId,
      type,
      name: String(form.get('name')),
      allowedDomains: splitDomains(String(form.get('allowedDomains') ?? '')),
    });
    setNewKey(created.key);
    // The mutation's own record of the answer would hold the key too: drop it.
    create.reset();
    await queryClient.invalidateQueries(trpc.apiKeys.list.pathFilter());
  };

  return (
    <ModalDialog title={newKey ? 'Your new key' : 'Create key'} open={open} onClose={close}>
      {newKey ? (
        <div className="stack">
          <ShownKey value={newKey} />
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={close}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form className="stack" onSubmit={(event) => void submit(event).catch(() => {})}>
          <fieldset>
            <legend>Type</legend>
            <label>
              <input
                type="radio"
                name="type"
                value="publishable"
                checked={type === 'publishable'}
                onChange={() => setType('publishable')}
              />
              Publishable (pk_): for &lt;img&gt; tags in your pages
            </label>
            <label>
              <input
                type="radio"
                name="type"
                value="secret"
                checked={type === 'secret'}
                onChange={() => setType('secret')}
              />
              Secret (sk_): for your servers only
            </label>
          </fieldset>
          <label>
            Name
            <input name="name" maxLength={200} placeholder="Production site" />
          </label>
          <label>
            Allowed domains
            <span className="hint">
              One per line: example.com, *.example.com or localhost. A publishable key with none works from no page.
            </span>
            <textarea name="allowedDomains" rows={3} />
          </label>
          {create.isError && <ErrorText error={create.error} />}
          <div className="dialog-actions">
            <button type="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={create.isPending}>
              {create.isPending ? 'Creating…' : 'Create'}
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
