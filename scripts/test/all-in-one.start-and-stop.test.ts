import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '@avtrz/db/embedded';
import { startAllInOne } from './_start-all-process.ts';

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'avtrz-start-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function startAndWaitUntilUp() {
  const apiPort = await freePort();
  const adminPort = await freePort();
  const started = startAllInOne({
    DATA_DIR: dataDir,
    API_PORT: String(apiPort),
    ADMIN_PORT: String(adminPort),
    DATABASE_URL: undefined,
    OPERATOR_TOKEN: undefined,
  });
  await started.waitForLog((l) => l.msg === 'worker running');
  return { started, api: `http://127.0.0.1:${apiPort}`, admin: `http://127.0.0.1:${adminPort}` };
}

interface GraphqlAnswer {
  data?: { createWorkspace?: { workspace?: { id?: string } }; workspaces?: unknown };
  errors?: unknown;
}

async function graphql(admin: string, operatorToken: string, query: string): Promise<GraphqlAnswer> {
  const response = await fetch(`${admin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorToken}` },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as GraphqlAnswer;
}

/** What the process warned of before a failed stop, so that the failure says why. */
function warningsAndErrors(logs: ReadonlyArray<Record<string, unknown>>): string {
  return JSON.stringify(logs.filter((l) => typeof l.level === 'number' && l.level >= 40));
}

describe('the all-in-one start', () => {
  test('brings up the API, the admin API and the worker on an embedded database, and stops cleanly on SIGTERM', async () => {
    const { started, api, admin } = await startAndWaitUntilUp();
    try {
      for (const base of [api, admin]) {
        expect((await fetch(`${base}/healthz`)).status).toBe(200);
        const ready = await fetch(`${base}/readyz`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toEqual({ status: 'ready' });
      }
      // The worker is up when Graphile Worker has connected and is polling for jobs.
      await started.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('Worker connected'));
      const tokenLine = started.logs.find((l) => l.msg === 'operator token kept in this file');
      expect(tokenLine?.file).toBe(join(dataDir, 'operator-token'));
      // Something to find again after a restart: a workspace created through the admin API.
      const token = (await readFile(join(dataDir, 'operator-token'), 'utf8')).trim();
      const created = await graphql(
        admin,
        token,
        'mutation { createWorkspace(input: { name: "Persisted" }) { workspace { id } } }',
      );
      expect(created.errors).toBeUndefined();
      expect(created.data?.createWorkspace?.workspace?.id).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      started.child.kill('SIGTERM');
    }
    expect(await started.exited, warningsAndErrors(started.logs) + started.stderr()).toBe(0);
    expect(started.logs.some((l) => l.msg === 'embedded PostgreSQL stopped')).toBe(true);
    // A cleanly stopped PostgreSQL removes its lock file.
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  });

  test('a second start reuses the database, the data folder and the operator token', async () => {
    const token = await readFile(join(dataDir, 'operator-token'), 'utf8');
    const { started, api, admin } = await startAndWaitUntilUp();
    try {
      expect((await fetch(`${api}/readyz`)).status).toBe(200);
      expect(await readFile(join(dataDir, 'operator-token'), 'utf8')).toBe(token);
      const listed = await graphql(admin, token.trim(), '{ workspaces { name } }');
      expect(listed.data?.workspaces).toEqual([{ name: 'Persisted' }]);
    } finally {
      started.child.kill('SIGINT');
    }
    expect(await started.exited, warningsAndErrors(started.logs) + started.stderr()).toBe(0);
  });

  test('a bad environment value stops start-up with one line naming the variable', async () => {
    const started = startAllInOne({ DATA_DIR: dataDir, API_PORT: 'banana' });
    expect(await started.exited).toBe(2);
    expect(started.stderr().trim()).toBe('avtrz: invalid API_PORT="banana": expected a port number');
  });

  test('an unknown storage driver is named with what is allowed', async () => {
    const started = startAllInOne({ DATA_DIR: dataDir, STORAGE_DRIVER: 'ftp' });
    expect(await started.exited).toBe(2);
    expect(started.stderr().trim()).toBe('avtrz: invalid STORAGE_DRIVER="ftp": expected fs or s3');
  });
});
