import type { ApiKeyRow } from '@avtrz/db/schema';

/** A key as JSON for the console and the CLI's --json output (times as ISO-8601 strings, as in GraphQL). */
export function apiKeyView(key: ApiKeyRow) {
  return {
    id: key.id,
    workspaceId: key.workspace_id,
    type: key.type,
    name: key.name,
    prefix: key.prefix,
    last4: key.last4,
    allowedDomains: key.allowed_domains,
    createdAt: key.created_at.toISOString(),
    lastUsedAt: key.last_used_at?.toISOString() ?? null,
    revokedAt: key.revoked_at?.toISOString() ?? null,
  };
}
