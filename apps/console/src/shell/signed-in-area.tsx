import { useQuery } from '@tanstack/react-query';
import { type ComponentType, useEffect } from 'react';
import { ErrorText } from '../components/error-text.tsx';
import { navigate } from '../navigation/location.ts';
import { parseWorkspacePath, type WorkspacePage, workspacePath } from '../navigation/workspace-route.ts';
import { KeysPage } from '../routes/keys/keys-page.tsx';
import { MembersPage } from '../routes/members/members-page.tsx';
import { ProfilesPage } from '../routes/profiles/profiles-page.tsx';
import { QuickstartPage } from '../routes/quickstart/quickstart-page.tsx';
import { TrafficPage } from '../routes/traffic/traffic-page.tsx';
import { UsagePage } from '../routes/usage/usage-page.tsx';
import { isSignedOut, useSession } from '../session.ts';
import { useTRPC } from '../trpc.ts';
import { SignOutButton } from './sign-out-button.tsx';
import { WorkspaceShell } from './workspace-shell.tsx';

const pages: Record<WorkspacePage, ComponentType> = {
  keys: KeysPage,
  usage: UsagePage,
  traffic: TrafficPage,
  quickstart: QuickstartPage,
  profiles: ProfilesPage,
  members: MembersPage,
};

/** Every path but sign-in, setup and invitations: the workspace pages, for a signed-in person. */
export function SignedInArea({ path }: { readonly path: string }) {
  const session = useSession();
  const route = parseWorkspacePath(path);
  const first = session.data?.workspaces[0];

  useEffect(() => {
    // `/` and unknown paths open the first workspace's keys.
    if (!route && first) navigate(workspacePath(first.id, 'keys'), { replace: true });
  }, [route, first]);

  if (session.isPending) return <FullPageStatus>Loading…</FullPageStatus>;
  if (session.isError) {
    if (isSignedOut(session.error)) return <SignedOut />;
    return (
      <FullPageStatus>
        <ErrorText error={session.error} />
        <button type="button" onClick={() => void session.refetch()}>
          Try again
        </button>
      </FullPageStatus>
    );
  }
  const { user, workspaces } = session.data;
  if (workspaces.length === 0) {
    return (
      <FullPageStatus>
        <h1>No workspace yet</h1>
        <p>You are signed in as {user.email} but belong to no workspace. Ask a workspace owner for an invitation.</p>
        <SignOutButton />
      </FullPageStatus>
    );
  }
  if (!route) return <FullPageStatus>Opening your workspace…</FullPageStatus>;
  if (!workspaces.some((w) => w.id === route.workspaceId)) {
    return (
      <FullPageStatus>
        <h1>Not one of your workspaces</h1>
        <p>
          <a href={workspacePath(workspaces[0]!.id, 'keys')}>Open {workspaces[0]!.name}</a>
        </p>
      </FullPageStatus>
    );
  }
  const Page = pages[route.page];
  return (
    <WorkspaceShell email={user.email} workspaces={workspaces} workspaceId={route.workspaceId} page={route.page}>
      <Page key={route.workspaceId} />
    </WorkspaceShell>
  );
}

/** No session: the first-run setup while the installation has no account, else the sign-in form. */
function SignedOut() {
  const trpc = useTRPC();
  const setup = useQuery(trpc.setup.status.queryOptions());
  useEffect(() => {
    if (setup.data) navigate(setup.data.open ? '/setup' : '/sign-in', { replace: true });
    else if (setup.isError) navigate('/sign-in', { replace: true });
  }, [setup.data, setup.isError]);
  return <FullPageStatus>Loading…</FullPageStatus>;
}

function FullPageStatus({ children }: { readonly children: React.ReactNode }) {
  return (
    <main className="auth-page" role="status">
      {children}
    </main>
  );
}
