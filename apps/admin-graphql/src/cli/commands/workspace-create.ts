import { createWorkspace } from '../../services/workspaces.service.ts';
import { type Command, intValue, jsonOption, requiredString } from '../command.ts';
import { planLine } from './_format.ts';

export const workspaceCreate: Command = {
  name: 'workspace create',
  summary: 'Create a workspace and print its first secret key',
  help: `Usage: avtrz workspace create --name <name> [options]

Creates a workspace and prints its first secret key (shown once: store it now).

Options:
  --name <name>               Workspace name (required)
  --request-quota <n>         Billable avatar requests per month (default 10000)
  --new-profile-quota <n>     Profiles new to the workspace per month (default 1000)
  --rate-limit <n>            Requests per minute per key (default 600)
  --json                      Print the result as JSON
  -h, --help                  Show this help`,
  options: {
    name: { type: 'string' },
    'request-quota': { type: 'string' },
    'new-profile-quota': { type: 'string' },
    'rate-limit': { type: 'string' },
    ...jsonOption,
  },
  async run(db, args, out) {
    const created = await createWorkspace(db, {
      name: requiredString(args, 'name'),
      plan: {
        monthlyRequestQuota: intValue(args, 'request-quota'),
        monthlyNewProfileQuota: intValue(args, 'new-profile-quota'),
        rateLimitPerMinute: intValue(args, 'rate-limit'),
      },
    });
    const { workspace, apiKey, key } = created;
    if (args.values.json) {
      out.json({
        workspace: { id: workspace.id, name: workspace.name },
        apiKey: { id: apiKey.id, prefix: apiKey.prefix },
        key,
      });
      return;
    }
    out.line(`Created workspace "${workspace.name}" (${workspace.id})`);
    out.line(`Plan: ${planLine(workspace)}`);
    out.line();
    out.line(`First secret key (${apiKey.id}), shown once; store it now:`);
    out.line(key);
  },
};
