import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApiUnderTest, TEST_CDN_URL, startApiUnderTest } from '@avtrz/api/testing/api-under-test';
import {
  type SeededPhoto,
  seedKey,
  seedProfileWithoutPhoto,
  seedResolvedProfile,
  seedSigningSecret,
  seedWorkspace,
} from '@avtrz/api/testing/seed';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ExerciseInput, exerciseClient } from './runtimes/exercise-client.ts';

// @avtrz/client says it runs in Deno and Bun: the same calls against the real API, made by Node here and by
// each runtime's own binary, give the same answers. The binaries come from the npm registry: the `deno` and
// `bun` packages (devDependencies here) pull the platform's binary as an optional dependency
// (@deno/linux-x64-glibc, @oven/bun-linux-x64, …); their postinstall scripts stay off (allowBuilds).
const require = createRequire(import.meta.url);

/** The installed platform package's binary of `deno` or `bun`, or why there is none. */
function runtimeBinary(runtime: 'deno' | 'bun'): { path: string } | { missing: string } {
  let meta: { optionalDependencies?: Record<string, string> };
  let metaDir: string;
  try {
    const manifest = require.resolve(`${runtime}/package.json`);
    metaDir = dirname(manifest);
    meta = require(manifest) as typeof meta;
  } catch {
    return { missing: `the ${runtime} package is not installed (pnpm install)` };
  }
  // pnpm installs the one optional dependency that fits this os, cpu and libc; the others do not resolve.
  const fromMeta = createRequire(join(metaDir, 'package.json'));
  for (const name of Object.keys(meta.optionalDependencies ?? {})) {
    let dir: string;
    try {
      dir = dirname(fromMeta.resolve(`${name}/package.json`));
    } catch {
      continue;
    }
    const binary = join(dir, runtime === 'bun' ? 'bin/bun' : 'deno');
    if (existsSync(binary)) return { path: binary };
  }
  return { missing: `no ${runtime} binary for ${process.platform}-${process.arch} is published on npm` };
}

const deno = runtimeBinary('deno');
const bun = runtimeBinary('bun');
const entry = fileURLToPath(new URL('./runtimes/run-client.ts', import.meta.url));
const inCi = process.env.CI === 'true' || process.env.CI === '1';

const database = useTestDatabase();
let api: ApiUnderTest;
let photo: SeededPhoto;
let input: ExerciseInput;
let home: string;

beforeAll(async () => {
  api = await startApiUnderTest(database);
  home = await mkdtemp(join(tmpdir(), 'avtrz-runtimes-'));
  const workspace = await seedWorkspace(database.db);
  const secretKey = (await seedKey(database.db, workspace, 'secret')).key;
  const publishable = await seedKey(database.db, workspace, 'publishable', { allowedDomains: ['shop.example'] });
  photo = await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
  await seedProfileWithoutPhoto(database.db, 'no-photo-person');
  const { secret } = await seedSigningSecret(database.db, publishable.id);
  input = {
    baseUrl: api.url,
    secretKey,
    publishableKey: publishable.key,
    signingSecret: secret,
    allowedHost: 'shop.example',
  };
});
afterAll(async () => {
  await api?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

/** What Node's run answers: checked against the API's rules first, so the comparison below compares something. */
let expected: Awaited<ReturnType<typeof exerciseClient>>;

describe('@avtrz/client outside Node', { timeout: 60_000 }, () => {
  test('Node: the calls the other runtimes make, answered as the API answers them', async () => {
    let answers = await exerciseClient(input);
    // The new signing secret reaches the API's memory by notification: give it a moment.
    for (let i = 0; answers.signed.status === 401 && i < 40; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      answers = await exerciseClient(input);
    }
    const cdn = (size: number) => `${TEST_CDN_URL}/${photo.variants.get(size)?.storageKey}`;
    expect(answers.page).toEqual({ status: 302, location: cdn(64) });
    expect(answers.withoutReferer).toBe(401);
    expect(answers.signed).toMatchObject({ status: 302, location: cdn(64) });
    expect(answers.lookup).toMatchObject({ username: 'alex-rivera', status: 'resolved', size: 128, url: cdn(128) });
    expect(answers.batch.map((r) => r.status)).toEqual(['resolved', 'no_photo', 'invalid']);
    expect(answers.refused).toEqual({
      isAvtrzError: true,
      name: 'AvtrzAuthError',
      code: 'secret_key_required',
      status: 403,
    });
    expected = answers;
  });

  const run = async (command: string, args: string[]) => {
    const { stdout } = await promisify(execFile)(command, [...args, entry, JSON.stringify(input)], {
      // Nothing of this machine's: a fresh home and cache, no update checks or telemetry.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        DENO_DIR: join(home, 'deno'),
        DENO_NO_UPDATE_CHECK: '1',
        DO_NOT_TRACK: '1',
        BUN_INSTALL_CACHE_DIR: join(home, 'bun'),
      },
      timeout: 50_000,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as unknown;
  };

  test.skipIf('missing' in deno)(
    `Deno runs the package's TypeScript as it is, with the same answers${'missing' in deno ? ` (skipped: ${deno.missing})` : ''}`,
    async () => {
      if (!('path' in deno)) return;
      const port = new URL(api.url).port;
      const answers = await run(deno.path, [
        'run',
        '--no-config',
        '--no-lock',
        '--no-remote',
        `--allow-net=127.0.0.1:${port}`,
      ]);
      expect(answers).toEqual(expected);
    },
  );

  test.skipIf('missing' in bun)(
    `Bun runs the package's TypeScript as it is, with the same answers${'missing' in bun ? ` (skipped: ${bun.missing})` : ''}`,
    async () => {
      if (!('path' in bun)) return;
      const answers = await run(bun.path, ['run', '--no-install']);
      expect(answers).toEqual(expected);
    },
  );

  test.runIf(inCi && ('missing' in deno || 'missing' in bun))('CI has both binaries', () => {
    expect({ deno, bun }).toEqual({ deno: { path: expect.any(String) }, bun: { path: expect.any(String) } });
  });
});
