import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAdminServer } from '@avtrz/admin-graphql/server';
import { freePort } from '@avtrz/db/embedded';
import { useTestDatabase } from '@avtrz/db/testing';
import { loadConfig } from '@avtrz/shared/config';
import type { RunningServer } from '@avtrz/shared/http/serve';
import { createLogger } from '@avtrz/shared/logger';
import { afterAll, beforeAll, expect, test } from 'vitest';

// `pnpm --filter @avtrz/console dev`: Vite serves the sources with hot reload and hands /trpc and
// /api/auth to the admin server named by HOST and ADMIN_PORT, as if the console were served by it.
const database = useTestDatabase();
const packageDir = fileURLToPath(new URL('..', import.meta.url));
let admin: RunningServer;
let vite: ChildProcess;
let viteUrl: string;

beforeAll(async () => {
  const adminPort = await freePort();
  const env = {
    HOST: '127.0.0.1',
    ADMIN_PORT: String(adminPort),
    OPERATOR_TOKEN: 'op_dev-server-test-token-0123456789',
  };
  admin = await startAdminServer(
    { config: loadConfig(env), database, logger: createLogger({ name: 't', level: 'silent', pretty: false }) },
    adminPort,
  );
  const vitePort = await freePort();
  viteUrl = `http://127.0.0.1:${vitePort}`;
  vite = spawn(
    process.execPath,
    [
      join(packageDir, 'node_modules/vite/bin/vite.js'),
      '--host',
      '127.0.0.1',
      '--port',
      String(vitePort),
      '--strictPort',
    ],
    { cwd: packageDir, env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`vite did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(viteUrl)) {
        clearTimeout(timer);
        resolve();
      }
    };
    vite.stdout?.on('data', read);
    vite.stderr?.on('data', read);
    vite.on('exit', (code) => reject(new Error(`vite exited (${code}):\n${output}`)));
  });
}, 60_000);

afterAll(async () => {
  if (vite && vite.exitCode === null) {
    const exited = new Promise((resolve) => vite.once('exit', resolve));
    vite.kill('SIGTERM');
    await exited;
  }
  await admin?.close();
});

test('pages come from the sources with hot reload', async () => {
  const html = await (await fetch(`${viteUrl}/w/1/keys`)).text();
  expect(html).toContain('/@react-refresh');
  expect(html).toContain('/src/main.tsx');
});

test("the Quickstart's examples/ files are served from outside the console's folder (the workspace is allowed)", async () => {
  const snippets = await (await fetch(`${viteUrl}/src/routes/quickstart/snippets.ts`)).text();
  const curl = /from\s+["']([^"']+examples\/snippets\/curl\.sh\?[^"']*raw)["']/.exec(snippets)?.[1];
  expect(curl).toBeDefined();
  const response = await fetch(new URL(curl!, viteUrl));
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('$AVTRZ_API_URL/v1/avatar');
});

test('tRPC calls reach the running admin server', async () => {
  const response = await fetch(`${viteUrl}/trpc/setup.status`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ result: { data: { open: true } } });
});

test("writes sent from the dev server's page pass the admin server's origin check", async () => {
  const response = await fetch(`${viteUrl}/trpc/setup.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: viteUrl },
    body: JSON.stringify({
      operatorToken: 'wrong',
      email: 'a@example.com',
      password: 'long enough pass',
      workspaceName: 'W',
    }),
  });
  const body = (await response.json()) as { error: { data: { avtrzCode: string } } };
  // Refused for the token, not for the origin.
  expect(body.error.data.avtrzCode).toBe('invalid_operator_token');
});
