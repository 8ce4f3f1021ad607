import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createImageStorage } from '../src/storage/create-image-storage.ts';
import type { ImageStorage } from '../src/storage/image-storage.ts';
import { createS3Storage } from '../src/storage/s3-storage.ts';

// The same behaviour from both drivers: the filesystem under DATA_DIR, and S3 spoken over the wire
// to a real S3-compatible server (s3rver) started here.
let dir: string;
let s3server: S3rver;
let endpoint: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'avtrz-storage-'));
  s3server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: join(dir, 's3'),
    configureBuckets: [{ name: 'avatars' }],
  });
  const { port } = await s3server.run();
  endpoint = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  s3server.httpServer?.closeAllConnections();
  await s3server.close();
  await rm(dir, { recursive: true, force: true });
});

const key = (c: string, ext = 'webp') => `${c.repeat(64)}.${ext}`;

const drivers: [string, () => Promise<ImageStorage & { close?(): void }>][] = [
  ['fs (DATA_DIR)', () => createImageStorage(loadConfig({ DATA_DIR: join(dir, 'data') }).storage)],
  [
    's3 (STORAGE_DRIVER=s3)',
    () =>
      createImageStorage(
        loadConfig({
          STORAGE_DRIVER: 's3',
          S3_BUCKET: 'avatars',
          S3_ENDPOINT: endpoint,
          S3_ACCESS_KEY_ID: 'S3RVER',
          S3_SECRET_ACCESS_KEY: 'S3RVER',
          S3_FORCE_PATH_STYLE: 'true',
        }).storage,
      ),
  ],
];

describe.each(drivers)('%s', (_name, make) => {
  test('put, get back byte for byte with its type, overwrite harmlessly, delete, delete again', async () => {
    const storage = await make();
    try {
      const body = new Uint8Array([1, 2, 3, 250, 251, 252]);
      await storage.put(key('a'), body, 'image/webp');
      await storage.put(key('a'), body, 'image/webp');
      const got = await storage.get(key('a'));
      expect(got && { body: new Uint8Array(got.body), contentType: got.contentType }).toEqual({
        body,
        contentType: 'image/webp',
      });
      await storage.put(key('b', 'png'), body, 'image/png');
      expect((await storage.get(key('b', 'png')))?.contentType).toBe('image/png');
      await storage.delete(key('a'));
      expect(await storage.get(key('a'))).toBeUndefined();
      await storage.delete(key('a'));
    } finally {
      storage.close?.();
    }
  });

  test('a key that is not ours is never read or written', async () => {
    const storage = await make();
    try {
      expect(await storage.get('../../etc/passwd')).toBeUndefined();
      expect(await storage.get(key('c'))).toBeUndefined();
      await expect(storage.put('../escape.webp', new Uint8Array([1]), 'image/webp')).rejects.toThrow(
        /not a storage key/,
      );
    } finally {
      storage.close?.();
    }
  });
});

test('objects in S3 carry an immutable Cache-Control, since a key never changes content', async () => {
  const storage = createS3Storage({
    bucket: 'avatars',
    region: 'us-east-1',
    endpoint,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  });
  try {
    await storage.put(key('d'), new Uint8Array([9]), 'image/webp');
    const response = await fetch(`${endpoint}/avatars/${key('d')}`);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    await response.arrayBuffer();
  } finally {
    storage.close();
  }
});
