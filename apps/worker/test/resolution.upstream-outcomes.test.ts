import { channels, listen } from '@avtrz/db/notify';
import { requestProfileResolution } from '@avtrz/db/queries/profiles.queries';
import { useTestDatabase } from '@avtrz/db/testing';
import { startFakeLinkedin, type FakeLinkedin, type ProfileBehaviour } from '@avtrz/shared/testing/fake-linkedin';
import { HTML_AS_IMAGE, makePixelBombPng, SVG_WITH_SCRIPT } from '@avtrz/shared/testing/test-images';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningWorker } from '../src/worker.ts';
import { configFor, makeDataDir, settled, startTestWorker, testEnv, waitForProfile } from './_worker-harness.ts';

// Handles go in as resolve_profile jobs (as the API enqueues them) and come out as profile rows,
// stored images and notifications, against a fake LinkedIn answering as told.
const database = useTestDatabase();
let fake: FakeLinkedin;
let data: Awaited<ReturnType<typeof makeDataDir>>;
let worker: RunningWorker;
const notified: string[] = [];
let stopListening: () => Promise<void>;

beforeAll(async () => {
  fake = await startFakeLinkedin();
  data = await makeDataDir();
  worker = await startTestWorker(database, configFor(testEnv(fake, data.dir, database.url)));
  const subscription = await listen(database.sql, channels.profiles, (handle) => notified.push(handle));
  stopListening = subscription.unlisten;
});

afterAll(async () => {
  await stopListening?.();
  await worker?.stop();
  await fake?.close();
  await data?.remove();
});

async function resolve(handle: string, behaviour: ProfileBehaviour) {
  fake.setProfile(handle, behaviour);
  await requestProfileResolution(database.db, handle);
  return waitForProfile(database.db, handle, settled);
}

describe('a photo', () => {
  test('is stored at five sizes and the profile points at it, with a notification', async () => {
    const row = await resolve('alex-rivera', { kind: 'photo' });
    expect(row).toMatchObject({ status: 'resolved', failure_count: 0, last_error: null });
    expect(row.resolved_at).toBeInstanceOf(Date);
    expect(row.next_refresh_at!.getTime() - row.checked_at!.getTime()).toBe(7 * 24 * 3_600_000);
    const variants = await database.db
      .selectFrom('image_variants')
      .selectAll()
      .where('image_hash', '=', row.image_hash!)
      .execute();
    expect(variants.map((v) => v.size).sort((a, b) => a - b)).toEqual([32, 64, 128, 256, 512]);
    const files = await data.imageFiles();
    for (const v of variants) {
      expect(v.storage_key).toBe(`${v.content_hash}.webp`);
      expect(files).toContain(v.storage_key);
    }
    await expect.poll(() => notified.includes('alex-rivera')).toBe(true);
  });

  test.each(['reversed', 'entities'] as const)('is found when og:image is written %s', async (markup) => {
    expect(await resolve(`markup-${markup}`, { kind: 'photo', markup })).toMatchObject({ status: 'resolved' });
  });

  test('shared by two profiles is stored once', async () => {
    const body = new Uint8Array(await (await fetch(fake.photoUrl('alex-rivera'))).arrayBuffer());
    const a = await resolve('twin-one', { kind: 'photo', photo: { kind: 'image', body } });
    const b = await resolve('twin-two', { kind: 'photo', photo: { kind: 'image', body } });
    expect(a.image_hash).toBe(b.image_hash);
    const images = await database.db.selectFrom('images').select('hash').where('hash', '=', a.image_hash!).execute();
    expect(images).toHaveLength(1);
  });
});

describe('no photo', () => {
  test.each<[string, ProfileBehaviour, string]>([
    ['no-og-image', { kind: 'no_photo' }, 'no_og_image'],
    ['gone-profile', { kind: 'status', status: 404 }, 'not_found'],
    ['placeholder-art', { kind: 'foreign_photo' }, 'host_not_allowed'],
  ])('%s ends as no_photo, re-checked after 24 h', async (handle, behaviour, reason) => {
    const row = await resolve(handle, behaviour);
    expect(row).toMatchObject({ status: 'no_photo', image_hash: null, last_error: reason });
    expect(row.next_refresh_at!.getTime() - row.checked_at!.getTime()).toBe(24 * 3_600_000);
  });
});

describe('failures are retried later with back-off, never recorded as no photo', () => {
  const cases: [string, ProfileBehaviour, string][] = [
    ['status-999', { kind: 'status', status: 999 }, 'page_status_999'],
    ['status-429', { kind: 'status', status: 429 }, 'page_status_429'],
    ['auth-walled', { kind: 'auth_wall' }, 'auth_wall'],
    ['to-metadata', { kind: 'redirect', location: 'http://169.254.169.254/latest/meta-data/' }, 'page_address_refused'],
    ['huge-page', { kind: 'huge_page' }, 'page_too_large'],
    ['endless-page', { kind: 'endless_page' }, 'page_timeout'],
    ['huge-photo', { kind: 'photo', photo: { kind: 'huge' } }, 'photo_too_large'],
    ['endless-photo', { kind: 'photo', photo: { kind: 'endless' } }, 'photo_timeout'],
    [
      'pixel-bomb',
      { kind: 'photo', photo: { kind: 'image', body: makePixelBombPng(), contentType: 'image/png' } },
      'image_too_many_pixels',
    ],
    [
      'html-photo',
      { kind: 'photo', photo: { kind: 'image', body: HTML_AS_IMAGE, contentType: 'image/jpeg' } },
      'photo_unsupported_type',
    ],
    [
      'svg-photo',
      { kind: 'photo', photo: { kind: 'image', body: SVG_WITH_SCRIPT, contentType: 'image/svg+xml' } },
      'photo_unsupported_type',
    ],
  ];

  test('every hostile answer ends in its state, with nothing stored and no crash', async () => {
    const imagesBefore = await database.db.selectFrom('images').select('hash').execute();
    const rows = await Promise.all(cases.map(([handle, behaviour]) => resolve(handle, behaviour)));
    for (const [i, [handle, , reason]] of cases.entries()) {
      const row = rows[i]!;
      expect({ handle, status: row.status, error: row.last_error, failures: row.failure_count }).toEqual({
        handle,
        status: 'failed',
        error: reason,
        failures: 1,
      });
      // First retry after about a minute (±20% jitter).
      const wait = row.next_refresh_at!.getTime() - row.checked_at!.getTime();
      expect(wait).toBeGreaterThanOrEqual(48_000);
      expect(wait).toBeLessThanOrEqual(72_000);
    }
    expect(await database.db.selectFrom('images').select('hash').execute()).toHaveLength(imagesBefore.length);
  });

  test('the worker is still resolving afterwards', async () => {
    expect(await resolve('after-the-storm', { kind: 'photo' })).toMatchObject({ status: 'resolved' });
  });
});

test('a malformed job payload is dropped without touching any profile', async () => {
  await database.sql`select graphile_worker.add_job('resolve_profile', '{"handle": "../../etc"}'::json)`;
  await expect
    .poll(async () => (await database.sql`select count(*)::int as n from graphile_worker.jobs`)[0]!.n, {
      timeout: 5000,
    })
    .toBe(0);
  expect(await database.db.selectFrom('profiles').select('handle').where('handle', '=', '../../etc').execute()).toEqual(
    [],
  );
});

test('once the worker stops, no connection to the upstream is left open', async () => {
  await worker.stop();
  await expect.poll(() => fake.openConnections(), { timeout: 3000 }).toBe(0);
});
