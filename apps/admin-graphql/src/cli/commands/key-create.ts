import { createApiKey } from '../../services/api-keys.service.ts';
import { getWorkspace } from '../../services/workspaces.service.ts';
import { type Command, jsonOption, requiredString, stringValue, UsageError } from '../command.ts';

export const keyCreate: Command = {
  name: 'key create',
  summary: 'Create an API key in a workspace and print it',
  help: `Usage: avtrz key create --workspace <id> --type publishable|secret [options]

Creates an API key and prints it (shown once: store it now).

Options:
  --workspace <id>     Workspace id (required; see: avtrz workspace list)
  --type <type>        publishable (pk_live_…, for web pages) or secret (sk_live_…, for servers) (required)
  --name <name>        A name to recognise the key by
  --domain <domain>    An allowed domain (example.com, *.example.com or localhost); repeat for more.
                       Without any, the key works from any domain.
  --json               Print the result as JSON
  -h, --help           Show this help`,
  options: {
    workspace: { type: 'string' },
    type: { type: 'string' },
    name: { type: 'string' },
    domain: { type: 'string', multiple: true },
    ...jsonOption,
  },
  async run(db, args, out) {
    const workspace = await getWorkspace(db, requiredString(args, 'workspace'));
    const type = requiredString(args, 'type');
    if (type !== 'publishable' && type !== 'secret')
      throw new UsageError(`--type must be publishable or secret, not "${type}"`);
    const domains = args.values.domain;
    const { apiKey, key } = await createApiKey(db, workspace.id, {
      type,
      name: stringValue(args, 'name'),
      allowedDomains: Array.isArray(domains) ? domains.filter((d) => typeof d === 'string') : [],
    });
    if (args.values.json) {
      out.json({
        apiKey: { id: apiKey.id, type: apiKey.type, prefix: apiKey.prefix, allowedDomains: apiKey.allowed_domains },
        key,
      });
      return;
    }
    out.line(`Created ${apiKey.type} key ${apiKey.id} in workspace "${workspace.name}"`);
    out.line(`Allowed domains: ${apiKey.allowed_domains.length ? apiKey.allowed_domains.join(', ') : 'any'}`);
    out.line();
    out.line('The key, shown once; store it now:');
    out.line(key);
  },
};
