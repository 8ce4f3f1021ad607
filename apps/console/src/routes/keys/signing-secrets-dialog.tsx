import { MAX_ACTIVE_SIGNING_SECRETS } from '@avtrz/shared/signing-secrets';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorText } from '../../components/error-text.tsx';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { formatCount, formatDateTime, formatRelativeTime } from '../../format.ts';
import { useWorkspaceId } from '../../navigation/workspace-route.ts';
import { useTRPC } from '../../trpc.ts';
import { type KeyView, keyLabel } from './key-view.ts';
import { RevokeSigningSecretDialog } from './revoke-signing-secret-dialog.tsx';
import { ShownKey } from './shown-key.tsx';
import { maskedSecret, type SigningSecretView } from './signing-secret-view.ts';

function SecretsTable({
  secrets,
  onRevoke,
}: {
  readonly secrets: readonly SigningSecretView[];
  readonly onRevoke: (secret: SigningSecretView) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="stacked">
        <caption className="visually-hidden">Signing secrets</caption>
        <thead>
          <tr>
            <th scope="col">Secret</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {secrets.map((secret) => (
            <tr key={secret.id}>
              <td data-label="Secret">
                <code>{maskedSecret(secret)}</code>
              </td>
              <td data-label="Created" title={formatDateTime(secret.createdAt)}>
                {formatRelativeTime(secret.createdAt)}
              </td>
              <td data-label="Status">
                {secret.revokedAt ? (
                  <span className="badge bad" title={formatDateTime(secret.revokedAt)}>
                    Revoked {formatRelativeTime(secret.revokedAt)}
                  </span>
                ) : (
                  <span className="badge ok">Active</span>
                )}
              </td>
              <td data-label="Actions">
                {!secret.revokedAt && (
                  <button
                    type="button"
                    className="small"
                    aria-label={`Revoke signing secret ${maskedSecret(secret)}`}
                    onClick={() => onRevoke(secret)}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A publishable key's signing secrets (CONTRACT §8): list, create (the secret is shown once, here), revoke
 * after a confirmation. The two-active limit is the API's; its refusal is shown as it words it.
 */
export function SigningSecretsDialog({
  apiKey,
  onClose,
}: {
  readonly apiKey: KeyView | null;
  readonly onClose: () => void;
}) {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const queryClient = useQueryClient();
  const secrets = useQuery({
    ...trpc.signingSecrets.list.queryOptions({ workspaceId, keyId: apiKey?.id ?? '', includeRevoked: true }),
    enabled: apiKey !== null,
  });
  const create = useMutation(trpc.signingSecrets.create.mutationOptions());
  // The full secret: here and nowhere else (not in the query cache, the URL or storage).
  const [newSecret, setNewSecret] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<SigningSecretView | null>(null);

  const close = () => {
    setNewSecret(null);
    create.reset();
    onClose();
  };

  const createSecret = async () => {
    if (!apiKey) return;
    const created = await create.mutateAsync({ workspaceId, keyId: apiKey.id });
    setNewSecret(created.secret);
    // The mutation's own record of the answer would hold the secret too: drop it.
    create.reset();
    await queryClient.invalidateQueries(trpc.signingSecrets.list.pathFilter());
  };

  return (
    <>
      <ModalDialog
        title={newSecret ? 'Your new signing secret' : `Signing secrets of ${apiKey ? keyLabel(apiKey) : 'key'}`}
        open={apiKey !== null}
        onClose={close}
      >
        {newSecret ? (
          <div className="stack">
            <ShownKey
              value={newSecret}
              noun="signing secret"
              why="put it in your server's configuration; the console cannot show it again."
            />
            <p className="hint">
              Sign each URL on your server, e.g. with <code>signAvatarUrl(url, secret)</code> from{' '}
              <code>@avtrz/client</code>. Never send the secret to a browser.
            </p>
            <div className="dialog-actions">
              <button type="button" className="primary" onClick={() => setNewSecret(null)}>
                Done
              </button>
            </div>
          </div>
        ) : (
          <div className="stack">
            <p>
              Signed URLs are for emails, native apps and pages sent with <code>Referrer-Policy: no-referrer</code>,
              where no Origin or Referer arrives to check against the allowed domains: your server signs each URL with a
              secret, and the API serves it without the domain check.
            </p>
            <QueryState query={secrets} label="signing secrets">
              {(list) => {
                const active = list.filter((s) => !s.revokedAt).length;
                return (
                  <>
                    <p role="status">
                      <strong>
                        {formatCount(active)} of {formatCount(MAX_ACTIVE_SIGNING_SECRETS)} active.
                      </strong>{' '}
                      <span className="hint">
                        A key has at most {formatCount(MAX_ACTIVE_SIGNING_SECRETS)} active secrets at a time: to rotate,
                        create the new one, deploy it, then revoke the old one.
                      </span>
                    </p>
                    {list.length === 0 ? (
                      <p className="muted">No signing secrets yet.</p>
                    ) : (
                      <SecretsTable secrets={list} onRevoke={setRevoking} />
                    )}
                  </>
                );
              }}
            </QueryState>
            {create.isError && <ErrorText error={create.error} />}
            <div className="dialog-actions">
              <button type="button" onClick={close}>
                Close
              </button>
              <button
                type="button"
                className="primary"
                onClick={() => void createSecret().catch(() => {})}
                disabled={create.isPending}
              >
                Create signing secret
              </button>
            </div>
          </div>
        )}
      </ModalDialog>
      <RevokeSigningSecretDialog
        secret={revoking}
        onClose={() => {
          setRevoking(null);
          // A refusal to create a third secret no longer holds once one is revoked.
          create.reset();
        }}
      />
    </>
  );
}
