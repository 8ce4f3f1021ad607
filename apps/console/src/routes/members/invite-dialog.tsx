import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { CopyButton } from '../../components/copy-button.tsx';
import { ErrorText } from '../../components/error-text.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { formatDateTime } from '../../format.ts';
import { useWorkspaceId } from '../../navigation/workspace-route.ts';
import { useTRPC } from '../../trpc.ts';

/** No email is sent: the single-use link is shown here for the owner to pass on. */
export function InviteDialog({ open, onClose }: { readonly open: boolean; readonly onClose: () => void }) {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const queryClient = useQueryClient();
  const invite = useMutation(trpc.invitations.create.mutationOptions());
  const [link, setLink] = useState<{ url: string; expiresAt: string; email: string } | null>(null);

  const close = () => {
    setLink(null);
    invite.reset();
    onClose();
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const created = await invite.mutateAsync({
      workspaceId,
      email: String(form.get('email')),
      role: form.get('role') === 'owner' ? 'owner' : 'member',
    });
    setLink({ url: created.url, expiresAt: created.expiresAt, email: created.email });
    invite.reset();
    await queryClient.invalidateQueries(trpc.invitations.list.pathFilter());
  };

  return (
    <ModalDialog title={link ? 'Invitation link' : 'Invite someone'} open={open} onClose={close}>
      {link ? (
        <div className="stack">
          <p>
            Send this link to {link.email}. It works once, until {formatDateTime(link.expiresAt)}.
          </p>
          <div className="secret">
            <output aria-label="Invitation link">{link.url}</output>
            <CopyButton text={link.url} label="Copy invitation link" />
          </div>
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={close}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form className="stack" onSubmit={(event) => void submit(event).catch(() => {})}>
          <label>
            Email
            <input name="email" type="email" required autoComplete="off" />
          </label>
          <label>
            Role
            <select name="role" defaultValue="member">
              <option value="member">Member: manages keys</option>
              <option value="owner">Owner: also manages members</option>
            </select>
          </label>
          {invite.isError && <ErrorText error={invite.error} />}
          <div className="dialog-actions">
            <button type="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={invite.isPending}>
              Create invitation
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
