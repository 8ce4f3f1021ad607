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

const ready = (url: string) =>
  fetch(url).then(
    (r) => r.status === 200,
    () => false,
  );

describe('each app on its own against DATABASE_URL', () => {
  test('two API processes and an admin API serve side by side and stop cleanly', async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    const apps = [
      runApp('apps/api/src/main.ts', { DATABASE_URL: database.url, API_PORT: String(ports[0]) }),
      runApp('apps/api/src/main.ts', { DATABASE_URL: database.url, API_PORT: String(ports[1]) }),
      runApp('apps/admin-graphql/src/main.ts', {
        DATABASE_URL: database.url,
        ADMIN_PORT: String(ports[2]),
        OPERATOR_TOKEN: 'an-operator-token-for-tests',
      }),
    ];
    try {
      for (const port of ports) await waitUntil(() => ready(`http://127.0.0.1:${port}/readyz`));
    } finally {
      for (const app of apps) app.child.kill('SIGTERM');
    }
    for (const app of apps) expect(await app.exited, app.stderr()).toBe(0);
  });

  test("every answered request is logged with a request id, the caller's when it sends a sane one", async () => {
    const [apiPort, adminPort] = [await freePort(), await freePort()];
    const api = runApp('apps/api/src/main.ts', { DATABASE_URL: database.url, API_PORT: String(apiPort) });
    const admin = runApp('apps/admin-graphql/src/main.ts', {
      DATABASE_URL: database.url,
      ADMIN_PORT: String(adminPort),
    });
    try {
      await waitUntil(() => ready(`http://127.0.0.1:${apiPort}/readyz`));
      await waitUntil(() => ready(`http://127.0.0.1:${adminPort}/readyz`));
      await fetch(`http://127.0.0.1:${apiPort}/v1/avatar?username=alex-rivera`, {
        headers: { 'x-request-id': 'trace-api-1' },
      });
      await fetch(`http://127.0.0.1:${apiPort}/v1/avatar?username=bob-smith`, {
        headers: { 'x-request-id': 'not sane: ' + 'x'.repeat(200) },
      });
      const echoed = await fetch(`http://127.0.0.1:${adminPort}/api/nowhere`, {
        headers: { 'x-request-id': 'trace-admin-1' },
      });
      expect(echoed.headers.get('x-request-id')).toBe('trace-admin-1');
      const fresh = await fetch(`http://127.0.0.1:${adminPort}/api/nowhere`);
      expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const lines = (text: string) =>
        text
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>);
      await waitUntil(() => lines(api.stdout()).filter((l) => l.path === '/v1/avatar').length === 2);
      const [first, second] = lines(api.stdout()).filter((l) => l.path === '/v1/avatar');
      expect(first).toMatchObject({ reqId: 'trace-api-1', method: 'GET', status: 401 });
      // The API only logs its ids: a per-process random prefix and a counter, no UUID drawn per request.
      expect(second?.reqId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-z]+$/);
      await waitUntil(() => lines(admin.stdout()).some((l) => l.reqId === 'trace-admin-1' && l.status === 404));
    } finally {
      api.child.kill('SIGTERM');
      admin.child.kill('SIGTERM');
    }
    expect(await api.exited).toBe(0);
    expect(await admin.exited).toBe(0);
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
