// The whole test command: type-check, format check, lint, then every Vitest project against one PostgreSQL server
// (embedded unless DATABASE_URL is set) migrated once into a template. Ends with "N passed, N failed".
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { createTemplate, dropTemplate, startTestServer } from '@avtrz/db/testing/global-setup';

const extraArgs = process.argv.slice(2);
const resultsFile = '.vitest-results.json';

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const bin = (name: string) => `node_modules/.bin/${name}`;

console.log('» type-check (tsc -b)');
if ((await run(bin('tsc'), ['-b'])) !== 0) fail('type-check failed');
console.log('» format (oxfmt --check; `pnpm format` fixes)');
if ((await run(bin('oxfmt'), ['--check'])) !== 0) fail('files are out of format: run `pnpm format`');
console.log('» lint (oxlint)');
if ((await run(bin('oxlint'), ['--deny-warnings', 'apps', 'packages', 'scripts', 'examples/test'])) !== 0)
  fail('lint failed');

console.log('» tests (vitest)');
const server = await startTestServer();
const template = await createTemplate(server.url);
await rm(resultsFile, { force: true });
let code: number;
try {
  code = await run(
    bin('vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...extraArgs],
    { ...process.env, AVTRZ_TEST_PG_URL: server.url, AVTRZ_TEST_PG_TEMPLATE: template },
  );
} finally {
  await dropTemplate(server.url, template).catch(() => {});
  await server.stop();
}

const results = JSON.parse(await readFile(resultsFile, 'utf8').catch(() => '{}')) as {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTotalTestSuites?: number;
  success?: boolean;
};
const passed = results.numPassedTests ?? 0;
const failed = results.numFailedTests ?? 0;
const skipped = results.numPendingTests ?? 0;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(code !== 0 || failed > 0 || passed === 0 ? 1 : 0);

function fail(message: string): never {
  console.log(`0 passed, 1 failed`);
  console.error(message);
  process.exit(1);
}
