import type { Db } from '@avtrz/db/client';
import { findApiKeyInWorkspace, listApiKeys } from '@avtrz/db/queries/api-keys.queries';
import type { ApiKeyRow } from '@avtrz/db/schema';
import { invalidInput, isUuid } from './_invalid-input.ts';

/** One page of a workspace's keys, oldest first, for consoles that show long lists. */

export const MAX_PAGE_SIZE = 100;

export interface ApiKeyPage {
  readonly keys: readonly ApiKeyRow[];
  readonly hasNextPage: boolean;
}

/** Cursors are opaque to clients; inside they name the last key of the previous page. */
export function keyCursor(key: Pick<ApiKeyRow, 'id'>): string {
  return Buffer.from(`key:${key.id}`).toString('base64url');
}

function decodeCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith('key:') ? text.slice(4) : '';
  return isUuid(id) ? id : undefined;
}

export async function pageApiKeys(
  db: Db,
  workspaceId: string,
  options: { first: number; after?: string | null | undefined; includeRevoked: boolean; now: Date },
): Promise<ApiKeyPage> {
  if (!Number.isInteger(options.first) || options.first < 1 || options.first > MAX_PAGE_SIZE) {
    throw invalidInput('first', `ask for 1 to ${MAX_PAGE_SIZE} keys per page`);
  }
  let afterId: string | undefined;
  if (options.after !== undefined && options.after !== null) {
    afterId = decodeCursor(options.after);
    if (afterId === undefined || !(await findApiKeyInWorkspace(db, workspaceId, afterId))) {
      throw invalidInput('after', 'use an endCursor or cursor from an earlier page of this list');
    }
  }
  const rows = await listApiKeys(db, workspaceId, {
    includeRevoked: options.includeRevoked,
    now: options.now,
    afterId,
    limit: options.first + 1,
  });
  return { keys: rows.slice(0, options.first), hasNextPage: rows.length > options.first };
}
