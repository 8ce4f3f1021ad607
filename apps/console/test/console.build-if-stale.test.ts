import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { buildConsoleIfStale } from '../scripts/build-if-stale.ts';

// The all-in-one start calls this on every start: a build when there is none or the sources changed,
// nothing (a digest read) otherwise.
const parent = await mkdtemp(join(tmpdir(), 'avtrz-console-build-'));
const outDir = join(parent, 'dist');
afterAll(() => rm(parent, { recursive: true, force: true }));

test('builds when missing, then not again until the recorded sources differ', { timeout: 120_000 }, async () => {
  const first = await buildConsoleIfStale({ outDir });
  expect(first.built).toBe(true);
  const html = await readFile(join(outDir, 'index.html'), 'utf8');
  // Only external, hashed scripts: the policy the admin server sends forbids inline ones.
  expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  const assets = await readdir(join(outDir, 'assets'));
  expect(assets.some((f) => f.endsWith('.css'))).toBe(true);
  // React's production build, even under a test runner's NODE_ENV=test (its errors are minified codes).
  const script = await readFile(
    join(
      outDir,
      'assets',
      assets.find((f) => f.endsWith('.js'))!,
    ),
    'utf8',
  );
  expect(script).toContain('Minified React error');

  expect((await buildConsoleIfStale({ outDir })).built).toBe(false);

  await writeFile(join(outDir, 'build-inputs.sha256'), 'from older sources\n');
  expect((await buildConsoleIfStale({ outDir })).built).toBe(true);
  // No staging folder is left beside the build.
  expect(await readdir(parent)).toEqual(['dist']);
});
