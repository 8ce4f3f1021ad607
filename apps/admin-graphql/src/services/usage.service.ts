import type { Db } from '@avtrz/db/client';
import {
  type KeyUsagePoint,
  type UsageBucket,
  usagePerKey,
  usagePerWorkspace,
  type WorkspaceUsagePoint,
} from '@avtrz/db/queries/usage-reports.queries';
import { getWorkspaceMonthUsage } from '@avtrz/db/queries/quotas.queries';
import type { WorkspaceRow } from '@avtrz/db/schema';
import { monthOf, startOfMonthUtc, startOfNextMonthUtc } from '@avtrz/shared/calendar';
import { invalidInput } from './_invalid-input.ts';
import { getApiKey } from './api-keys.service.ts';

/** Usage as people read it: hourly or daily series (UTC) and the month's billing counters against the plan. */

const DAY_MS = 24 * 3600 * 1000;
/** Longest range per granularity: about a month of hours, a bit over a year of days. */
export const MAX_RANGE_DAYS: Record<UsageBucket, number> = { hour: 31, day: 400 };

export interface UsageQuery {
  readonly from: Date;
  readonly to: Date;
  readonly granularity: UsageBucket;
  readonly keyId?: string | null | undefined;
}

function checkRange(query: UsageQuery): void {
  const span = query.to.getTime() - query.from.getTime();
  if (!(span > 0)) throw invalidInput('to', 'must be later than from');
  const maxDays = MAX_RANGE_DAYS[query.granularity];
  if (span > maxDays * DAY_MS) {
    throw invalidInput(
      'to',
      `${query.granularity === 'hour' ? 'hourly' : 'daily'} usage covers at most ${maxDays} days; narrow the range`,
    );
  }
}

/** Points per key and bucket; buckets without traffic are left out. */
export async function usageSeries(db: Db, workspaceId: string, query: UsageQuery): Promise<KeyUsagePoint[]> {
  checkRange(query);
  let keyId: string | undefined;
  if (query.keyId !== undefined && query.keyId !== null) {
    // Another workspace's key is "not found", exactly like a key that never existed.
    keyId = (await getApiKey(db, workspaceId, query.keyId)).id;
  }
  return usagePerKey(db, { workspaceId, from: query.from, to: query.to, bucket: query.granularity, keyId });
}

/** The whole workspace per bucket (all keys added up); buckets without traffic are left out. */
export async function usageTotals(
  db: Db,
  workspaceId: string,
  query: Omit<UsageQuery, 'keyId'>,
): Promise<WorkspaceUsagePoint[]> {
  checkRange(query);
  return usagePerWorkspace(db, { workspaceId, from: query.from, to: query.to, bucket: query.granularity });
}

export interface UsageSummary {
  /** 'YYYY-MM' (UTC calendar month). */
  readonly month: string;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly avatarRequests: number;
  readonly avatarNewProfiles: number;
  readonly workspace: WorkspaceRow;
}

/** The billing counters `avatar_requests` and `avatar_new_profiles` of a month (default: the current one). */
export async function usageSummary(
  db: Db,
  workspace: WorkspaceRow,
  options: { now: Date; month?: string | null | undefined },
): Promise<UsageSummary> {
  const at = options.month ? parseMonth(options.month) : options.now;
  const totals = await getWorkspaceMonthUsage(db, workspace.id, monthOf(at));
  return {
    month: monthOf(at).slice(0, 7),
    periodStart: startOfMonthUtc(at),
    periodEnd: startOfNextMonthUtc(at),
    avatarRequests: totals.requests,
    avatarNewProfiles: totals.newProfiles,
    workspace,
  };
}

function parseMonth(text: string): Date {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  if (!match) throw invalidInput('month', 'use the form YYYY-MM, e.g. 2026-11');
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
}
