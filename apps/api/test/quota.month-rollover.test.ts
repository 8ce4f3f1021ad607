import { afterAll, beforeAll, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { getWorkspaceMonthUsage } from '@avtrz/db/queries/quotas.queries';
import { loadConfig } from '@avtrz/shared/config';
import { createLogger } from '@avtrz/shared/logger';
import { createMetering } from '../src/metering/create-metering.ts';
import type { Metering } from '../src/metering/metering.ts';
import { loadKeyForRequest } from './support/metering.ts';
import { seedKey, seedWorkspace } from './support/seed.ts';

// Months are calendar months in UTC, whatever the clock of the process says; `now` is the clock.
const database = useTestDatabase();
let metering: Metering;

const zoneBefore = process.env.TZ;
beforeAll(() => {
  // A process whose local clock is in California: local time must not decide the month.
  process.env.TZ = 'America/Los_Angeles';
  const config = loadConfig({ DATABASE_URL: database.url, USAGE_FLUSH_MS: '60000' });
  metering = createMetering({
    config,
    database,
    logger: createLogger({ name: 'test', level: 'silent', pretty: false }),
  });
});
afterAll(async () => {
  process.env.TZ = zoneBefore;
  await metering?.close();
});

test('a profile requested in January is new again on 1 February 00:00 UTC, and each month keeps its own quota', async () => {
  const workspaceId = await seedWorkspace(database.db, { monthlyNewProfileQuota: 2 });
  const key = await loadKeyForRequest(database.db, (await seedKey(database.db, workspaceId, 'publishable')).id);
  const lastMomentOfJanuary = Date.parse('2027-01-31T23:59:59.999Z');
  const firstMomentOfFebruary = Date.parse('2027-02-01T00:00:00.000Z');
  expect(new Date(firstMomentOfFebruary).getMonth()).toBe(0); // still January on the local clock

  expect(await metering.admitProfile(key, 'alex-rivera', lastMomentOfJanuary)).toEqual({
    kind: 'admitted',
    newProfile: true,
  });
  expect(await metering.admitProfile(key, 'sam-lee', lastMomentOfJanuary)).toEqual({
    kind: 'admitted',
    newProfile: true,
  });
  expect(await metering.admitProfile(key, 'third-person', lastMomentOfJanuary)).toEqual({ kind: 'quota_exceeded' });
  expect(metering.admitProfileSync(key, 'alex-rivera', lastMomentOfJanuary)).toEqual({
    kind: 'admitted',
    newProfile: false,
  });
  metering.record(key, 'billable_redirect', lastMomentOfJanuary);

  expect(metering.admitProfileSync(key, 'alex-rivera', firstMomentOfFebruary)).toBeUndefined();
  expect(await metering.admitProfile(key, 'alex-rivera', firstMomentOfFebruary)).toEqual({
    kind: 'admitted',
    newProfile: true,
  });
  expect(await metering.admitProfile(key, 'third-person', firstMomentOfFebruary)).toEqual({
    kind: 'admitted',
    newProfile: true,
  });
  metering.record(key, 'billable_fallback', firstMomentOfFebruary);
  metering.record(key, 'billable_redirect', firstMomentOfFebruary);
  await metering.flush();

  expect(await getWorkspaceMonthUsage(database.db, workspaceId, '2027-01-01')).toEqual({ requests: 1, newProfiles: 2 });
  expect(await getWorkspaceMonthUsage(database.db, workspaceId, '2027-02-01')).toEqual({ requests: 2, newProfiles: 2 });
  const hours = await database.sql`
    select hour, billable, fallbacks, new_profiles from usage_hourly where key_id = ${key.id} order by hour`;
  expect(hours.map((r) => ({ ...r, hour: (r.hour as Date).toISOString() }))).toEqual([
    { hour: '2027-01-31T23:00:00.000Z', billable: 1, fallbacks: 0, new_profiles: 2 },
    { hour: '2027-02-01T00:00:00.000Z', billable: 2, fallbacks: 1, new_profiles: 2 },
  ]);
});
