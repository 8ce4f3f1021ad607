import type { AppRouter } from '@avtrz/admin-graphql/trpc';
import type { inferRouterOutputs } from '@trpc/server';

export type KeyView = inferRouterOutputs<AppRouter>['apiKeys']['list'][number];

export type KeyState =
  | { readonly kind: 'active' }
  | { readonly kind: 'expiring'; readonly at: string }
  | { readonly kind: 'revoked'; readonly at: string };

/** A future revocation time is a rolled key's grace period: it still works until then. */
export function keyState(key: Pick<KeyView, 'revokedAt'>, now: Date = new Date()): KeyState {
  if (!key.revokedAt) return { kind: 'active' };
  return new Date(key.revokedAt) > now
    ? { kind: 'expiring', at: key.revokedAt }
    : { kind: 'revoked', at: key.revokedAt };
}

/** What may be shown of a key after creation: its type prefix, four characters and the last four. */
export function maskedKey(key: Pick<KeyView, 'prefix' | 'last4'>): string {
  return `${key.prefix}…${key.last4}`;
}

export function keyLabel(key: Pick<KeyView, 'name' | 'prefix' | 'last4'>): string {
  return key.name ? `${key.name} (${maskedKey(key)})` : maskedKey(key);
}

/** One entry per line or comma, as people paste them; the server normalises and checks each. */
export function splitDomains(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}
