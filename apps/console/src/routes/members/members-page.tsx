import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorText } from '../../components/error-text.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, QueryState } from '../../components/query-state.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { useWorkspaceId } from '../../navigation/workspace-route.ts';
import { useSession } from '../../session.ts';
import { useTRPC } from '../../trpc.ts';
import { InviteDialog } from './invite-dialog.tsx';

type Role = 'owner' | 'member';

export function MembersPage() {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const queryClient = useQueryClient();
  const session = useSession();
  const isOwner = session.data?.workspaces.find((w) => w.id === workspaceId)?.role === 'owner';
  const members = useQuery(trpc.members.list.queryOptions({ workspaceId }));
  const invitations = useQuery({ ...trpc.invitations.list.queryOptions({ workspaceId }), enabled: isOwner });
  const [inviting, setInviting] = useState(false);
  const [removing, setRemoving] = useState<{ userId: string; email: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.members.list.pathFilter());
  const updateRole = useMutation(trpc.members.updateRole.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onSettled: refresh }));
  const revokeInvitation = useMutation(
    trpc.invitations.revoke.mutationOptions({
      onSettled: () => queryClient.invalidateQueries(trpc.invitations.list.pathFilter()),
    }),
  );

  return (
    <>
      <PageHeader title="Members">
        {isOwner && (
          <button type="button" className="primary" onClick={() => setInviting(true)}>
            Invite
          </button>
        )}
      </PageHeader>
      {!isOwner && <p className="muted">Only owners change members.</p>}
      {updateRole.isError && <ErrorText error={updateRole.error} />}
      <QueryState query={members} label="members">
        {(list) => (
          <div className="table-wrap">
            <table aria-label="Members" className="stacked">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Joined</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((member) => (
                  <tr key={member.userId}>
                    <td data-label="Name">{member.name || <span className="muted">—</span>}</td>
                    <td data-label="Email">{member.email}</td>
                    <td data-label="Role">
                      {isOwner ? (
                        <select
                          aria-label={`Role of ${member.email}`}
                          value={member.role}
                          disabled={updateRole.isPending}
                          onChange={(e) =>
                            updateRole.mutate({ workspaceId, userId: member.userId, role: e.target.value as Role })
                          }
                        >
                          <option value="owner">Owner</option>
                          <option value="member">Member</option>
                        </select>
                      ) : member.role === 'owner' ? (
                        'Owner'
                      ) : (
                        'Member'
                      )}
                    </td>
                    <td data-label="Joined">{formatDate(member.joinedAt)}</td>
                    <td data-label="Actions">
                      {isOwner && (
                        <button
                          type="button"
                          className="small"
                          aria-label={`Remove ${member.email}`}
                          onClick={() => setRemoving({ userId: member.userId, email: member.email })}
                        >
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      {isOwner && (
        <>
          <h2>Open invitations</h2>
          {revokeInvitation.isError && <ErrorText error={revokeInvitation.error} />}
          <QueryState query={invitations} label="invitations">
            {(list) =>
              list.length === 0 ? (
                <EmptyState title="No open invitations">
                  <p>Invite someone by email; you get a link to send them.</p>
                </EmptyState>
              ) : (
                <div className="table-wrap">
                  <table aria-label="Open invitations" className="stacked">
                    <thead>
                      <tr>
                        <th scope="col">Email</th>
                        <th scope="col">Role</th>
                        <th scope="col">Expires</th>
                        <th scope="col">
                          <span className="visually-hidden">Actions</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((invitation) => (
                        <tr key={invitation.id}>
                          <td data-label="Email">{invitation.email}</td>
                          <td data-label="Role">{invitation.role === 'owner' ? 'Owner' : 'Member'}</td>
                          <td data-label="Expires">{formatDateTime(invitation.expiresAt)}</td>
                          <td data-label="Actions">
                            <button
                              type="button"
                              className="small"
                              aria-label={`Revoke invitation for ${invitation.email}`}
                              onClick={() => revokeInvitation.mutate({ workspaceId, id: invitation.id })}
                            >
                              Revoke
                            </button>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )
            }
          </QueryState>
        </>
      )}
      <InviteDialog open={inviting} onClose={() => setInviting(false)} />
      <ConfirmDialog
        title="Remove member?"
        open={removing !== null}
        confirmLabel="Remove member"
        pending={remove.isPending}
        error={remove.isError ? remove.error : null}
        onConfirm={() => {
          if (removing) remove.mutate({ workspaceId, userId: removing.userId }, { onSuccess: () => setRemoving(null) });
        }}
        onClose={() => setRemoving(null)}
      >
        {removing && <p>{removing.email} loses access to this workspace at once. Their keys keep working.</p>}
      </ConfirmDialog>
    </>
  );
}
