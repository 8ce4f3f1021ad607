import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { openDatabase } from '../src/client.ts';
import {
  admitWorkspaceProfile,
  getWorkspaceMonthUsage,
  type ProfileAdmissionRequest,
} from '../src/queries/quotas.queries.ts';
import { claimRateLimitTokens, getRateLimitWindowTotal } from '../src/queries/rate-limits.queries.ts';
import { addUsageBatch } from '../src/queries/usage.queries.ts';
import { usageCounts as counts } from './support/usage-counts.ts';
import { useTestDatabase } from '../src/testing/test-database.ts';

const database = useTestDatabase();

async function seedKey(plan: { requests?: number; newProfiles?: number } = {}) {
  const [workspace] = await database.sql<{ id: string }[]>`
    insert into workspaces (name, monthly_request_quota, monthly_new_profile_quota)
    values ('w', ${plan.requests ?? 1000}, ${plan.newProfiles ?? 1000}) returning id`;
  const [key] = await database.sql<{ id: string }[]>`
    insert into api_keys (workspace_id, type, key_hash, prefix, last4)
    values (${workspace!.id}, 'secret', ${randomBytes(32)}, 'sk_live_abcd', 'wxyz') returning id`;
  return { workspaceId: workspace!.id, keyId: key!.id };
}

describe('usage batches', () => {
  test('add to the hourly rows, the month billable requests and the key last use, once per batch id', async () => {
    const { workspaceId, keyId } = await seedKey();
    const batch = [
      counts(keyId, '2026-01-31T23:00:00Z', {
        billable: 3,
        fallbacks: 1,
        lastUsedAt: new Date('2026-01-31T23:59:00Z'),
      }),
      counts(keyId, '2026-02-01T00:00:00Z', {
        billable: 2,
        notModified: 4,
        rejected: 1,
        newProfiles: 1,
        lastUsedAt: new Date('2026-02-01T00:10:00Z'),
      }),
    ];
    const id = randomUUID();
    expect(await addUsageBatch(database.db, id, batch)).toBe(true);
    // Sent again after an unconfirmed commit: nothing more is counted.
    expect(await addUsageBatch(database.db, id, batch)).toBe(false);
    expect(
      await addUsageBatch(database.db, randomUUID(), [
        counts(keyId, '2026-02-01T00:00:00Z', { billable: 1, lastUsedAt: new Date('2026-02-01T00:05:00Z') }),
      ]),
    ).toBe(true);

    const hourly = await database.sql`
      select hour, billable, not_modified, fallbacks, new_profiles, rejected from usage_hourly where key_id = ${keyId} order by hour`;
    expect(hourly.map((r) => ({ ...r, hour: (r.hour as Date).toISOString() }))).toEqual([
      { hour: '2026-01-31T23:00:00.000Z', billable: 3, not_modified: 0, fallbacks: 1, new_profiles: 0, rejected: 0 },
      { hour: '2026-02-01T00:00:00.000Z', billable: 3, not_modified: 4, fallbacks: 0, new_profiles: 1, rejected: 1 },
    ]);
    expect(await getWorkspaceMonthUsage(database.db, workspaceId, '2026-01-01')).toEqual({
      requests: 3,
      newProfiles: 0,
    });
    expect(await getWorkspaceMonthUsage(database.db, workspaceId, '2026-02-01')).toEqual({
      requests: 3,
      newProfiles: 0,
    });
    const [key] = await database.sql<{ last_used_at: Date }[]>`select last_used_at from api_keys where id = ${keyId}`;
    expect(key?.last_used_at.toISOString()).toBe('2026-02-01T00:10:00.000Z');
  });

  test('counts of a deleted key are dropped instead of failing the batch', async () => {
    const { keyId } = await seedKey();
    const other = await seedKey();
    await database.sql`delete from api_keys where id = ${keyId}`;
    const batch = [
      counts(keyId, '2026-03-01T10:00:00Z', { billable: 1 }),
      counts(other.keyId, '2026-03-01T10:00:00Z', { billable: 5 }),
    ];
    expect(await addUsageBatch(database.db, randomUUID(), batch)).toBe(true);
    const rows = await database.sql`select key_id, billable from usage_hourly where hour = '2026-03-01T10:00:00Z'`;
    expect(rows).toEqual([{ key_id: other.keyId, billable: 5 }]);
  });
});

