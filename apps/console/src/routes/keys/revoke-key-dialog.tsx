import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
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
    <ConfirmDialog
      title="Revoke key?"
      open={apiKey !== null}
      confirmLabel="Revoke key"
      pending={revoke.isPending}
      error={revoke.isError ? revoke.error : null}
      onConfirm={() => void confirm().catch(() => {})}
      onClose={close}
    >
      {apiKey && (
        <p>
          <strong>{keyLabel(apiKey)}</strong> stops working within seconds, everywhere. Pages and servers still using it
          get an error (image requests get the fallback picture). This cannot be undone.
        </p>
      )}
    </ConfirmDialog>
  );
}
