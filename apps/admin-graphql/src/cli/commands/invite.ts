import { consoleUrlFor } from '@avtrz/shared/config';
import { createInvitation } from '../../services/invitations.service.ts';
import { getWorkspace } from '../../services/workspaces.service.ts';
import { type Command, jsonOption, requiredString, stringValue, UsageError } from '../command.ts';

export const invite: Command = {
  name: 'invite',
  summary: 'Invite a person into a workspace and print the single-use link',
  help: `Usage: avtrz invite --workspace <id> --email <email> [--role owner]

Prints a link that lets the person set a password (or join with the account they have). It works once
and expires after 7 days. No email is sent: hand the link over yourself.

Options:
  --workspace <id>     Workspace id (required; see: avtrz workspace list)
  --email <email>      The invited person's email (required)
  --role <role>        member (manages keys, the default) or owner (also manages members)
  --json               Print the result as JSON
  -h, --help           Show this help

Links start with CONSOLE_URL (default: http://HOST:ADMIN_PORT).`,
  options: {
    workspace: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string' },
    ...jsonOption,
  },
  async run(db, args, out, config) {
    const workspace = await getWorkspace(db, requiredString(args, 'workspace'));
    const email = requiredString(args, 'email');
    const role = stringValue(args, 'role') ?? 'member';
    if (role !== 'owner' && role !== 'member') throw new UsageError(`--role must be owner or member, not "${role}"`);
    const { invitation, url } = await createInvitation(
      db,
      { workspaceId: workspace.id, email, role, invitedBy: null, consoleUrl: consoleUrlFor(config) },
      new Date(),
    );
    if (args.values.json) {
      out.json({
        id: invitation.id,
        email: invitation.email,
        role: invitation.role,
        url,
        expiresAt: invitation.expires_at,
      });
      return;
    }
    out.line(
      `Invited ${invitation.email} as ${invitation.role} of "${workspace.name}" (until ${invitation.expires_at.toISOString()}).`,
    );
    out.line('The link, shown once; it works one time:');
    out.line(url);
  },
};
