import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { ApiReferenceLink } from '../components/api-reference-link.tsx';
import { Link } from '../navigation/link.tsx';
import { type WorkspacePage, workspacePages, workspacePath } from '../navigation/workspace-route.ts';
import { useTRPC } from '../trpc.ts';
import { SignOutButton } from './sign-out-button.tsx';
import { WorkspaceSwitcher } from './workspace-switcher.tsx';

export const pageTitles: Record<WorkspacePage, string> = {
  keys: 'API keys',
  usage: 'Usage',
  traffic: 'Traffic',
  quickstart: 'Quickstart',
  profiles: 'Profiles',
  members: 'Members',
};

interface WorkspaceShellProps {
  readonly email: string;
  readonly workspaces: readonly { id: string; name: string; role: string }[];
  readonly workspaceId: string;
  readonly page: WorkspacePage;
  readonly children: React.ReactNode;
}

export function WorkspaceShell({ email, workspaces, workspaceId, page, children }: WorkspaceShellProps) {
  const main = useRef<HTMLElement>(null);
  const trpc = useTRPC();
  const settings = useQuery({ ...trpc.config.public.queryOptions(), staleTime: Infinity });
  const isOwner = workspaces.find((w) => w.id === workspaceId)?.role === 'owner';
  const visiblePages = workspacePages.filter((p) => p !== 'members' || isOwner);

  // After a navigation, the title says where one is and focus starts at the page's heading.
  useEffect(() => {
    document.title = `${pageTitles[page]} · avtrz console`;
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [page, workspaceId]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="sidebar">
        <div className="brand">avtrz</div>
        <WorkspaceSwitcher workspaces={workspaces} current={workspaceId} page={page} />
        <nav className="nav" aria-label="Console">
          {visiblePages.map((p) => (
            <Link key={p} to={workspacePath(workspaceId, p)}>
              {pageTitles[p]}
            </Link>
          ))}
          {settings.data && <ApiReferenceLink publicApiUrl={settings.data.publicApiUrl} className="nav-external" />}
        </nav>
        <div className="account">
          <span className="who">{email}</span>
          <SignOutButton />
        </div>
      </header>
      <main id="main" className="content" ref={main}>
        {children}
      </main>
    </div>
  );
}
