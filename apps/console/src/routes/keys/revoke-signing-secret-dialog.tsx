import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { useWorkspaceId } from '../../navigation/workspace-route.ts';
import { useTRPC } from '../../trpc.ts';
import { maskedSecret, type SigningSecretView } from './signing-secret-view.ts';

/** Asks before a signing secret stops working; URLs signed with it are then refused everywhere. */
export function RevokeSigningSecretDialog({
  secret,
  onClose,
}: {
  readonly secret: SigningSecretView | null;
  readonly onClose: () => void;
}) {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const queryClient = useQueryClient();
  const revoke = useMutation(trpc.signingSecrets.revoke.mutationOptions());

  const close = () => {
    revoke.reset();
    onClose();
  };

  const confirm = async () => {
    if (!secret) return;
    await revoke.mutateAsync({ workspaceId, id: secret.id });
    await queryClient.invalidateQueries(trpc.signingSecrets.list.pathFilter());
    close();
  };

  return (
    <ConfirmDialog
      title="Revoke signing secret?"
      open={secret !== null}
      confirmLabel="Revoke secret"
      pending={revoke.isPending}
      error={revoke.isError ? revoke.error : null}
      onConfirm={() => void confirm().catch(() => {})}
      onClose={close}
    >
      {secret && (
        <p>
          URLs signed with <code>{maskedSecret(secret)}</code> stop working within seconds, everywhere (answered{' '}
          <code>401 invalid_signature</code>). Sign with the key&apos;s other secret first. This cannot be undone.
        </p>
      )}
    </ConfirmDialog>
  );
}
