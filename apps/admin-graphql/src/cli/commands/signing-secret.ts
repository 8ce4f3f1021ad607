import type { SigningSecretView } from '@avtrz/db/queries/signing-secrets.queries';
import { createSigningSecretForAnyKey, revokeAnySigningSecret } from '../../services/signing-secrets.service.ts';
import { type Command, jsonOption, UsageError } from '../command.ts';

/** Signing secrets of publishable keys (signed avatar URLs for emails and pages without Referer). */

const view = (secret: SigningSecretView) => ({
  id: secret.id,
  keyId: secret.keyId,
  last4: secret.last4,
  createdAt: secret.createdAt.toISOString(),
  revokedAt: secret.revokedAt?.toISOString() ?? null,
});

function onePositional(positionals: readonly string[], what: string, usage: string): string {
  const [id, ...extra] = positionals;
  if (!id) throw new UsageError(`name the ${what}: ${usage}`);
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  return id;
}

export const signingSecretCreate: Command = {
  name: 'signing-secret create',
  summary: 'Create a signing secret for a publishable key (shown once; at most two active per key)',
  help: `Usage: avtrz signing-secret create <key-id> [--json]

Creates a secret that signs avatar URLs of the publishable key with this id (see: avtrz key list), so that
they are served without the domain check. The secret is printed once. Rotate by creating a second one,
deploying it, then revoking the first.

Options:
  --json        Print the result as JSON
  -h, --help    Show this help`,
  options: { ...jsonOption },
  allowPositionals: true,
  async run(db, args, out) {
    const keyId = onePositional(args.positionals, 'publishable key', 'avtrz signing-secret create <key-id>');
    const created = await createSigningSecretForAnyKey(db, keyId, new Date());
    if (args.values.json) {
      out.json({ signingSecret: view(created.signingSecret), secret: created.secret });
      return;
    }
    out.line(`Signing secret ${created.signingSecret.id} for key ${keyId} (shown once, keep it on your server):`);
    out.line(created.secret);
  },
};

export const signingSecretRevoke: Command = {
  name: 'signing-secret revoke',
  summary: 'Revoke a signing secret (URLs signed with it stop working within 2 seconds)',
  help: `Usage: avtrz signing-secret revoke <secret-id> [--json]

Revokes the signing secret with this id. Revoking a revoked secret changes nothing.

Options:
  --json        Print the result as JSON
  -h, --help    Show this help`,
  options: { ...jsonOption },
  allowPositionals: true,
  async run(db, args, out) {
    const id = onePositional(args.positionals, 'signing secret', 'avtrz signing-secret revoke <secret-id>');
    const revoked = await revokeAnySigningSecret(db, id, new Date());
    if (args.values.json) {
      out.json(view(revoked));
      return;
    }
    out.line(`Revoked signing secret ${revoked.id} (…${revoked.last4}) at ${revoked.revokedAt?.toISOString()}`);
  },
};
