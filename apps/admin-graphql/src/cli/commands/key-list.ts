import { listWorkspaceApiKeys } from '../../services/api-keys.service.ts';
import { getWorkspace } from '../../services/workspaces.service.ts';
import { type Command, jsonOption, requiredString } from '../command.ts';
import { apiKeyView } from '../../services/api-key-view.ts';
import { keyLine } from './_format.ts';

export const keyList: Command = {
  name: 'key list',
  summary: "List a workspace's API keys",
  help: `Usage: avtrz key list --workspace <id> [--include-revoked] [--json]

Lists a workspace's keys (id, type, prefix…last4, state, allowed domains, name), oldest first.
Full keys are never shown again after they are created.

Options:
  --workspace <id>     Workspace id (required)
  --include-revoked    Also list revoked keys
  --json               Print the result as JSON
  -h, --help           Show this help`,
  options: { workspace: { type: 'string' }, 'include-revoked': { type: 'boolean', default: false }, ...jsonOption },
  async run(db, args, out) {
    const workspace = await getWorkspace(db, requiredString(args, 'workspace'));
    const now = new Date();
    const keys = await listWorkspaceApiKeys(db, workspace.id, {
      includeRevoked: args.values['include-revoked'] === true,
      now,
    });
    if (args.values.json) {
      out.json(keys.map(apiKeyView));
      return;
    }
    for (const key of keys) out.line(keyLine(key, now));
  },
};
