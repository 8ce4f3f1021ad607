import type { ApiKeyRow } from '@avtrz/db/schema';
import { actingWorkspaceId } from '../auth/actor.ts';
import { builder } from '../builder.ts';
import { type ApiKeyPage, keyCursor, MAX_PAGE_SIZE, pageApiKeys } from '../services/api-key-page.service.ts';
import { ApiKey } from './api-key.ts';

const ApiKeyEdge = builder.objectRef<ApiKeyRow>('ApiKeyEdge').implement({
  fields: (t) => ({
    cursor: t.string({ resolve: (key) => keyCursor(key) }),
    node: t.field({ type: ApiKey, resolve: (key) => key }),
  }),
});

const PageInfo = builder.objectRef<ApiKeyPage>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.string({
      nullable: true,
      resolve: (page) => {
        const last = page.keys.at(-1);
        return last ? keyCursor(last) : null;
      },
    }),
  }),
});

const ApiKeyConnection = builder.objectRef<ApiKeyPage>('ApiKeyConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [ApiKeyEdge], resolve: (page) => page.keys }),
    pageInfo: t.field({ type: PageInfo, resolve: (page) => page }),
  }),
});

builder.queryField('apiKeysConnection', (t) =>
  t.field({
    type: ApiKeyConnection,
    description: `The same list as apiKeys, a page at a time (first: 1 to ${MAX_PAGE_SIZE}, default 20; after: a cursor).`,
    args: {
      first: t.arg.int({ defaultValue: 20 }),
      after: t.arg.string(),
      includeRevoked: t.arg.boolean({ defaultValue: false }),
    },
    resolve: async (_root, args, ctx) =>
      pageApiKeys(ctx.db, await actingWorkspaceId(ctx.db, ctx.actor), {
        first: args.first ?? 20,
        after: args.after,
        includeRevoked: args.includeRevoked ?? false,
        now: ctx.now,
      }),
  }),
);
