import { useId } from 'react';
import { navigate } from '../navigation/location.ts';
import { type WorkspacePage, workspacePath } from '../navigation/workspace-route.ts';

interface WorkspaceSwitcherProps {
  readonly workspaces: readonly { id: string; name: string }[];
  readonly current: string;
  readonly page: WorkspacePage;
}

/** For people in several workspaces: the same page in another workspace. */
export function WorkspaceSwitcher({ workspaces, current, page }: WorkspaceSwitcherProps) {
  const id = useId();
  if (workspaces.length < 2) {
    return <div className="muted">{workspaces.find((w) => w.id === current)?.name}</div>;
  }
  return (
    <div className="field">
      <label htmlFor={id}>Workspace</label>
      <select id={id} value={current} onChange={(event) => navigate(workspacePath(event.target.value, page))}>
        {workspaces.map((workspace) => (
          <option key={workspace.id} value={workspace.id}>
            {workspace.name}
          </option>
        ))}
      </select>
    </div>
  );
}
