import { randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { describe, expect, test } from 'vitest';
import { openDatabase } from '../src/client.ts';
import { usagePerKey, usagePerWorkspace, type UsageRange } from '../src/queries/usage-reports.queries.ts';
import { addUsageBatch, type UsageCounts } from '../src/queries/usage.queries.ts';
import { migrator } from '../src/sql-migrations.ts';
import { usageCounts as counts } from './support/usage-counts.ts';
import { useTestDatabase, withDatabase } from '../src/testing/test-database.ts';

// usage_daily (migration 0003) holds the hourly counts added up per UTC day, kept in step by triggers,
// so that daily charts over long ranges read a day per row. Whatever writes hours, the days must say
// exactly what the hours add up to.
const database = useTestDatabase();
type Sql = postgres.Sql;

async function seedKeys(sql: Sql, n: number) {
  const [workspace] = await sql<{ id: string }[]>`insert into workspaces (name) values ('w') returning id`;
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const [key] = await sql<{ id: string }[]>`
      insert into api_keys (workspace_id, type, key_hash, prefix, last4)
      values (${workspace!.id}, 'secret', ${randomBytes(32)}, 'sk_live_abcd', 'wxyz') returning id`;
    keys.push(key!.id);
  }
  return { workspaceId: workspace!.id, keys };
}

/** usage_daily and usage_hourly added up per day, side by side, for a workspace. */
async function daysAndHours(sql: Sql, workspaceId: string) {
  const pick = 'key_id, day, billable, not_modified, fallbacks, new_profiles, rejected';
  const days = await sql.unsafe(`select ${pick} from usage_daily where workspace_id = $1 order by key_id, day`, [
    workspaceId,
  ]);
  const hours = await sql.unsafe(
    `select key_id, date_trunc('day', hour, 'UTC') as day, sum(billable)::int as billable, sum(not_modified)::int as not_modified,
       sum(fallbacks)::int as fallbacks, sum(new_profiles)::int as new_profiles, sum(rejected)::int as rejected
     from usage_hourly where workspace_id = $1 group by 1, 2 order by 1, 2`,
    [workspaceId],
  );
  return { days: [...days], hours: [...hours] };
}

