import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ErrorText } from '../../components/error-text.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, QueryState } from '../../components/query-state.tsx';
import { formatDateTime, formatRelativeTime } from '../../format.ts';
import { useWorkspaceId } from '../../navigation/workspace-route.ts';
import { useTRPC } from '../../trpc.ts';

const statusText: Record<string, string> = {
  resolved: 'Photo found',
  pending: 'Being looked up',
  no_photo: 'No public photo',
  failed: 'Lookup failed (retried later)',
};

export function ProfilesPage() {
  const [username, setUsername] = useState<string | null>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('username')).trim();
    setUsername(value || null);
  };
  return (
    <>
      <PageHeader title="Profiles" />
      <form className="row" onSubmit={submit} role="search">
        <label className="grow">
          LinkedIn handle
          <span className="hint">The part after linkedin.com/in/</span>
          <input name="username" placeholder="alex-rivera" required autoComplete="off" />
        </label>
        <button type="submit" className="primary align-end">
          Look up
        </button>
      </form>
      {username ? (
        <ProfileResult username={username} />
      ) : (
        <p className="muted">See what the avatar endpoint serves for a person, and ask for a fresh look.</p>
      )}
    </>
  );
}

function ProfileResult({ username }: { readonly username: string }) {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const queryClient = useQueryClient();
  const lookup = useQuery(trpc.profiles.lookup.queryOptions({ workspaceId, username }));
  const refresh = useMutation(
    trpc.profiles.refresh.mutationOptions({
      onSuccess: (profile) =>
        queryClient.setQueryData(trpc.profiles.lookup.queryKey({ workspaceId, username }), profile),
    }),
  );
  return (
    <section aria-label="Profile" className="stack">
      <QueryState query={lookup} label="the profile">
        {(profile) => (
          <>
            {profile ? (
              <div className="card stack">
                <h2>{profile.username}</h2>
                <dl className="facts">
                  <dt>Status</dt>
                  <dd>{statusText[profile.status] ?? profile.status}</dd>
                  <dt>Last check</dt>
                  <dd>
                    {profile.checkedAt
                      ? `${formatRelativeTime(profile.checkedAt)} (${formatDateTime(profile.checkedAt)})`
                      : 'Not yet'}
                  </dd>
                  <dt>Photo since</dt>
                  <dd>{profile.resolvedAt ? formatDateTime(profile.resolvedAt) : '—'}</dd>
                </dl>
                {Object.values(profile.imageUrls).some(Boolean) && (
                  <div className="photos">
                    {Object.entries(profile.imageUrls).map(([size, url]) =>
                      url ? (
                        <figure key={size}>
                          <img
                            src={url}
                            width={Number(size)}
                            height={Number(size)}
                            alt={`${profile.username}, ${size} px`}
                          />
                          <figcaption>{size} px</figcaption>
                        </figure>
                      ) : null,
                    )}
                  </div>
                )}
              </div>
            ) : (
              <EmptyState title="Nobody has asked for this profile yet">
                <p>Refresh to look it up now; the first avatar request would do the same.</p>
              </EmptyState>
            )}
            {refresh.isError && <ErrorText error={refresh.error} />}
            <div>
              <button
                type="button"
                onClick={() => refresh.mutate({ workspaceId, username })}
                disabled={refresh.isPending}
              >
                {refresh.isPending ? 'Refreshing…' : 'Refresh'}
              </button>
              {refresh.isSuccess && (
                <span role="status" className="hint">
                  {' '}
                  Queued: the photo is fetched again in the background.
                </span>
              )}
            </div>
          </>
        )}
      </QueryState>
    </section>
  );
}
