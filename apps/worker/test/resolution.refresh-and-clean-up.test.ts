import { requestProfileResolution } from '@avtrz/db/queries/profiles.queries';
import { useTestDatabase } from '@avtrz/db/testing';
import { startFakeLinkedin, type FakeLinkedin, type ProfileBehaviour } from '@avtrz/shared/testing/fake-linkedin';
import { makeDistinctPhoto } from '@avtrz/shared/testing/test-images';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningWorker } from '../src/worker.ts';
import { configFor, makeDataDir, settled, startTestWorker, testEnv, waitForProfile } from './_worker-harness.ts';

// Keeping photos fresh: the refresh cron, back-off after failures, and the clean-up of images
// nothing points at any more, each run as the worker runs it (a job in the queue).
const database = useTestDatabase();
let fake: FakeLinkedin;
let data: Awaited<ReturnType<typeof makeDataDir>>;
let worker: RunningWorker;
let workspaceId: string;
const DAY = 24 * 3_600_000;

beforeAll(async () => {
  fake = await startFakeLinkedin();
  data = await makeDataDir();
  worker = await startTestWorker(database, configFor(testEnv(fake, data.dir, database.url)));
  ({ id: workspaceId } = await database.db
    .insertInto('workspaces')
    .values({ name: 'Acme' })
    .returning('id')
    .executeTakeFirstOrThrow());
});

afterAll(async () => {
  await worker?.stop();
  await fake?.close();
  await data?.remove();
});

async function resolveNow(handle: string, behaviour: ProfileBehaviour) {
  fake.setProfile(handle, behaviour);
  await requestProfileResolution(database.db, handle);
  return waitForProfile(database.db, handle, settled);
}

