import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, QueryState } from '../../components/query-state.tsx';
import { useWorkspaceId } from '../../navigation/workspace-route.ts';
import { useTRPC } from '../../trpc.ts';
import { CreateKeyDialog } from './create-key-dialog.tsx';
import { EditKeyDialog } from './edit-key-dialog.tsx';
import type { KeyView } from './key-view.ts';
import { KeysTable } from './keys-table.tsx';
import { RevokeKeyDialog } from './revoke-key-dialog.tsx';
import { RollKeyDialog } from './roll-key-dialog.tsx';
import { SigningSecretsDialog } from './signing-secrets-dialog.tsx';

export function KeysPage() {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const [showRevoked, setShowRevoked] = useState(false);
  const keys = useQuery(trpc.apiKeys.list.queryOptions({ workspaceId, includeRevoked: showRevoked }));
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<KeyView | null>(null);
  const [rolling, setRolling] = useState<KeyView | null>(null);
  const [revoking, setRevoking] = useState<KeyView | null>(null);
  const [signing, setSigning] = useState<KeyView | null>(null);

  return (
    <>
      <PageHeader title="API keys">
        <label className="checkbox hint">
          <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />
          Show revoked
        </label>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create key
        </button>
      </PageHeader>
      <p className="muted">
        Publishable keys go in your pages and work only from their allowed domains (or from URLs signed with one of
        their signing secrets, for emails and apps); secret keys stay on your servers.
      </p>
      <QueryState query={keys} label="keys">
        {(list) =>
          list.length === 0 ? (
            <EmptyState title="No keys yet">
              <p>Create a publishable key for your site, then copy an &lt;img&gt; tag from the Quickstart.</p>
            </EmptyState>
          ) : (
            <KeysTable
              keys={list}
              onEdit={setEditing}
              onRoll={setRolling}
              onRevoke={setRevoking}
              onSigningSecrets={setSigning}
            />
          )
        }
      </QueryState>
      <CreateKeyDialog open={creating} onClose={() => setCreating(false)} />
      <EditKeyDialog apiKey={editing} onClose={() => setEditing(null)} />
      <RollKeyDialog apiKey={rolling} onClose={() => setRolling(null)} />
      <RevokeKeyDialog apiKey={revoking} onClose={() => setRevoking(null)} />
      <SigningSecretsDialog apiKey={signing} onClose={() => setSigning(null)} />
    </>
  );
}
