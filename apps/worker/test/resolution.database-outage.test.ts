import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { requestProfileResolution } from '@avtrz/db/queries/profiles.queries';
import { useTestDatabase } from '@avtrz/db/testing';
import { type CuttableProxy, startCuttableProxy } from '@avtrz/shared/testing/cuttable-proxy';
import { startFakeLinkedin, type FakeLinkedin } from '@avtrz/shared/testing/fake-linkedin';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { makeDataDir, testEnv, waitForProfile } from './_worker-harness.ts';

// CONTRACT §6: a worker treats a lost database as an outage to wait out. A job that ends while the
// database is away (a slow upstream timing out) used to stop the process; the worker must instead stay
// up, record the job once the database is back, and take new jobs at once.
const database = useTestDatabase();
const workerMain = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let fake: FakeLinkedin;
let proxy: CuttableProxy;
let dataDir: Awaited<ReturnType<typeof makeDataDir>>;
let child: ChildProcess;
let output = '';

beforeAll(async () => {
  fake = await startFakeLinkedin({ defaultProfile: { kind: 'photo' } });
  proxy = await startCuttableProxy(database.url);
  dataDir = await makeDataDir();
  child = spawn(process.execPath, [workerMain], {
    env: {
      ...process.env,
      ...testEnv(fake, dataDir.dir, proxy.url, { UPSTREAM_TIMEOUT_MS: '800', LOG_LEVEL: 'info' }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  await proxy?.close();
  await fake?.close();
  await dataDir?.remove();
});

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${output}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Graphile Worker logs this each time its LISTEN connection for new jobs is up. */
const listenerConnections = () => output.split('Worker connected and looking for jobs').length - 1;

const jobLocked = async (handle: string) => {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from graphile_worker.jobs
    where key = ${`resolve_profile:${handle}`} and locked_at is not null`.execute(database.db);
  return (rows[0]?.n ?? 0) > 0;
};

test('a job that ends while the database is away does not stop the worker; it takes new jobs once it is back', async () => {
  await requestProfileResolution(database.db, 'warm-up');
  await waitForProfile(database.db, 'warm-up', (row) => row.status === 'resolved', 20_000);

  fake.setProfile('slow-upstream', { kind: 'hang' });
  await requestProfileResolution(database.db, 'slow-upstream');
  await until(() => jobLocked('slow-upstream'), 10_000, 'the job to start');
  proxy.cut();
  // The upstream times out meanwhile: the job ends, and recording it meets a database that is away.
  // Five seconds: Graphile Worker's own listener would have backed off to 7 s between attempts by then.
  await new Promise((r) => setTimeout(r, 5000));
  expect(child.exitCode, output).toBeNull();
  const listening = listenerConnections();
  await proxy.restore();
  // Its listener for new jobs is back at once, so a first request does not wait for the 2 s poll.
  await until(async () => listenerConnections() > listening, 2000, 'the job listener to reconnect');

  await requestProfileResolution(database.db, 'after-outage');
  await waitForProfile(database.db, 'after-outage', (row) => row.status === 'resolved', 10_000);
  expect(child.exitCode, output).toBeNull();
  // The job that ended during the outage was recorded once the database came back: not left locked.
  await until(async () => !(await jobLocked('slow-upstream')), 10_000, 'the slow job to be released');
});
