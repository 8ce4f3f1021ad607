import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { freePort } from '@avtrz/db/embedded';
import { useTestDatabase } from '@avtrz/db/testing';

// Production runs each app as its own process against a shared DATABASE_URL, any number side by side.
const root = fileURLToPath(new URL('../../', import.meta.url));
const database = useTestDatabase();

function runApp(script: string, env: Record<string, string | undefined>) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const child = spawn(process.execPath, [script], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ready = (url: string) => fetch(url).then((r) => r.status === 200, () => false);

describe('each app on its own against DATABASE_URL', () => {
  test('two API processes and an admin API serve side by side and stop cleanly', async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    const apps = [
      runApp('apps/api/src/main.ts', { DATABASE_URL: database.url, API_PORT: String(ports[0]) }),
      runApp('apps/api/src/main.ts', { DATABASE_URL: database.url, API_PORT: String(ports[1]) }),
      runApp('apps/admin-graphql/src/main.ts', { DATABASE_URL: database.url, ADMIN_PORT: String(ports[2]), OPERATOR_TOKEN: 'an-operator-token-for-tests' }),
    ];
    try {
      for (const port of ports) await waitUntil(() => ready(`http://127.0.0.1:${port}/readyz`));
    } finally {
      for (const app of apps) app.child.kill('SIGTERM');
    }
    for (const app of apps) expect(await app.exited, app.stderr()).toBe(0);
  });

  test('a worker process connects, takes jobs and stops cleanly', async () => {
    const worker = runApp('apps/worker/src/main.ts', { DATABASE_URL: database.url });
    try {
      await waitUntil(() => worker.stdout().includes('Worker connected'));
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect(await worker.exited, worker.stderr()).toBe(0);
  });

  test.each(['apps/api/src/main.ts', 'apps/admin-graphql/src/main.ts', 'apps/worker/src/main.ts'])(
    '%s without DATABASE_URL says what is missing',
    async (script) => {
      const app = runApp(script, { DATABASE_URL: undefined });
      expect(await app.exited).toBe(2);
      expect(app.stderr().trim()).toBe(
        'avtrz: invalid DATABASE_URL="": required when an app runs on its own (the all-in-one start embeds one)',
      );
    },
  );
});