/** Adds a job as the cron would and waits until the worker has run it. */
async function runJob(task: 'refresh_profiles' | 'clean_up_images') {
  await database.sql`select graphile_worker.add_job(${task})`;
  await expect
    .poll(
      async () =>
        (await database.sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = ${task}`)[0]!.n,
      {
        timeout: 10_000,
      },
    )
    .toBe(0);
}

async function makeDueAndRequested(handle: string) {
  await database.db
    .updateTable('profiles')
    .set({ next_refresh_at: new Date(Date.now() - 1000) })
    .where('handle', '=', handle)
    .execute();
  const month = `${new Date().toISOString().slice(0, 7)}-01`;
  await database.db
    .insertInto('workspace_monthly_profiles')
    .values({ workspace_id: workspaceId, month, handle })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

async function refreshed(handle: string, after: Date | null) {
  await runJob('refresh_profiles');
  return waitForProfile(
    database.db,
    handle,
    (r) => r.checked_at !== null && r.checked_at > after! && r.next_refresh_at! > new Date(Date.now() + 30_000),
  );
}

const variantKeys = (hash: string) =>
  database.db
    .selectFrom('image_variants')
    .select('storage_key')
    .where('image_hash', '=', hash)
    .orderBy('size')
    .execute();

describe('scheduled refresh', () => {
  test('an unchanged photo changes nothing: same image, same URLs, nothing new stored', async () => {
    const before = await resolveNow('steady-sam', { kind: 'photo' });
    const keys = await variantKeys(before.image_hash!);
    const files = await data.imageFiles();
    await makeDueAndRequested('steady-sam');
    const after = await refreshed('steady-sam', before.checked_at);
    expect(after).toMatchObject({ status: 'resolved', image_hash: before.image_hash });
    expect(await variantKeys(after.image_hash!)).toEqual(keys);
    expect(await data.imageFiles()).toEqual(files);
    expect(fake.hits('steady-sam').page).toBe(2);
  });

  test('a changed photo gets new URLs, and the old image starts its grace period', async () => {
    const before = await resolveNow('changing-cleo', { kind: 'photo' });
    const oldKeys = await variantKeys(before.image_hash!);
    fake.setProfile('changing-cleo', {
      kind: 'photo',
      photo: { kind: 'image', body: await makeDistinctPhoto('a new photo') },
    });
    await makeDueAndRequested('changing-cleo');
    const after = await refreshed('changing-cleo', before.checked_at);
    expect(after.status).toBe('resolved');
    expect(after.image_hash).not.toBe(before.image_hash);
    const newKeys = await variantKeys(after.image_hash!);
    expect(newKeys.some((k) => oldKeys.some((o) => o.storage_key === k.storage_key))).toBe(false);
    const old = await database.db
      .selectFrom('images')
      .select('unreferenced_since')
      .where('hash', '=', before.image_hash!)
      .executeTakeFirstOrThrow();
    expect(old.unreferenced_since).toBeInstanceOf(Date);
  });

  test('a profile with a photo that fails a refresh keeps serving its photo, and backs off', async () => {
    const before = await resolveNow('blocked-bo', { kind: 'photo' });
    fake.setProfile('blocked-bo', { kind: 'status', status: 999 });
    await makeDueAndRequested('blocked-bo');
    const first = await refreshed('blocked-bo', before.checked_at);
    expect(first).toMatchObject({
      status: 'resolved',
      image_hash: before.image_hash,
      failure_count: 1,
      last_error: 'page_status_999',
    });

    await makeDueAndRequested('blocked-bo');
    const second = await refreshed('blocked-bo', first.checked_at);
    expect(second).toMatchObject({ status: 'resolved', image_hash: before.image_hash, failure_count: 2 });
    const wait = second.next_refresh_at!.getTime() - second.checked_at!.getTime();
    expect(wait).toBeGreaterThanOrEqual(0.8 * 2 * 60_000);
    expect(wait).toBeLessThanOrEqual(1.2 * 2 * 60_000);

    fake.setProfile('blocked-bo', { kind: 'photo' });
    await makeDueAndRequested('blocked-bo');
    const recovered = await refreshed('blocked-bo', second.checked_at);
    expect(recovered).toMatchObject({
      status: 'resolved',
      image_hash: before.image_hash,
      failure_count: 0,
      last_error: null,
    });
  });

  test('a failed first resolution is retried once its back-off has passed', async () => {
    const failed = await resolveNow('late-lee', { kind: 'auth_wall' });
    expect(failed).toMatchObject({ status: 'failed', last_error: 'auth_wall' });
    fake.setProfile('late-lee', { kind: 'photo' });
    await makeDueAndRequested('late-lee');
    expect(await refreshed('late-lee', failed.checked_at)).toMatchObject({ status: 'resolved', failure_count: 0 });
  });

  test('profiles nobody requests any more, and profiles not yet due, are left alone', async () => {
    const idle = await resolveNow('idle-ida', { kind: 'photo' });
    await database.db
      .updateTable('profiles')
      .set({ next_refresh_at: new Date(Date.now() - DAY) })
      .where('handle', '=', 'idle-ida')
      .execute();
    const recent = await resolveNow('recent-rae', { kind: 'photo' });
    await database.db
      .updateTable('profiles')
      .set({ last_requested_at: new Date() })
      .where('handle', '=', 'recent-rae')
      .execute();
    // A profile requested through last_requested_at (not this month's list) is refreshed when due.
    const viaLastRequested = await resolveNow('direct-dee', { kind: 'photo' });
    await database.db
      .updateTable('profiles')
      .set({ last_requested_at: new Date(), next_refresh_at: new Date(Date.now() - 1000) })
      .where('handle', '=', 'direct-dee')
      .execute();

    await refreshed('direct-dee', viaLastRequested.checked_at);
    const current = (h: string) =>
      database.db.selectFrom('profiles').selectAll().where('handle', '=', h).executeTakeFirstOrThrow();
    const idleAfter = await current('idle-ida');
    const recentAfter = await current('recent-rae');
    expect(idleAfter.checked_at).toEqual(idle.checked_at);
    expect(recentAfter.checked_at).toEqual(recent.checked_at);
  });
});

describe('clean-up of unreferenced images', () => {
  test('images unreferenced for longer than the grace period are deleted, rows and objects; others stay', async () => {
    const gone = await resolveNow('leaving-lou', { kind: 'photo' });
    const recent = await resolveNow('recent-ren', { kind: 'photo' });
    const kept = await resolveNow('kept-kim', { kind: 'photo' });
    const goneKeys = (await variantKeys(gone.image_hash!)).map((v) => v.storage_key);
    const recentKeys = (await variantKeys(recent.image_hash!)).map((v) => v.storage_key);
    // Both profiles are removed; one image lost its last reference four days ago, the other one day ago.
    await database.db.deleteFrom('profiles').where('handle', 'in', ['leaving-lou', 'recent-ren']).execute();
    await database.db
      .updateTable('images')
      .set({ unreferenced_since: new Date(Date.now() - 4 * DAY) })
      .where('hash', '=', gone.image_hash!)
      .execute();
    await database.db
      .updateTable('images')
      .set({ unreferenced_since: new Date(Date.now() - DAY) })
      .where('hash', '=', recent.image_hash!)
      .execute();

    await runJob('clean_up_images');

    const hashes = (await database.db.selectFrom('images').select('hash').execute()).map((r) => r.hash);
    expect(hashes).not.toContain(gone.image_hash);
    expect(hashes).toContain(recent.image_hash);
    expect(hashes).toContain(kept.image_hash);
    const files = await data.imageFiles();
    for (const key of goneKeys) expect(files).not.toContain(key);
    for (const key of recentKeys) expect(files).toContain(key);
    expect(
      await database.db
        .selectFrom('image_variants')
        .select('storage_key')
        .where('image_hash', '=', gone.image_hash!)
        .execute(),
    ).toEqual([]);
  });

  test('an image whose profile was deleted without marking it is noticed and given its grace period', async () => {
    const orphan = await resolveNow('orphan-oz', { kind: 'photo' });
    await database.db.deleteFrom('profiles').where('handle', '=', 'orphan-oz').execute();
    await runJob('clean_up_images');
    const row = await database.db
      .selectFrom('images')
      .select('unreferenced_since')
      .where('hash', '=', orphan.image_hash!)
      .executeTakeFirstOrThrow();
    expect(row.unreferenced_since).toBeInstanceOf(Date);
  });

  test('a photo that comes back during its grace period is used again, not deleted', async () => {
    const body = await makeDistinctPhoto('comeback');
    const first = await resolveNow('comeback-cy', { kind: 'photo', photo: { kind: 'image', body } });
    fake.setProfile('comeback-cy', { kind: 'no_photo' });
    await requestProfileResolution(database.db, 'comeback-cy');
    await waitForProfile(database.db, 'comeback-cy', (r) => r.status === 'no_photo');
    const marked = await database.db
      .selectFrom('images')
      .select('unreferenced_since')
      .where('hash', '=', first.image_hash!)
      .executeTakeFirstOrThrow();
    expect(marked.unreferenced_since).toBeInstanceOf(Date);
    fake.setProfile('comeback-cy', { kind: 'photo', photo: { kind: 'image', body } });
    await requestProfileResolution(database.db, 'comeback-cy');
    const back = await waitForProfile(database.db, 'comeback-cy', (r) => r.status === 'resolved');
    expect(back.image_hash).toBe(first.image_hash);
    const row = await database.db
      .selectFrom('images')
      .select('unreferenced_since')
      .where('hash', '=', first.image_hash!)
      .executeTakeFirstOrThrow();
    expect(row.unreferenced_since).toBeNull();
  });
});
