import type { ApiKeyRow } from '@avtrz/db/schema';
import { actingWorkspaceId } from '../auth/actor.ts';
import { builder } from '../builder.ts';
import {
  type CreatedKey,
  createApiKey,
  listWorkspaceApiKeys,
  type RolledKey,
  revokeApiKey,
  rollApiKey,
  updateApiKey,
} from '../services/api-keys.service.ts';
import { DateTime } from './date-time.ts';

export const ApiKeyType = builder.enumType('ApiKeyType', {
  values: {
    PUBLISHABLE: { value: 'publishable', description: 'pk_live_…: may call /v1/avatar only; safe in web pages.' },
    SECRET: { value: 'secret', description: 'sk_live_…: may call /v1/avatar and the admin API; keep it on servers.' },
  } as const,
});

export const ApiKey = builder.objectRef<ApiKeyRow>('ApiKey').implement({
  description:
    'An API key. The full key is shown once, when it is created; only prefix and last4 are kept for recognising it.',
  fields: (t) => ({
    id: t.exposeID('id'),
    type: t.field({ type: ApiKeyType, resolve: (key) => key.type }),
    name: t.exposeString('name', { nullable: true }),
    prefix: t.exposeString('prefix', { description: 'The start of the key, e.g. sk_live_7f3E.' }),
    last4: t.exposeString('last4', { description: 'The last four characters of the key.' }),
    allowedDomains: t.exposeStringList('allowed_domains', {
      description: 'Hostnames (and *.wildcards) requests may come from; empty means unrestricted.',
    }),
    createdAt: t.expose('created_at', { type: DateTime }),
    lastUsedAt: t.expose('last_used_at', { type: DateTime, nullable: true }),
    revokedAt: t.expose('revoked_at', {
      type: DateTime,
      nullable: true,
      description: 'When the key stops (or stopped) working; a time in the future is the grace period of a rolled key.',
    }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    type: t.field({ type: ApiKeyType, required: true }),
    name: t.string(),
    allowedDomains: t.stringList({
      description: 'Hostnames, URLs or *.wildcards; normalised to lower-case ASCII hostnames.',
    }),
  }),
});

const UpdateApiKeyInput = builder.inputType('UpdateApiKeyInput', {
  description: 'Fields left out stay as they are; allowedDomains: [] (or null) lifts every domain restriction.',
  fields: (t) => ({
    name: t.string(),
    allowedDomains: t.stringList(),
  }),
});

const CreateApiKeyPayload = builder.objectRef<CreatedKey>('CreateApiKeyPayload').implement({
  fields: (t) => ({
    apiKey: t.field({ type: ApiKey, resolve: (p) => p.apiKey }),
    key: t.exposeString('key', { description: 'The full key. It is shown this once and cannot be retrieved later.' }),
  }),
});

const RollApiKeyPayload = builder.objectRef<RolledKey>('RollApiKeyPayload').implement({
  fields: (t) => ({
    apiKey: t.field({ type: ApiKey, description: 'The new key.', resolve: (p) => p.apiKey }),
    key: t.exposeString('key', { description: 'The new key in full, shown this once.' }),
    previous: t.field({
      type: ApiKey,
      description: 'The rolled key; its revokedAt is the end of the grace period.',
      resolve: (p) => p.previous,
    }),
  }),
});

builder.queryField('apiKeys', (t) =>
  t.field({
    type: [ApiKey],
    description: "The workspace's keys, oldest first. Keys in a grace period are listed; revoked ones only on request.",
    args: { includeRevoked: t.arg.boolean({ defaultValue: false }) },
    resolve: async (_root, args, ctx) => {
      const workspaceId = await actingWorkspaceId(ctx.db, ctx.actor);
      return listWorkspaceApiKeys(ctx.db, workspaceId, { includeRevoked: args.includeRevoked ?? false, now: ctx.now });
    },
  }),
);

builder.mutationField('createApiKey', (t) =>
  t.field({
    type: CreateApiKeyPayload,
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: async (_root, { input }, ctx) => createApiKey(ctx.db, await actingWorkspaceId(ctx.db, ctx.actor), input),
  }),
);

builder.mutationField('updateApiKey', (t) =>
  t.field({
    type: ApiKey,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateApiKeyInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) =>
      updateApiKey(ctx.db, await actingWorkspaceId(ctx.db, ctx.actor), id, input, ctx.now),
  }),
);

builder.mutationField('revokeApiKey', (t) =>
  t.field({
    type: ApiKey,
    description: 'Stops the key on every API process within 2 seconds. Revoking a revoked key changes nothing.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) =>
      revokeApiKey(ctx.db, await actingWorkspaceId(ctx.db, ctx.actor), id, ctx.now),
  }),
);

builder.mutationField('rollApiKey', (t) =>
  t.field({
    type: RollApiKeyPayload,
    description:
      'Creates the successor of a key (same type, name and domains); the old key keeps working for gracePeriodSeconds (default 0, at most 30 days).',
    args: { id: t.arg.id({ required: true }), gracePeriodSeconds: t.arg.int() },
    resolve: async (_root, { id, gracePeriodSeconds }, ctx) =>
      rollApiKey(ctx.db, await actingWorkspaceId(ctx.db, ctx.actor), id, { gracePeriodSeconds, now: ctx.now }),
  }),
);
