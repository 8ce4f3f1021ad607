import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ApiUnderTest, TEST_CDN_URL, startApiUnderTest } from './support/api-under-test.ts';
import {
  resolutionJobs,
  seedKey,
  seedProfileWithoutPhoto,
  seedResolvedProfile,
  seedWorkspace,
} from './support/seed.ts';

// The worker's side is played by the test: it writes what the worker writes and NOTIFYs like it.
const database = useTestDatabase();
let patient: ApiUnderTest; // RESOLVE_WAIT_MS=4000
let hasty: ApiUnderTest; // RESOLVE_WAIT_MS=300
let key: string;

beforeAll(async () => {
  patient = await startApiUnderTest(database, { env: { RESOLVE_WAIT_MS: '4000' } });
  hasty = await startApiUnderTest(database, {
    ownPool: true,
    env: { RESOLVE_WAIT_MS: '300' },
    dataDir: patient.config.dataDir,
  });
  key = (await seedKey(database.db, await seedWorkspace(database.db), 'secret')).key;
});
afterAll(async () => {
  await hasty?.close();
  await patient?.close();
});

const ask = (api: ApiUnderTest, handle: string) =>
  api.request(`/v1/avatar?username=${handle}&size=64`, { headers: { 'x-api-key': key } });

async function untilJobQueued(handle: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while ((await resolutionJobs(database.db, handle)) === 0) {
    if (Date.now() > deadline) throw new Error(`no resolution job for ${handle}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the first request for a profile', () => {
  test('enqueues its resolution and is answered with the 302 as soon as the worker is done', async () => {
    const started = Date.now();
    const answer = ask(patient, 'first-timer');
    await untilJobQueued('first-timer');
    const pending = await database.db
      .selectFrom('profiles')
      .select('status')
      .where('handle', '=', 'first-timer')
      .executeTakeFirst();
    expect(pending?.status).toBe('pending');
    await new Promise((r) => setTimeout(r, 150));
    const photo = await seedResolvedProfile(database.db, patient.storage, 'first-timer');
    const res = await answer;
    const elapsed = Date.now() - started;
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${TEST_CDN_URL}/${photo.variants.get(64)?.storageKey}`);
    // Woken by the notification, long before the 4 s wait would have run out.
    expect(elapsed).toBeLessThan(2500);
  });

  test('many first requests at once share one job and all get the photo', async () => {
    const answers = Array.from({ length: 12 }, () => ask(patient, 'popular-newcomer'));
    await untilJobQueued('popular-newcomer');
    expect(await resolutionJobs(database.db, 'popular-newcomer')).toBe(1);
    await seedResolvedProfile(database.db, patient.storage, 'popular-newcomer');
    for (const res of await Promise.all(answers)) expect(res.status).toBe(302);
    expect(await resolutionJobs(database.db, 'popular-newcomer')).toBe(1);
  });

  test('a profile found without a photo during the wait gets the fallback at once', async () => {
    const started = Date.now();
    const answer = ask(patient, 'camera-shy');
    await untilJobQueued('camera-shy');
    await seedProfileWithoutPhoto(database.db, 'camera-shy');
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  test('still resolving after RESOLVE_WAIT_MS: the fallback; later requests do not wait again', async () => {
    const started = Date.now();
    const first = await ask(hasty, 'slow-upstream');
    expect(first.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    const again = Date.now();
    const second = await ask(hasty, 'slow-upstream');
    expect(second.status).toBe(200);
    expect(Date.now() - again).toBeLessThan(250);
    expect(await resolutionJobs(database.db, 'slow-upstream')).toBe(1);
    // Once the worker is done, the photo is served.
    await seedResolvedProfile(database.db, hasty.storage, 'slow-upstream');
    const deadline = Date.now() + 2000;
    let status = 0;
    while (status !== 302 && Date.now() < deadline) status = (await ask(hasty, 'slow-upstream')).status;
    expect(status).toBe(302);
  });
});

describe('negative caching', () => {
  test('a profile without a photo is answered from memory, not looked up or enqueued on every request', async () => {
    await seedProfileWithoutPhoto(database.db, 'no-photo-known');
    for (let i = 0; i < 20; i++) {
      const res = await ask(patient, 'no-photo-known');
      expect(res.status).toBe(200);
    }
    expect(await resolutionJobs(database.db, 'no-photo-known')).toBe(0);
  });

  test('a failed profile too', async () => {
    await seedProfileWithoutPhoto(database.db, 'upstream-failed', 'failed');
    for (let i = 0; i < 10; i++) expect((await ask(patient, 'upstream-failed')).status).toBe(200);
    expect(await resolutionJobs(database.db, 'upstream-failed')).toBe(0);
  });
});
