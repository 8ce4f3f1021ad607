import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useTestDatabase } from '@avtrz/db/testing';
import { describe, expect, test } from 'vitest';

// `avtrz signing-secret create|revoke`, as self-hosters run it, straight on the database.
const database = useTestDatabase();
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

function avtrz(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [main, ...args],
      { env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const json = <T>(run: { stdout: string }) => JSON.parse(run.stdout) as T;

describe('avtrz signing-secret', () => {
  test('creates secrets for a publishable key (two at most), prints each once, and revokes them', async () => {
    const workspace = json<{ workspace: { id: string } }>(
      await avtrz(['workspace', 'create', '--name', 'Mail', '--json']),
    );
    const key = json<{ apiKey: { id: string } }>(
      await avtrz(['key', 'create', '--workspace', workspace.workspace.id, '--type', 'publishable', '--json']),
    );
    const first = await avtrz(['signing-secret', 'create', key.apiKey.id]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Signing secret [0-9a-f-]{36} for key .*\navtrz_sig_[A-Za-z0-9_-]{43}\n$/);
    const second = json<{ signingSecret: { id: string; keyId: string }; secret: string }>(
      await avtrz(['signing-secret', 'create', key.apiKey.id, '--json']),
    );
    expect(second.signingSecret.keyId).toBe(key.apiKey.id);
    const third = await avtrz(['signing-secret', 'create', key.apiKey.id]);
    expect(third.code).toBe(1);
    expect(third.stderr).toMatch(/2 active signing secrets/);

    const revoked = await avtrz(['signing-secret', 'revoke', second.signingSecret.id]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/^Revoked signing secret /);
    expect((await avtrz(['signing-secret', 'create', key.apiKey.id])).code).toBe(0);
  });

  test('mistakes say what is wrong', async () => {
    const missing = await avtrz(['signing-secret', 'create']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/name the publishable key/);
    const unknown = await avtrz(['signing-secret', 'revoke', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no signing secret with this id/);
    expect((await avtrz(['signing-secret', '--help'])).stdout).toMatch(/signing-secret create/);
  });
});
