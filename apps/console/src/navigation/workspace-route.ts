import { usePathname } from './location.ts';

/** The workspace pages, in the order the navigation lists them. */
export const workspacePages = ['keys', 'usage', 'traffic', 'quickstart', 'profiles', 'members'] as const;
export type WorkspacePage = (typeof workspacePages)[number];

export function workspacePath(workspaceId: string, page: WorkspacePage): string {
  return `/w/${encodeURIComponent(workspaceId)}/${page}`;
}

/** `/w/<workspaceId>/<page>`, or null for any other path. */
export function parseWorkspacePath(path: string): { workspaceId: string; page: WorkspacePage } | null {
  const match = /^\/w\/([^/]+)\/([a-z]+)\/?$/.exec(path);
  if (!match) return null;
  const page = workspacePages.find((p) => p === match[2]);
  return page ? { workspaceId: decodeURIComponent(match[1] as string), page } : null;
}

/** The workspace of the page being shown (pages render only inside a workspace path). */
export function useWorkspaceId(): string {
  const route = parseWorkspacePath(usePathname());
  if (!route) throw new Error('a workspace page rendered outside /w/<workspaceId>/');
  return route.workspaceId;
}
