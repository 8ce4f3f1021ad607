import type { KeyUsagePoint, WorkspaceUsagePoint } from '@avtrz/db/queries/usage-reports.queries';
import { actingWorkspaceId } from '../auth/actor.ts';
import { builder } from '../builder.ts';
import { type UsageSummary, usageSeries, usageSummary, usageTotals } from '../services/usage.service.ts';
import { DateTime } from './date-time.ts';
import { Plan, Workspace } from './workspace.ts';

const UsageGranularity = builder.enumType('UsageGranularity', {
  values: {
    HOUR: { value: 'hour', description: 'Hours; at most 31 days per query.' },
    DAY: { value: 'day', description: 'Calendar days in UTC; at most 400 days per query.' },
  } as const,
});

const counters = {
  billable: 'Billable answers (302 and 200); the avatar_requests counter.',
  notModified: '304 answers (not billed).',
  fallbacks: '200 answers with the fallback SVG (billed, included in billable).',
  newProfiles: 'Profiles new to the workspace this month; the avatar_new_profiles counter.',
  rejected: 'Refused requests (4xx; not billed).',
} as const;

const UsagePoint = builder.objectRef<KeyUsagePoint>('UsagePoint').implement({
  description: 'The traffic of one key in one hour or day.',
  fields: (t) => ({
    start: t.expose('start', { type: DateTime }),
    keyId: t.exposeID('keyId'),
    billable: t.exposeInt('billable', { description: counters.billable }),
    notModified: t.exposeInt('notModified', { description: counters.notModified }),
    fallbacks: t.exposeInt('fallbacks', { description: counters.fallbacks }),
    newProfiles: t.exposeInt('newProfiles', { description: counters.newProfiles }),
    rejected: t.exposeInt('rejected', { description: counters.rejected }),
  }),
});

const UsageTotalPoint = builder.objectRef<WorkspaceUsagePoint>('UsageTotalPoint').implement({
  description: 'The traffic of the whole workspace (every key) in one hour or day.',
  fields: (t) => ({
    start: t.expose('start', { type: DateTime }),
    billable: t.exposeInt('billable', { description: counters.billable }),
    notModified: t.exposeInt('notModified', { description: counters.notModified }),
    fallbacks: t.exposeInt('fallbacks', { description: counters.fallbacks }),
    newProfiles: t.exposeInt('newProfiles', { description: counters.newProfiles }),
    rejected: t.exposeInt('rejected', { description: counters.rejected }),
  }),
});

const UsageSummaryType = builder.objectRef<UsageSummary>('UsageSummary').implement({
  description: "A calendar month's billing counters against the plan's quotas.",
  fields: (t) => ({
    month: t.exposeString('month', { description: 'YYYY-MM (UTC).' }),
    periodStart: t.expose('periodStart', { type: DateTime }),
    periodEnd: t.expose('periodEnd', { type: DateTime }),
    avatarRequests: t.exposeInt('avatarRequests', { description: 'avatar_requests: billable answers this month.' }),
    avatarNewProfiles: t.exposeInt('avatarNewProfiles', {
      description: 'avatar_new_profiles: profiles new this month.',
    }),
    avatarRequestsRemaining: t.int({
      resolve: (s) => Math.max(0, s.workspace.monthly_request_quota - s.avatarRequests),
    }),
    avatarNewProfilesRemaining: t.int({
      resolve: (s) => Math.max(0, s.workspace.monthly_new_profile_quota - s.avatarNewProfiles),
    }),
    plan: t.field({ type: Plan, resolve: (s) => s.workspace }),
  }),
});

const rangeArgs = {
  from: { description: 'Inclusive.' },
  to: { description: 'Exclusive.' },
} as const;

builder.queryField('usage', (t) =>
  t.field({
    type: [UsagePoint],
    description: 'Usage per key and hour or day (UTC), oldest first; hours and days without traffic are left out.',
    args: {
      from: t.arg({ type: DateTime, required: true, ...rangeArgs.from }),
      to: t.arg({ type: DateTime, required: true, ...rangeArgs.to }),
      granularity: t.arg({ type: UsageGranularity, defaultValue: 'day' }),
      keyId: t.arg.id({ description: 'Only this key (revoked keys included).' }),
    },
    resolve: async (_root, args, ctx) =>
      usageSeries(ctx.db, await actingWorkspaceId(ctx.db, ctx.actor), {
        from: args.from,
        to: args.to,
        granularity: args.granularity ?? 'day',
        keyId: args.keyId,
      }),
  }),
);

builder.queryField('usageTotals', (t) =>
  t.field({
    type: [UsageTotalPoint],
    description: 'Usage of the whole workspace per hour or day (UTC), oldest first; empty buckets are left out.',
    args: {
      from: t.arg({ type: DateTime, required: true, ...rangeArgs.from }),
      to: t.arg({ type: DateTime, required: true, ...rangeArgs.to }),
      granularity: t.arg({ type: UsageGranularity, defaultValue: 'day' }),
    },
    resolve: async (_root, args, ctx) =>
      usageTotals(ctx.db, await actingWorkspaceId(ctx.db, ctx.actor), {
        from: args.from,
        to: args.to,
        granularity: args.granularity ?? 'day',
      }),
  }),
);

builder.objectField(Workspace, 'usageSummary', (t) =>
  t.field({
    type: UsageSummaryType,
    description: "A month's avatar_requests and avatar_new_profiles against the plan (default: the current month).",
    args: { month: t.arg.string({ description: 'YYYY-MM (UTC); default the current month.' }) },
    resolve: (workspace, { month }, ctx) => usageSummary(ctx.db, workspace, { now: ctx.now, month }),
  }),
);
