import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requestProfileResolution } from '@avtrz/db/queries/profiles.queries';
import { useTestDatabase } from '@avtrz/db/testing';
import { startFakeLinkedin, type FakeLinkedin } from '@avtrz/shared/testing/fake-linkedin';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { configFor, makeDataDir, startTestWorker, testEnv, waitForProfile } from './_worker-harness.ts';

// A worker process is SIGKILLed in the middle of a job; another one starts, the job runs again and
// the profile ends resolved exactly once: one image, five renditions, no job left behind.
const database = useTestDatabase();
const workerMain = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let fake: FakeLinkedin;
const dataDirs: Awaited<ReturnType<typeof makeDataDir>>[] = [];
const children = new Set<ChildProcess>();

beforeAll(async () => {
  fake = await startFakeLinkedin();
});

afterEach(async () => {
  await Promise.all([...children].map((child) => stopChild(child, 'SIGKILL')));
});

afterAll(async () => {
  await fake?.close();
  await Promise.all(dataDirs.map((d) => d.remove()));
});

function startWorkerProcess(dataDir: string): ChildProcess {
  const child = spawn(process.execPath, [workerMain], {
    env: { ...process.env, ...testEnv(fake, dataDir, database.url) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<number | string> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode ?? 'gone';
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, sig) => resolve(code ?? sig ?? 'gone')),
  );
  child.kill(signal);
  return exited;
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test.each(['page', 'photo'] as const)(
  'killed while fetching the %s, the job is run again by the next worker',
  async (stage) => {
    const handle = `slow-${stage}`;
    fake.setProfile(
      handle,
      stage === 'page'
        ? { kind: 'photo', pageDelayMs: 3000 }
        : { kind: 'photo', photo: { kind: 'image', delayMs: 3000 } },
    );
    await requestProfileResolution(database.db, handle);
    const data = await makeDataDir();
    dataDirs.push(data);

    const first = startWorkerProcess(data.dir);
    await until(() => fake.hits(handle)[stage] >= 1, 20_000, `the first worker to fetch the ${stage}`);
    expect(await stopChild(first, 'SIGKILL')).toBe('SIGKILL');
    const [locked] = await database.sql<{ locked_by: string | null }[]>`select locked_by from graphile_worker.jobs`;
    expect(locked?.locked_by).toBeTruthy();

    // The upstream answers promptly now; the next worker must pick the job up without waiting for
    // Graphile Worker's 4-hour lock timeout.
    fake.setProfile(handle, { kind: 'photo' });
    const second = startWorkerProcess(data.dir);
    const row = await waitForProfile(database.db, handle, (r) => r.status === 'resolved', 25_000);
    expect(row.failure_count).toBe(0);
    expect(fake.hits(handle)[stage]).toBe(2);

    const images = await database.db
      .selectFrom('images')
      .select('hash')
      .where('source_url', 'like', `%/${handle}/%`)
      .execute();
    expect(images.map((i) => i.hash)).toEqual([row.image_hash]);
    const variants = await database.db
      .selectFrom('image_variants')
      .select('storage_key')
      .where('image_hash', '=', row.image_hash!)
      .execute();
    expect(variants).toHaveLength(5);
    expect(await data.imageFiles()).toEqual(variants.map((v) => v.storage_key).sort());
    await expect
      .poll(
        async () =>
          (
            await database.sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'resolve_profile'`
          )[0]!.n,
      )
      .toBe(0);

    expect(await stopChild(second, 'SIGTERM')).toBe(0);
  },
);

test('a job held by a live worker is never taken away from it, however long it runs', async () => {
  const handle = 'patient-pat';
  fake.setProfile(handle, { kind: 'photo', pageDelayMs: 2500 });
  const data = await makeDataDir();
  dataDirs.push(data);
  const config = configFor(testEnv(fake, data.dir, database.url, { UPSTREAM_TIMEOUT_MS: '10000' }));
  // Both sweep for dead workers every 100 ms and treat locks older than 200 ms as candidates.
  const liveness = { intervalMs: 100, graceMs: 200 };
  const first = await startTestWorker(database, config, { liveness });
  let second: Awaited<ReturnType<typeof startTestWorker>> | undefined;
  try {
    await requestProfileResolution(database.db, handle);
    await until(() => fake.hits(handle).page >= 1, 10_000, 'a worker to fetch the page');
    second = await startTestWorker(database, config, { liveness });
    await waitForProfile(database.db, handle, (r) => r.status === 'resolved');
    expect(fake.hits(handle).page).toBe(1);
  } finally {
    await second?.stop();
    await first.stop();
  }
});
