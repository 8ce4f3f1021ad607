import { afterAll, beforeAll, expect, test } from 'vitest';
import { getWorkspaceMonthUsage } from '@avtrz/db/queries/quotas.queries';
import { useTestDatabase } from '@avtrz/db/testing';
import { monthOf } from '@avtrz/shared/calendar';
import { type ApiProcess, eventually, startApiProcess, usageOfKey } from './support/metering.ts';
import { seedKey, seedProfileWithoutPhoto, seedWorkspace } from './support/seed.ts';

// Two API processes against one database: the new-profile quota is exact; the request quota lets new
// profiles in for at most one flush interval of the other process's traffic after it is reached.
const database = useTestDatabase();
const FLUSH_MS = 250;
const processes: ApiProcess[] = [];
const handles = Array.from({ length: 40 }, (_, i) => `person-${i}`);
const fresh = Array.from({ length: 300 }, (_, i) => `fresh-${i}`);

beforeAll(async () => {
  for (const handle of ['known-person', ...handles, ...fresh]) await seedProfileWithoutPhoto(database.db, handle);
  processes.push(
    ...(await Promise.all([0, 1].map(() => startApiProcess(database.url, { USAGE_FLUSH_MS: String(FLUSH_MS) })))),
  );
}, 60_000);
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
});

const status = async (api: ApiProcess, key: string, handle: string) => {
  const res = await fetch(`${api.url}/v1/avatar?username=${handle}`, { headers: { 'x-api-key': key } });
  await res.arrayBuffer();
  return res.status;
};
const [a, b] = [() => processes[0] as ApiProcess, () => processes[1] as ApiProcess];

test('new-profile quota: each handle raced on both processes at once, exactly the quota is admitted', async () => {
  const workspaceId = await seedWorkspace(database.db, { monthlyNewProfileQuota: 10 });
  const key = await seedKey(database.db, workspaceId, 'publishable');
  const outcomes = await Promise.all(
    handles.map(async (handle) => {
      const [onA, onB] = await Promise.all([status(a(), key.key, handle), status(b(), key.key, handle)]);
      return { handle, onA, onB };
    }),
  );
  const admitted = outcomes.filter((o) => o.onA === 200 || o.onB === 200);
  expect(admitted).toHaveLength(10);
  // A handle admitted on one process is known on the other (a lost race reads the winner's row).
  for (const { handle } of admitted) {
    expect(await status(a(), key.key, handle)).toBe(200);
    expect(await status(b(), key.key, handle)).toBe(200);
  }
  for (const o of outcomes.filter((x) => !admitted.includes(x))) expect([o.onA, o.onB]).toEqual([402, 402]);
  expect((await getWorkspaceMonthUsage(database.db, workspaceId, monthOf(new Date()))).newProfiles).toBe(10);
  await eventually(async () => (await usageOfKey(database.db, key.id)).newProfiles === 10);
});

test('request quota: after the quota is reached on both processes, new profiles are refused within two flush intervals', async () => {
  const quota = 60;
  const workspaceId = await seedWorkspace(database.db, { monthlyRequestQuota: quota });
  const key = await seedKey(database.db, workspaceId, 'publishable');
  expect(await status(a(), key.key, 'known-person')).toBe(200);
  // Billable traffic on both processes until the workspace has had exactly `quota` billable answers.
  for (let i = 1; i < quota; i++) expect(await status(i % 2 ? b() : a(), key.key, 'known-person')).toBe(200);
  const reachedAt = Date.now();

  // New profiles (each asked once) of both processes from the moment the quota is reached.
  const asked: { at: number; status: number }[] = [];
  for (let i = 0; Date.now() - reachedAt < 6 * FLUSH_MS && i < fresh.length; i++) {
    const at = Date.now();
    asked.push({ at, status: await status(i % 2 ? a() : b(), key.key, fresh[i] as string) });
    await new Promise((r) => setTimeout(r, 10));
  }
  const overshoot = asked.filter((x) => x.status === 200);
  const late = asked.filter((x) => x.at - reachedAt > 2 * FLUSH_MS + 100);
  console.info(
    `request quota ${quota} over 2 processes (flush ${FLUSH_MS} ms): ${overshoot.length} new profiles admitted after it was reached, ` +
      `the last ${overshoot.length ? (overshoot.at(-1) as { at: number }).at - reachedAt : 0} ms after`,
  );
  expect(late.length).toBeGreaterThan(0);
  expect(late.every((x) => x.status === 402)).toBe(true);
  // Known profiles keep being served over the quota.
  expect(await status(a(), key.key, 'known-person')).toBe(200);
  expect(await status(b(), key.key, 'known-person')).toBe(200);
});
