import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('warming the compile cache loads every app and leaves cached code for them', async () => {
  const cache = await mkdtemp(join(tmpdir(), 'avtrz-compile-cache-'));
  try {
    const run = spawnSync(process.execPath, ['scripts/warm-compile-cache.ts'], {
      cwd: root,
      env: { ...process.env, NODE_COMPILE_CACHE: cache },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const [versionDir] = await readdir(cache);
    expect(versionDir).toBeDefined();
    // Hundreds of modules (ours and the libraries'), each cached once.
    expect((await readdir(join(cache, versionDir as string), { recursive: true })).length).toBeGreaterThan(100);
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
});

test('without NODE_COMPILE_CACHE it says what to set', () => {
  const env = { ...process.env };
  delete env.NODE_COMPILE_CACHE;
  const run = spawnSync(process.execPath, ['scripts/warm-compile-cache.ts'], { cwd: root, env, encoding: 'utf8' });
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('set NODE_COMPILE_CACHE');
});
