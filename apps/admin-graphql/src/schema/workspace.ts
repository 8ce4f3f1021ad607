import type { WorkspaceRow } from '@avtrz/db/schema';
import { actingWorkspace, requireOperator } from '../auth/actor.ts';
import { builder } from '../builder.ts';
import {
  allWorkspaces,
  type CreatedWorkspace,
  createWorkspace,
  deleteWorkspace,
  updatePlan,
} from '../services/workspaces.service.ts';
import { ApiKey } from './api-key.ts';
import { DateTime } from './date-time.ts';

export const Plan = builder.objectRef<WorkspaceRow>('Plan').implement({
  description: 'Monthly quotas (calendar months in UTC) and the per-key rate limit.',
  fields: (t) => ({
    monthlyRequestQuota: t.exposeInt('monthly_request_quota', { description: 'Billable avatar requests per month.' }),
    monthlyNewProfileQuota: t.exposeInt('monthly_new_profile_quota', {
      description: 'Profiles new to the workspace per month.',
    }),
    rateLimitPerMinute: t.exposeInt('rate_limit_per_minute', { description: 'Requests per minute per key.' }),
  }),
});

export const Workspace = builder.objectRef<WorkspaceRow>('Workspace').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    plan: t.field({ type: Plan, resolve: (w) => w }),
    createdAt: t.expose('created_at', { type: DateTime }),
  }),
});

export const PlanInput = builder.inputType('PlanInput', {
  description: 'Fields left out keep their current value (or the default, for a new workspace).',
  fields: (t) => ({
    monthlyRequestQuota: t.int(),
    monthlyNewProfileQuota: t.int(),
    rateLimitPerMinute: t.int(),
  }),
});

const CreateWorkspaceInput = builder.inputType('CreateWorkspaceInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    plan: t.field({ type: PlanInput }),
  }),
});

const CreateWorkspacePayload = builder.objectRef<CreatedWorkspace>('CreateWorkspacePayload').implement({
  fields: (t) => ({
    workspace: t.field({ type: Workspace, resolve: (p) => p.workspace }),
    apiKey: t.field({ type: ApiKey, description: 'The first secret key of the workspace.', resolve: (p) => p.apiKey }),
    key: t.exposeString('key', { description: 'The first secret key in full, shown this once.' }),
  }),
});

builder.queryField('workspace', (t) =>
  t.field({
    type: Workspace,
    description: "The caller's workspace (the operator names one in the x-avtrz-workspace header).",
    resolve: (_root, _args, ctx) => actingWorkspace(ctx.db, ctx.actor),
  }),
);

builder.queryField('workspaces', (t) =>
  t.field({
    type: [Workspace],
    description: 'Every workspace of the installation, oldest first. Operator only.',
    resolve: (_root, _args, ctx) => {
      requireOperator(ctx.actor);
      return allWorkspaces(ctx.db);
    },
  }),
);

builder.mutationField('createWorkspace', (t) =>
  t.field({
    type: CreateWorkspacePayload,
    description: 'Creates a workspace with its first secret key. Operator only.',
    args: { input: t.arg({ type: CreateWorkspaceInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      requireOperator(ctx.actor);
      return createWorkspace(ctx.db, input);
    },
  }),
);

builder.mutationField('updatePlan', (t) =>
  t.field({
    type: Workspace,
    description: 'Changes quotas and rate limit; every API process applies them within 2 seconds. Operator only.',
    args: { workspaceId: t.arg.id({ required: true }), input: t.arg({ type: PlanInput, required: true }) },
    resolve: (_root, { workspaceId, input }, ctx) => {
      requireOperator(ctx.actor);
      return updatePlan(ctx.db, workspaceId, input);
    },
  }),
);

builder.mutationField('deleteWorkspace', (t) =>
  t.field({
    type: 'ID',
    description: 'Deletes a workspace with its keys and usage (its keys stop at once); returns its id. Operator only.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      requireOperator(ctx.actor);
      await deleteWorkspace(ctx.db, id);
      return id;
    },
  }),
);
