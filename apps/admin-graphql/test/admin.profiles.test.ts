import { useTestDatabase } from '@avtrz/db/testing';
import { beforeAll, describe, expect, test } from 'vitest';
import { asKey, asOperator, createWorkspaceAsOperator, useAdminServer } from './support/admin-server.ts';

const database = useTestDatabase();
const admin = useAdminServer(database);

let secret: string;
const hash = (c: string) => c.repeat(64);

beforeAll(async () => {
  secret = (await createWorkspaceAsOperator(admin, 'Profiled')).key;
  // A profile the worker resolved: an image with two renditions.
  await database.db
    .insertInto('images')
    .values({
      hash: hash('a'),
      source_url: 'https://media.licdn.com/x.jpg',
      source_width: 800,
      source_height: 800,
      format: 'webp',
    })
    .execute();
  await database.db
    .insertInto('image_variants')
    .values(
      [32, 128].map((size) => ({
        image_hash: hash('a'),
        size,
        content_hash: hash(size === 32 ? 'b' : 'c'),
        storage_key: `${hash(size === 32 ? 'b' : 'c')}.webp`,
        content_type: 'image/webp',
        byte_size: 1000,
      })),
    )
    .execute();
  await database.db
    .insertInto('profiles')
    .values([
      {
        handle: 'alex-rivera',
        status: 'resolved',
        image_hash: hash('a'),
        resolved_at: new Date('2026-10-01T10:00:00Z'),
        checked_at: new Date('2026-10-02T10:00:00Z'),
      },
      { handle: 'no-face', status: 'no_photo', checked_at: new Date('2026-10-03T10:00:00Z') },
    ])
    .execute();
});

const PROFILE = `query ($username: String!) {
  profile(username: $username) { username status imageUrl small: imageUrl(size: 32) large: imageUrl(size: 512) resolvedAt checkedAt }
}`;

describe('profile(username)', () => {
  test('shows a resolved profile with CDN URLs per size, whatever the case of the handle', async () => {
    const result = await admin.graphql(PROFILE, { username: 'Alex-Rivera' }, asKey(secret));
    expect(result.data).toEqual({
      profile: {
        username: 'alex-rivera',
        status: 'RESOLVED',
        imageUrl: `https://cdn.example.test/avatars/${hash('c')}.webp`,
        small: `https://cdn.example.test/avatars/${hash('b')}.webp`,
        large: null,
        resolvedAt: '2026-10-01T10:00:00.000Z',
        checkedAt: '2026-10-02T10:00:00.000Z',
      },
    });
  });

  test('a profile without a photo has no image URL', async () => {
    const result = await admin.graphql<{ profile: Record<string, unknown> }>(
      PROFILE,
      { username: 'no-face' },
      asKey(secret),
    );
    expect(result.data!.profile).toMatchObject({ status: 'NO_PHOTO', imageUrl: null, resolvedAt: null });
  });

  test('a profile nobody asked for is null', async () => {
    expect((await admin.graphql(PROFILE, { username: 'never-seen' }, asKey(secret))).data).toEqual({ profile: null });
  });

  test('a handle that breaks the rules is BAD_USER_INPUT naming username', async () => {
    const result = await admin.graphql(PROFILE, { username: 'a b' }, asKey(secret));
    expect(result.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/^username /);
  });

  test('a size that is not offered is BAD_USER_INPUT naming size', async () => {
    const result = await admin.graphql(
      '{ profile(username: "alex-rivera") { imageUrl(size: 100) } }',
      {},
      asKey(secret),
    );
    expect(result.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/^size /);
  });
});

describe('refreshProfile(username)', () => {
  test('queues one resolution now for the canonical handle and returns the profile', async () => {
    const mutation = 'mutation ($u: String!) { refreshProfile(username: $u) { username status imageUrl } }';
    const first = await admin.graphql(mutation, { u: 'New-Person' }, asKey(secret));
    expect(first.data).toEqual({ refreshProfile: { username: 'new-person', status: 'PENDING', imageUrl: null } });
    // The operator may refresh too; asking twice shares the queued job.
    await admin.graphql(mutation, { u: 'new-person' }, asOperator());
    // The payload is not in the public view of Graphile Worker's jobs.
    const jobs = await database.sql<{ task_identifier: string; queue_name: string; payload: unknown; run_at: Date }[]>`
      select j.task_identifier, j.queue_name, p.payload, j.run_at
      from graphile_worker.jobs j join graphile_worker._private_jobs p using (id)
      where j.key = 'resolve_profile:new-person'`;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      task_identifier: 'resolve_profile',
      queue_name: 'profile:new-person',
      payload: { handle: 'new-person', reason: 'manual' },
    });
    expect(jobs[0]!.run_at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  test('a resolved profile keeps being served while it is refreshed', async () => {
    const result = await admin.graphql(
      'mutation { refreshProfile(username: "alex-rivera") { status imageUrl } }',
      {},
      asKey(secret),
    );
    expect(result.data).toEqual({
      refreshProfile: { status: 'RESOLVED', imageUrl: `https://cdn.example.test/avatars/${hash('c')}.webp` },
    });
  });

  test('a handle that breaks the rules is BAD_USER_INPUT and queues nothing', async () => {
    const result = await admin.graphql('mutation { refreshProfile(username: "x") { status } }', {}, asKey(secret));
    expect(result.code).toBe('BAD_USER_INPUT');
    const [row] = await database.sql<{ n: number }[]>`select count(*)::int as n from profiles where handle = 'x'`;
    expect(row!.n).toBe(0);
  });
});
