import { sql } from 'kysely';
import type { Db } from '../client.ts';

export interface ProfileAdmissionRequest {
  readonly workspaceId: string;
  /** The calendar month (UTC), 'YYYY-MM-01'. */
  readonly month: string;
  readonly handle: string;
  readonly keyId: string;
  readonly at: Date;
  readonly monthlyRequestQuota: number;
  readonly monthlyNewProfileQuota: number;
  /** Billable requests the caller counted but has not written yet; they count against the request quota. */
  readonly unwrittenRequests: number;
}

export interface ProfileAdmissionResult {
  /** known: requested before this month; new: counted now as a new profile; quota_exceeded: refused. */
  readonly outcome: 'known' | 'new' | 'quota_exceeded';
  /** The workspace's month totals as stored after this decision. */
  readonly requests: number;
  readonly newProfiles: number;
}

/**
 * Decides whether a workspace may be served a profile this month, exactly across any number of
 * processes: the workspace's month row is locked first, so concurrent decisions for one workspace
 * take turns and each one reads what the previous ones wrote. A profile already requested this
 * month is always admitted; a new one only while both quotas have room, and then it is recorded (the
 * insert into workspace_monthly_profiles is the new-profile event) and counted once.
 */
export async function admitWorkspaceProfile(db: Db, request: ProfileAdmissionRequest): Promise<ProfileAdmissionResult> {
  const { workspaceId, month, handle } = request;
  return db.transaction().execute(async (trx) => {
    await sql`
      insert into workspace_monthly_usage as m (workspace_id, month) values (${workspaceId}::uuid, ${month}::date)
      on conflict (workspace_id, month) do update set new_profiles = m.new_profiles`.execute(trx);
    // A new statement, so a new snapshot: it sees every decision committed before the lock was ours.
    const result = await sql<{
      known: boolean;
      room: boolean;
      inserted: boolean;
      requests: number;
      new_profiles: number;
    }>`
      with usage as (
        select requests, new_profiles from workspace_monthly_usage where workspace_id = ${workspaceId}::uuid and month = ${month}::date
      ), known as (
        select exists (
          select from workspace_monthly_profiles
          where workspace_id = ${workspaceId}::uuid and month = ${month}::date and handle = ${handle}
        ) as known
      ), room as (
        select new_profiles < ${request.monthlyNewProfileQuota}::int
          and requests + ${request.unwrittenRequests}::int < ${request.monthlyRequestQuota}::int as room
        from usage
      ), inserted as (
        insert into workspace_monthly_profiles (workspace_id, month, handle, first_key_id, first_seen_at)
        select ${workspaceId}::uuid, ${month}::date, ${handle}, ${request.keyId}::uuid, ${request.at.toISOString()}::timestamptz
        from room, known
        where room.room and not known.known
        on conflict do nothing
        returning 1
      ), counted as (
        update workspace_monthly_usage set new_profiles = new_profiles + 1
        where workspace_id = ${workspaceId}::uuid and month = ${month}::date and exists (select from inserted)
      )
      select known.known, room.room, exists (select from inserted) as inserted, usage.requests,
        usage.new_profiles + (select count(*) from inserted)::int as new_profiles
      from usage, known, room`.execute(trx);
    const row = result.rows[0];
    if (!row) throw new Error('the workspace month row vanished while locked');
    // With room but nothing inserted, someone recorded the profile first: it is known.
    const outcome = row.inserted ? 'new' : row.known || row.room ? 'known' : 'quota_exceeded';
    return { outcome, requests: row.requests, newProfiles: row.new_profiles };
  });
}

export interface WorkspaceMonthUsage {
  readonly requests: number;
  readonly newProfiles: number;
}

/** The workspace's billable requests and new profiles in a calendar month (zeros when none). */
export async function getWorkspaceMonthUsage(db: Db, workspaceId: string, month: string): Promise<WorkspaceMonthUsage> {
  const row = await db
    .selectFrom('workspace_monthly_usage')
    .select(['requests', 'new_profiles'])
    .where('workspace_id', '=', workspaceId)
    .where('month', '=', month)
    .executeTakeFirst();
  return { requests: row?.requests ?? 0, newProfiles: row?.new_profiles ?? 0 };
}
