import { allWorkspaces } from '../../services/workspaces.service.ts';
import { type Command, jsonOption } from '../command.ts';
import { planLine } from './_format.ts';

export const workspaceList: Command = {
  name: 'workspace list',
  summary: 'List the workspaces of this installation',
  help: `Usage: avtrz workspace list [--json]

Lists every workspace with its id and plan, oldest first.

Options:
  --json        Print the result as JSON
  -h, --help    Show this help`,
  options: { ...jsonOption },
  async run(db, args, out) {
    const workspaces = await allWorkspaces(db);
    if (args.values.json) {
      out.json(
        workspaces.map((w) => ({
          id: w.id,
          name: w.name,
          plan: {
            monthlyRequestQuota: w.monthly_request_quota,
            monthlyNewProfileQuota: w.monthly_new_profile_quota,
            rateLimitPerMinute: w.rate_limit_per_minute,
          },
          createdAt: w.created_at.toISOString(),
        })),
      );
      return;
    }
    if (workspaces.length === 0) out.line('No workspaces yet; create one with: avtrz workspace create --name <name>');
    for (const w of workspaces) out.line(`${w.id}  ${w.name}  (${planLine(w)})`);
  },
};
