import { revokeAnyApiKey } from '../../services/api-keys.service.ts';
import { type Command, jsonOption, UsageError } from '../command.ts';
import { apiKeyView } from '../../services/api-key-view.ts';

export const keyRevoke: Command = {
  name: 'key revoke',
  summary: 'Revoke an API key (every API process stops accepting it within 2 seconds)',
  help: `Usage: avtrz key revoke <key-id> [--json]

Revokes the key with this id (see: avtrz key list). Revoking a revoked key changes nothing.

Options:
  --json        Print the result as JSON
  -h, --help    Show this help`,
  options: { ...jsonOption },
  allowPositionals: true,
  async run(db, args, out) {
    const [id, ...extra] = args.positionals;
    if (!id) throw new UsageError('name the key to revoke: avtrz key revoke <key-id>');
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const key = await revokeAnyApiKey(db, id, new Date());
    if (args.values.json) {
      out.json(apiKeyView(key));
      return;
    }
    out.line(`Revoked key ${key.id} (${key.prefix}…${key.last4}) at ${key.revoked_at?.toISOString()}`);
  },
};
