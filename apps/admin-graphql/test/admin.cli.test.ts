import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@avtrz/db/client';
import { startEmbeddedPostgres } from '@avtrz/db/embedded';
import { useTestDatabase } from '@avtrz/db/testing';
import { describe, expect, test } from 'vitest';
import { asKey, useAdminServer } from './support/admin-server.ts';

// The CLI as self-hosters run it (`pnpm avtrz …` runs this file with node).
const database = useTestDatabase();
const admin = useAdminServer(database);
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function avtrz(args: string[], env: Record<string, string> = { DATABASE_URL: database.url }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [main, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('help', () => {
  test.each([
    [['--help'], /Usage: avtrz <command>/],
    [['workspace', '--help'], /Usage: avtrz workspace <action>/],
    [['key', '-h'], /Usage: avtrz key <action>/],
    [['workspace', 'create', '--help'], /Usage: avtrz workspace create --name <name>/],
    [['workspace', 'list', '--help'], /Usage: avtrz workspace list/],
    [['key', 'create', '--help'], /Usage: avtrz key create --workspace <id> --type publishable\|secret/],
    [['key', 'list', '--help'], /Usage: avtrz key list --workspace <id>/],
    [['key', 'revoke', '--help'], /Usage: avtrz key revoke <key-id>/],
  ])('avtrz %s explains itself without touching a database', async (args, usage) => {
    const run = await avtrz(args, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(usage);
  });

  test('mistakes exit 2 with a pointer to --help', async () => {
    const unknown = await avtrz(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const badOption = await avtrz(['workspace', 'create', '--name', 'X', '--colour', 'red']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/--colour[\s\S]*avtrz workspace create --help/);
    const missing = await avtrz(['workspace', 'create']);
    expect([missing.code, missing.stderr.includes('--name is required')]).toEqual([2, true]);
    const notANumber = await avtrz(['workspace', 'create', '--name', 'X', '--rate-limit', 'lots']);
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toMatch(/--rate-limit must be a whole number/);
  });
});

describe('bootstrap and keys against DATABASE_URL', () => {
  test('workspace create prints the first secret key, which works on the admin API', async () => {
    const run = await avtrz(['workspace', 'create', '--name', 'Acme', '--request-quota', '5000', '--rate-limit', '30']);
    expect(run.code).toBe(0);
    const key = /^(sk_live_\w+)$/m.exec(run.stdout)?.[1];
    expect(key).toBeDefined();
    expect(run.stdout).toMatch(/Created workspace "Acme" \([0-9a-f-]{36}\)/);
    expect(run.stdout).toMatch(/5000 requests\/month, 1000 new profiles\/month, 30 requests\/minute per key/);
    const seen = await admin.graphql<{ workspace: { name: string; plan: { rateLimitPerMinute: number } } }>(
      '{ workspace { name plan { rateLimitPerMinute } } }',
      {},
      asKey(key!),
    );
    expect(seen.data).toEqual({ workspace: { name: 'Acme', plan: { rateLimitPerMinute: 30 } } });
  });

  test('keys are created, listed and revoked; the revoked key stops working', async () => {
    const workspace = JSON.parse((await avtrz(['workspace', 'create', '--name', 'Keyed', '--json'])).stdout) as {
      workspace: { id: string };
      key: string;
    };
    const created = await avtrz([
      'key',
      'create',
      '--workspace',
      workspace.workspace.id,
      '--type',
      'secret',
      '--name',
      'CI',
      '--domain',
      'https://Example.com/x',
      '--domain',
      '*.Example.org',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout) as {
      apiKey: { id: string; type: string; allowedDomains: string[] };
      key: string;
    };
    expect(key.apiKey).toMatchObject({ type: 'secret', allowedDomains: ['example.com', '*.example.org'] });
    expect((await admin.graphql('{ workspace { id } }', {}, asKey(key.key))).data).toEqual({
      workspace: { id: workspace.workspace.id },
    });

    const listed = await avtrz(['key', 'list', '--workspace', workspace.workspace.id]);
    expect(listed.stdout.trim().split('\n')).toHaveLength(2);
    expect(listed.stdout).toMatch(
      new RegExp(`${key.apiKey.id}\\s+secret\\s+sk_live_\\w{4}…\\w{4}\\s+active\\s+example.com,\\*.example.org\\s+CI`),
    );
    expect(listed.stdout).not.toContain(key.key);

    const revoked = await avtrz(['key', 'revoke', key.apiKey.id]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/^Revoked key /);
    const refused = await admin.graphql('{ workspace { id } }', {}, asKey(key.key));
    expect([refused.status, refused.code]).toEqual([401, 'invalid_key']);
    expect((await avtrz(['key', 'revoke', key.apiKey.id])).code).toBe(0);
  });

  test('domain errors exit 1 and say what is wrong', async () => {
    const workspace = JSON.parse((await avtrz(['workspace', 'create', '--name', 'Errors', '--json'])).stdout) as {
      workspace: { id: string };
    };
    const badDomain = await avtrz([
      'key',
      'create',
      '--workspace',
      workspace.workspace.id,
      '--type',
      'publishable',
      '--domain',
      'not a host',
    ]);
    expect(badDomain.code).toBe(1);
    expect(badDomain.stderr).toMatch(/allowedDomains: "not a host" is not an allowed-domain entry/);
    const badType = await avtrz(['key', 'create', '--workspace', workspace.workspace.id, '--type', 'root']);
    expect([badType.code, /--type must be publishable or secret/.test(badType.stderr)]).toEqual([2, true]);
    const noWorkspace = await avtrz([
      'key',
      'create',
      '--workspace',
      '00000000-0000-4000-8000-000000000000',
      '--type',
      'secret',
    ]);
    expect([noWorkspace.code, noWorkspace.stderr.trim()]).toEqual([1, 'avtrz: There is no workspace with this id.']);
    const noKey = await avtrz(['key', 'revoke', 'nope']);
    expect(noKey.code).toBe(1);
    const badPlan = await avtrz(['workspace', 'create', '--name', 'X', '--rate-limit', '0']);
    expect([badPlan.code, /plan\.rateLimitPerMinute/.test(badPlan.stderr)]).toEqual([1, true]);
  });

  test('workspace list shows what was created', async () => {
    const run = await avtrz(['workspace', 'list', '--json']);
    const names = (JSON.parse(run.stdout) as { name: string }[]).map((w) => w.name);
    expect(names).toEqual(expect.arrayContaining(['Acme', 'Keyed', 'Errors']));
  });
});

describe('the embedded database under DATA_DIR', () => {
  test('without a running server the CLI starts one for the command and stops it after', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'avtrz-cli-'));
    try {
      const run = await avtrz(['workspace', 'create', '--name', 'Local'], { DATA_DIR: dataDir });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^sk_live_/m);
      expect(run.stderr).toMatch(/Starting the embedded PostgreSQL/);
      expect(existsSync(join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
      expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
      const list = await avtrz(['workspace', 'list'], { DATA_DIR: dataDir });
      expect(list.stdout).toMatch(/Local/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('with an all-in-one start running on DATA_DIR it uses that server instead of starting a second', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'avtrz-cli-'));
    const server = await startEmbeddedPostgres({ dataDir, persistent: false, unsafeFast: true });
    const running = openDatabase(server.url, { max: 1 });
    try {
      const run = await avtrz(['workspace', 'create', '--name', 'Shared'], { DATA_DIR: dataDir });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/already running/);
      // The running server was neither stopped nor replaced: the workspace is in it.
      const rows = await running.db.selectFrom('workspaces').select('name').execute();
      expect(rows).toEqual([{ name: 'Shared' }]);
    } finally {
      await running.close();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
