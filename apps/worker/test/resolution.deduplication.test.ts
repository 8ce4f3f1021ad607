import { requestProfileResolution } from '@avtrz/db/queries/profiles.queries';
import { useTestDatabase } from '@avtrz/db/testing';
import { startFakeLinkedin, type FakeLinkedin } from '@avtrz/shared/testing/fake-linkedin';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningWorker } from '../src/worker.ts';
import { configFor, makeDataDir, startTestWorker, testEnv, waitForProfile } from './_worker-harness.ts';

// Many requests for one new profile, arriving while two workers run: one resolution, one fetch.
const database = useTestDatabase();
let fake: FakeLinkedin;
let data: Awaited<ReturnType<typeof makeDataDir>>;
const workers: RunningWorker[] = [];

beforeAll(async () => {
  fake = await startFakeLinkedin();
  data = await makeDataDir();
  const config = configFor(testEnv(fake, data.dir, database.url));
  workers.push(await startTestWorker(database, config), await startTestWorker(database, config));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await fake?.close();
  await data?.remove();
});

test('twenty requests before and during the resolution resolve the profile once', async () => {
  fake.setProfile('popular-pam', { kind: 'photo', pageDelayMs: 400 });
  await Promise.all(Array.from({ length: 10 }, () => requestProfileResolution(database.db, 'popular-pam')));
  await new Promise((r) => setTimeout(r, 200));
  await Promise.all(Array.from({ length: 10 }, () => requestProfileResolution(database.db, 'popular-pam')));
  await waitForProfile(database.db, 'popular-pam', (r) => r.status === 'resolved');
  expect(fake.hits('popular-pam')).toEqual({ page: 1, photo: 1 });
  await expect
    .poll(
      async () =>
        (
          await database.sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'resolve_profile'`
        )[0]!.n,
    )
    .toBe(0);
});

test('different profiles resolve side by side across the workers', async () => {
  const handles = Array.from({ length: 12 }, (_, i) => `crowd-${i}`);
  for (const h of handles) fake.setProfile(h, { kind: 'photo' });
  await Promise.all(handles.map((h) => requestProfileResolution(database.db, h)));
  const rows = await Promise.all(handles.map((h) => waitForProfile(database.db, h, (r) => r.status === 'resolved')));
  expect(new Set(rows.map((r) => r.image_hash)).size).toBe(handles.length);
  for (const h of handles) expect(fake.hits(h).page).toBe(1);
});
