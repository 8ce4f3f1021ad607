import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';

// The document the API serves, checked by Redocly's linter with the repository's redocly.yaml.
const database = useTestDatabase();
const root = fileURLToPath(new URL('../../../', import.meta.url));
let api: ApiUnderTest;
let dir: string;

beforeAll(async () => {
  api = await startApiUnderTest(database);
  dir = await mkdtemp(join(tmpdir(), 'avtrz-openapi-lint-'));
});
afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface LintProblem {
  readonly ruleId: string;
  readonly severity: 'error' | 'warn';
  readonly message: string;
  readonly location: { pointer: string }[];
}

test('redocly lint finds no error in the served OpenAPI document', async () => {
  const file = join(dir, 'openapi.json');
  await writeFile(file, await (await api.request('/api/docs/openapi')).text());
  const { stdout } = await promisify(execFile)(
    join(root, 'node_modules/.bin/redocly'),
    ['lint', file, '--format=json', `--config=${join(root, 'redocly.yaml')}`],
    { cwd: root, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const report = JSON.parse(stdout) as { totals: { errors: number }; problems: LintProblem[] };
  const errors = report.problems
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
  expect(errors).toEqual([]);
  expect(report.totals.errors).toBe(0);
});
