import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { H3Event } from 'h3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { loadConfig } from '@avtrz/shared/config';
import { createLogger } from '@avtrz/shared/logger';
import { createFsStorage } from '@avtrz/shared/storage/fs-storage';
import { createAvatarDecider } from '../src/avatar/avatar-decision.ts';
import { createAvatarHandler } from '../src/avatar/avatar-handler.ts';
import { createAvatarRequestReader } from '../src/avatar/avatar-request.ts';
import { createFallbackBodies } from '../src/avatar/fallback-bodies.ts';
import { createKeyCache } from '../src/keys/key-cache.ts';
import { createMetering } from '../src/metering/create-metering.ts';
import type { Metering } from '../src/metering/metering.ts';
import { createProfileCache } from '../src/profiles/profile-cache.ts';
import { seedKey, seedProfileWithoutPhoto, seedResolvedProfile, seedWorkspace } from './support/seed.ts';

// The hot path (issue: no database round trip for what the process knows): once a key, the
// workspace's quota decision and the profile are in memory, the handler answers synchronously, with
// a Response and not a promise of one. The first request, which has to look things up, is the only
// one that waits.
const database = useTestDatabase();
const CDN = 'https://cdn.avtrz.test/cdn';
let dataDir: string;
let metering: Metering;
let avatar: ReturnType<typeof createAvatarHandler>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'avtrz-hot-path-'));
  const config = loadConfig({ DATABASE_URL: database.url, USAGE_FLUSH_MS: '60000' });
  metering = createMetering({
    config,
    database,
    logger: createLogger({ name: 'test', level: 'silent', pretty: false }),
  });
  avatar = createAvatarHandler(
    {
      decider: createAvatarDecider({
        keys: createKeyCache(database.db, { max: 100, ttlMs: 60_000 }),
        profiles: createProfileCache(database.db, { max: 100, ttlMs: 60_000, waitMs: 1_000, publicCdnUrl: CDN }),
        metering,
      }),
      fallbacks: createFallbackBodies({ maxBytes: 1024 * 1024 }),
    },
    createAvatarRequestReader(),
  );
});
afterAll(async () => {
  await metering?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const eventFor = (query: string, headers: Record<string, string>) =>
  new H3Event(new Request(`http://api.avtrz.test/v1/avatar?${query}`, { headers }));

test.each([
  { name: 'a photo (302)', handle: 'alex-rivera', withPhoto: true, status: 302 },
  { name: 'no photo (200 fallback)', handle: 'sam-lee', withPhoto: false, status: 200 },
])(
  '$name: the first request waits for its lookups, the next ones are answered synchronously',
  async ({ handle, withPhoto, status }) => {
    const key = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
    if (withPhoto) await seedResolvedProfile(database.db, createFsStorage(dataDir), handle);
    else await seedProfileWithoutPhoto(database.db, handle);
    const request = () => avatar(eventFor(`username=${handle}&size=128`, { 'x-api-key': key.key }));

    const first = request();
    expect(first).toBeInstanceOf(Promise);
    expect((await first).status).toBe(status);

    for (let i = 0; i < 3; i++) {
      const next = request();
      expect(next).toBeInstanceOf(Response);
      expect((next as Response).status).toBe(status);
      expect((next as Response).headers.get('ratelimit-limit')).toBe('1000000');
    }
  },
);

test('a profile the workspace has not asked for yet this month waits for the quota decision, even with its key in memory', async () => {
  const workspaceId = await seedWorkspace(database.db);
  const key = await seedKey(database.db, workspaceId, 'secret');
  await seedProfileWithoutPhoto(database.db, 'first-person');
  await seedProfileWithoutPhoto(database.db, 'second-person');
  const ask = (handle: string) => avatar(eventFor(`username=${handle}`, { 'x-api-key': key.key }));

  expect((await ask('first-person')).status).toBe(200);
  const second = ask('second-person');
  expect(second).toBeInstanceOf(Promise);
  expect((await second).status).toBe(200);
  expect(ask('second-person')).toBeInstanceOf(Response);
});

test('refusals that need no lookup are synchronous too', () => {
  const missing = avatar(eventFor('username=alex-rivera', {}));
  expect(missing).toBeInstanceOf(Response);
  expect((missing as Response).status).toBe(401);
  const mistyped = avatar(
    eventFor('username=alex-rivera', { 'x-api-key': 'sk_live_000000000000000000000000000000000000' }),
  );
  expect(mistyped).toBeInstanceOf(Response);
  expect((mistyped as Response).status).toBe(401);
});
