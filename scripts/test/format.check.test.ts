import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const oxfmt = join(root, 'node_modules/.bin/oxfmt');

// The test command's format step: the repository's own config, in a folder of its own.
async function checkWithRepoConfig(files: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'avtrz-format-'));
  try {
    await copyFile(join(root, '.oxfmtrc.json'), join(dir, '.oxfmtrc.json'));
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    return spawnSync(oxfmt, ['--check'], { cwd: dir, encoding: 'utf8' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('the repository is in format', () => {
  const run = spawnSync(oxfmt, ['--check'], { cwd: root, encoding: 'utf8' });
  expect(run.status, run.stdout + run.stderr).toBe(0);
});

test('a file out of format fails the check and is named', async () => {
  const run = await checkWithRepoConfig({ 'ok.ts': "export const a = 'x';\n", 'bad.ts': 'export const  b = "y"\n' });
  expect(run.status).not.toBe(0);
  expect(run.stdout).toContain('bad.ts');
  expect(run.stdout).not.toContain('ok.ts');
});

test('the house style: a long call is wrapped at 120 columns', async () => {
  const args = Array.from({ length: 14 }, (_, i) => `'item-${i}'`).join(', ');
  const run = await checkWithRepoConfig({ 'long.ts': `export const list = [${args}];\n` });
  expect(run.status).not.toBe(0);
  expect(run.stdout).toContain('long.ts');
});
