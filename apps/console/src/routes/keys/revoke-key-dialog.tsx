import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ErrorText } from '../../components/error-text.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { useWorkspaceId } from '../../navigation/workspace-route.ts';
import { useTRPC } from '../../trpc.ts';
import { type KeyView, keyLabel } from './key-view.ts';

export function RevokeKeyDialog({
  apiKey,
  onClose,
}: {
  readonly apiKey: KeyView | null;
  readonly onClose: () => void;
}) {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const queryClient = useQueryClient();
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions());

  const close = () => {
    revoke.reset();
    onClose();
  };

  const confirm = async () => {
    if (!apiKey) return;
    await revoke.mutateAsync({ workspaceId, id: apiKey.id });
    await queryClient.invalidateQueries(trpc.apiKeys.list.pathFilter());
    close();
  };

  return (
    <ModalDialog title="Revoke key?" open={apiKey !== null} onClose={close}>
      {apiKey && (
        <div className="stack">
          <p>
            <strong>{keyLabel(apiKey)}</strong> stops working within seconds, everywhere. Pages and servers still using
            it get an error (image requests get the fallback picture). This cannot be undone.
          </p>
          {revoke.isError && <ErrorText error={revoke.error} />}
          <div className="dialog-actions">
            <button type="button" onClick={close} autoFocus>
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => void confirm().catch(() => {})}
              disabled={revoke.isPending}
            >
              Revoke key
            </button>
          </div>
        </div>
      )}
    </ModalDialog>
  );
}