describe('profile admission', () => {
  const request = (
    seed: { workspaceId: string; keyId: string },
    handle: string,
    plan: { requests?: number; newProfiles?: number } = {},
  ): ProfileAdmissionRequest => ({
    workspaceId: seed.workspaceId,
    keyId: seed.keyId,
    handle,
    month: '2026-05-01',
    at: new Date('2026-05-10T12:00:00Z'),
    monthlyRequestQuota: plan.requests ?? 1000,
    monthlyNewProfileQuota: plan.newProfiles ?? 1000,
    unwrittenRequests: 0,
  });

  test('the new-profile quota is exact under concurrent admissions from separate connections', async () => {
    const seed = await seedKey();
    const pools = Array.from({ length: 4 }, () => openDatabase(database.url, { max: 5 }));
    try {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          admitWorkspaceProfile(pools[i % 4]!.db, request(seed, `person-${i % 20}`, { newProfiles: 7 })),
        ),
      );
      const outcomes = results.map((r) => r.outcome);
      expect(outcomes.filter((o) => o === 'new')).toHaveLength(7);
      const admittedHandles = new Set(
        results.flatMap((r, i) => (r.outcome === 'quota_exceeded' ? [] : [`person-${i % 20}`])),
      );
      expect(admittedHandles.size).toBe(7);
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
    expect(await getWorkspaceMonthUsage(database.db, seed.workspaceId, '2026-05-01')).toEqual({
      requests: 0,
      newProfiles: 7,
    });
    const [row] = await database.sql<
      { n: number }[]
    >`select count(*)::int as n from workspace_monthly_profiles where workspace_id = ${seed.workspaceId}`;
    expect(row?.n).toBe(7);
  });

  test('over the request quota, profiles requested this month stay admitted and new ones are refused', async () => {
    const seed = await seedKey();
    expect((await admitWorkspaceProfile(database.db, request(seed, 'known-one', { requests: 10 }))).outcome).toBe(
      'new',
    );
    await database.sql`update workspace_monthly_usage set requests = 9 where workspace_id = ${seed.workspaceId}`;
    // 9 stored + 1 unwritten reaches the quota of 10.
    expect(
      (
        await admitWorkspaceProfile(database.db, {
          ...request(seed, 'another', { requests: 10 }),
          unwrittenRequests: 1,
        })
      ).outcome,
    ).toBe('quota_exceeded');
    expect((await admitWorkspaceProfile(database.db, request(seed, 'another', { requests: 10 }))).outcome).toBe('new');
    expect((await admitWorkspaceProfile(database.db, request(seed, 'known-one', { requests: 1 }))).outcome).toBe(
      'known',
    );
    expect((await admitWorkspaceProfile(database.db, request(seed, 'third', { requests: 1 }))).outcome).toBe(
      'quota_exceeded',
    );
    // The next month starts afresh.
    expect(
      (await admitWorkspaceProfile(database.db, { ...request(seed, 'third', { requests: 1 }), month: '2026-06-01' }))
        .outcome,
    ).toBe('new');
  });
});

describe('rate-limit claims', () => {
  test('claims on one window add up over callers; each answer is the total after it', async () => {
    const { keyId } = await seedKey();
    const other = await seedKey();
    const windowStart = new Date('2026-05-10T12:34:00Z');
    const first = await claimRateLimitTokens(database.db, [
      { keyId, windowStart, tokens: 5 },
      { keyId: other.keyId, windowStart, tokens: 2 },
    ]);
    expect(first.find((r) => r.keyId === keyId)?.total).toBe(5);
    const second = await claimRateLimitTokens(database.db, [{ keyId, windowStart, tokens: 3 }]);
    expect(second).toEqual([{ keyId, windowStart, total: 8 }]);
    expect(await getRateLimitWindowTotal(database.db, keyId, windowStart)).toBe(8);
    expect(await getRateLimitWindowTotal(database.db, keyId, new Date('2026-05-10T12:35:00Z'))).toBe(0);
  });
});
