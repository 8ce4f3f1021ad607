import type { ApiKeyRow, WorkspaceRow } from '@avtrz/db/schema';

export function planLine(workspace: WorkspaceRow): string {
  return `${workspace.monthly_request_quota} requests/month, ${workspace.monthly_new_profile_quota} new profiles/month, ${workspace.rate_limit_per_minute} requests/minute per key`;
}

export function keyLine(key: ApiKeyRow, now: Date): string {
  const state =
    key.revoked_at === null ? 'active' : key.revoked_at > now ? `expires ${key.revoked_at.toISOString()}` : 'revoked';
  const domains = key.allowed_domains.length ? key.allowed_domains.join(',') : 'any domain';
  return [key.id, key.type, `${key.prefix}…${key.last4}`, state, domains, key.name ?? ''].join('  ').trimEnd();
}