describe('usage_daily follows usage_hourly', () => {
  test('batches (a resent one included), direct inserts and updates: the days are the sums of their hours', async () => {
    const { workspaceId, keys } = await seedKeys(database.sql, 2);
    const [a, b] = keys as [string, string];
    const batch = [
      counts(a, '2026-03-01T22:00:00Z', { billable: 3, fallbacks: 1 }),
      counts(a, '2026-03-01T23:00:00Z', { billable: 2, notModified: 4 }),
      counts(a, '2026-03-02T00:00:00Z', { billable: 7, rejected: 2, newProfiles: 1 }),
      counts(b, '2026-03-01T23:00:00Z', { billable: 1 }),
    ];
    const id = randomUUID();
    expect(await addUsageBatch(database.db, id, batch)).toBe(true);
    expect(await addUsageBatch(database.db, id, batch)).toBe(false); // a resend counts nothing, in days either
    expect(await addUsageBatch(database.db, randomUUID(), [counts(a, '2026-03-01T23:00:00Z', { billable: 10 })])).toBe(
      true,
    );
    await database.sql`
      insert into usage_hourly (key_id, workspace_id, hour, billable, rejected)
      values (${b}, ${workspaceId}, '2026-03-03T05:00:00Z', 4, 1), (${b}, ${workspaceId}, '2026-03-03T06:00:00Z', 6, 0)`;
    await database.sql`update usage_hourly set billable = billable - 2, fallbacks = fallbacks + 5 where key_id = ${a} and hour = '2026-03-01T22:00:00Z'`;

    const { days, hours } = await daysAndHours(database.sql, workspaceId);
    expect(days).toEqual(hours);
    expect(days.map((d) => [d.key_id, (d.day as Date).toISOString(), d.billable])).toEqual(
      [
        [a, '2026-03-01T00:00:00.000Z', 13],
        [a, '2026-03-02T00:00:00.000Z', 7],
        [b, '2026-03-01T00:00:00.000Z', 1],
        [b, '2026-03-03T00:00:00.000Z', 10],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  });

  test('batches from many connections at once on the same keys and days: no deadlock, nothing lost', async () => {
    const { workspaceId, keys } = await seedKeys(database.sql, 4);
    const pool = openDatabase(database.url, { max: 8, applicationName: 'avtrz-test' });
    try {
      const hoursOfDay = [
        '2026-04-10T21:00:00Z',
        '2026-04-10T22:00:00Z',
        '2026-04-10T23:00:00Z',
        '2026-04-11T00:00:00Z',
      ];
      const batches = Array.from({ length: 40 }, (_, n) =>
        // Each batch touches every key, in its own order: the statement must lock in one order anyway.
        (n % 2 === 0 ? keys : [...keys].reverse()).flatMap((key) =>
          hoursOfDay.map((hour) => counts(key, hour, { billable: 1, rejected: n % 3 })),
        ),
      );
      const results = await Promise.all(batches.map((rows) => addUsageBatch(pool.db, randomUUID(), rows)));
      expect(results.every(Boolean)).toBe(true);
    } finally {
      await pool.close();
    }
    const { days, hours } = await daysAndHours(database.sql, workspaceId);
    expect(days).toEqual(hours);
    expect(days.reduce((sum, d) => sum + (d.billable as number), 0)).toBe(40 * 4 * 4);
  });

  test('deleting hours keeps their days (days outlive hours); deleting the key deletes both', async () => {
    const { workspaceId, keys } = await seedKeys(database.sql, 1);
    const [key] = keys as [string];
    await addUsageBatch(database.db, randomUUID(), [counts(key, '2026-05-01T10:00:00Z', { billable: 5 })]);
    await database.sql`delete from usage_hourly where key_id = ${key}`;
    const [kept] = await database.sql<{ billable: number }[]>`select billable from usage_daily where key_id = ${key}`;
    expect(kept?.billable).toBe(5);
    // So daily reports still show the day; hourly ones no longer have its hours.
    const may = { workspaceId, from: new Date('2026-05-01T00:00:00Z'), to: new Date('2026-05-02T00:00:00Z') };
    expect((await usagePerWorkspace(database.db, { ...may, bucket: 'day' })).map((p) => p.billable)).toEqual([5]);
    expect(await usagePerWorkspace(database.db, { ...may, bucket: 'hour' })).toEqual([]);
    await addUsageBatch(database.db, randomUUID(), [counts(key, '2026-05-01T11:00:00Z', { billable: 1 })]);
    await database.sql`delete from api_keys where id = ${key}`;
    const [left] = await database.sql<{ n: number }[]>`
      select (select count(*) from usage_daily where workspace_id = ${workspaceId})::int
        + (select count(*) from usage_hourly where workspace_id = ${workspaceId})::int as n`;
    expect(left?.n).toBe(0);
  });
});

describe('daily reports read whole days from usage_daily and part-days from usage_hourly', () => {
  test('any range, aligned to days or not, gives the points its hours add up to', async () => {
    const { workspaceId, keys } = await seedKeys(database.sql, 2);
    // Four days of uneven traffic on two keys, an hour apart, written as the API writes it.
    const rows: UsageCounts[] = [];
    const start = Date.parse('2026-06-01T00:00:00Z');
    for (let h = 0; h < 96; h++) {
      for (const [k, key] of keys.entries()) {
        if ((h + k) % 5 === 0) continue;
        rows.push(
          counts(key, new Date(start + h * 3_600_000).toISOString(), {
            billable: (h * 7 + k) % 11,
            notModified: h % 3,
            fallbacks: k,
            newProfiles: h % 2,
            rejected: (h + k) % 4,
          }),
        );
      }
    }
    await addUsageBatch(database.db, randomUUID(), rows);

    /** What the points must be: the hours in [from, to), added up per UTC day (and key), in JS. */
    const expected = (from: Date, to: Date, keyId?: string) => {
      const points = new Map<
        string,
        {
          start: Date;
          keyId: string;
          billable: number;
          notModified: number;
          fallbacks: number;
          newProfiles: number;
          rejected: number;
        }
      >();
      for (const r of rows) {
        if (r.hour < from || r.hour >= to || (keyId && r.keyId !== keyId)) continue;
        const day = new Date(Math.floor(r.hour.getTime() / 86_400_000) * 86_400_000);
        const id = `${day.toISOString()} ${r.keyId}`;
        const p = points.get(id) ?? {
          start: day,
          keyId: r.keyId,
          billable: 0,
          notModified: 0,
          fallbacks: 0,
          newProfiles: 0,
          rejected: 0,
        };
        p.billable += r.billable;
        p.notModified += r.notModified;
        p.fallbacks += r.fallbacks;
        p.newProfiles += r.newProfiles;
        p.rejected += r.rejected;
        points.set(id, p);
      }
      return [...points.values()].sort(
        (x, y) => x.start.getTime() - y.start.getTime() || x.keyId.localeCompare(y.keyId),
      );
    };
    const ranges: [string, string][] = [
      ['2026-06-01T00:00:00Z', '2026-06-05T00:00:00Z'], // whole days only
      ['2026-06-01T05:00:00Z', '2026-06-04T07:00:00Z'], // part-days at both ends
      ['2026-06-02T00:00:00Z', '2026-06-03T13:00:00Z'], // part-day at the end
      ['2026-06-02T03:00:00Z', '2026-06-02T20:00:00Z'], // inside one day
      ['2026-06-01T23:00:00Z', '2026-06-02T01:00:00Z'], // across midnight, no whole day
      ['2026-05-20T00:00:00Z', '2026-06-10T00:00:00Z'], // wider than the traffic
    ];
    for (const [fromText, toText] of ranges) {
      const range: UsageRange = { workspaceId, from: new Date(fromText), to: new Date(toText), bucket: 'day' };
      expect(await usagePerKey(database.db, range), `${fromText}..${toText}`).toEqual(expected(range.from, range.to));
      expect(await usagePerKey(database.db, { ...range, keyId: keys[1] }), `${fromText}..${toText}, one key`).toEqual(
        expected(range.from, range.to, keys[1]),
      );
      const perDay = await usagePerWorkspace(database.db, range);
      const summed = new Map<number, number>();
      for (const p of expected(range.from, range.to))
        summed.set(p.start.getTime(), (summed.get(p.start.getTime()) ?? 0) + p.billable);
      expect(
        perDay.map((p) => [p.start.getTime(), p.billable]),
        `${fromText}..${toText}, workspace`,
      ).toEqual([...summed]);
    }
  });
});

test('the migration copies the hours written before it into their days', async () => {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(database.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const fresh = openDatabase(withDatabase(database.adminUrl, name), { max: 2, applicationName: 'avtrz-test' });
  try {
    const before = await migrator(fresh.db).migrateTo('0002_metering');
    expect(before.error).toBeUndefined();
    const { workspaceId, keys } = await seedKeys(fresh.sql, 2);
    for (const [k, key] of keys.entries()) {
      await fresh.sql`
        insert into usage_hourly (key_id, workspace_id, hour, billable, not_modified, fallbacks, new_profiles, rejected)
        select ${key}, ${workspaceId}, timestamptz '2026-07-01' + h * interval '1 hour', h + ${k}, 1, 2, 0, 1
        from generate_series(0, 49) h`;
    }
    const after = await migrator(fresh.db).migrateToLatest();
    expect(after.error).toBeUndefined();
    expect(after.results?.map((r) => r.migrationName)).toContain('0003_usage_daily');
    const { days, hours } = await daysAndHours(fresh.sql, workspaceId);
    expect(days).toHaveLength(2 * 3);
    expect(days).toEqual(hours);
  } finally {
    await fresh.close();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
});
