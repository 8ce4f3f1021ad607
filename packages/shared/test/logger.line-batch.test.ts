import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const loggerModule = fileURLToPath(new URL('../src/logger.ts', import.meta.url));

/**
 * Runs a process that logs to `file` through the logger and a line batch of `maxBytes`, then exits
 * without flushing anything itself: what the file holds then is what a clean exit writes.
 */
function runLogging(file: string, maxBytes: number, body: string): void {
  const script = `
    import { openSync, readFileSync } from 'node:fs';
    import { createLineBatch, createLogger } from ${JSON.stringify(loggerModule)};
    const logger = createLogger({ name: 't', destination: openSync(${JSON.stringify(file)}, 'a') });
    const batch = createLineBatch(logger, { maxBytes: ${maxBytes}, maxDelayMs: 60000 });
    // The writer writes in the background: waits until the file holds that many lines.
    const written = async (lines) => {
      const deadline = Date.now() + 5000;
      while (readFileSync(${JSON.stringify(file)}, 'utf8').split('\\n').length <= lines && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 5));
    };
    ${body}
    process.exit(0);
  `;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { stdio: 'pipe' });
}

test('batched lines reach the file whole and in order, multi-byte text and over-long lines included', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'line-batch-')), 'out.log');
  // 40 lines through a 256-byte batch (several batches), a pino line in between, a line longer than a
  // batch.
  runLogging(
    file,
    256,
    `
    for (let i = 0; i < 20; i++) batch.write(JSON.stringify({ i, who: 'josé-garcía 李小龙 ' + i }) + '\\n');
    batch.flush();
    await written(20);
    logger.warn({ between: true }, 'a pino line');
    batch.write(JSON.stringify({ long: 'é'.repeat(400) }) + '\\n');
    for (let i = 20; i < 40; i++) batch.write(JSON.stringify({ i, who: 'ömer-çelik ' + i }) + '\\n');
    batch.flush();
    await written(42);
    `,
  );
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(parsed).toHaveLength(42);
  expect(parsed.slice(0, 20).map((l) => l.who)).toEqual(
    Array.from({ length: 20 }, (_, i) => `josé-garcía 李小龙 ${i}`),
  );
  expect(parsed[20]).toMatchObject({ msg: 'a pino line', between: true, name: 't' });
  expect(parsed[21]).toEqual({ long: 'é'.repeat(400) });
  expect(parsed.slice(22).map((l) => l.i)).toEqual(Array.from({ length: 20 }, (_, i) => i + 20));
});

test('a clean exit writes every line: those held in the batch and those handed to the writer', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'line-batch-')), 'out.log');
  // 3,000 lines through 64 KiB batches: one batch is being written when the process exits, the
  // rest is still held; the logger's own line is queued behind the first.
  runLogging(
    file,
    65_536,
    `
    for (let i = 0; i < 3000; i++) batch.write('{"held":' + i + '}\\n');
    logger.info('stopping');
    `,
  );
  const parsed = readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(parsed.filter((l) => l.msg === 'stopping')).toHaveLength(1);
  const held = parsed.flatMap((l) => (typeof l.held === 'number' ? [l.held] : []));
  expect(held.toSorted((a, b) => a - b)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
});
