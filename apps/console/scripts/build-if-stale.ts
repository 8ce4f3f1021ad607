import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// The all-in-one start and the browser tests build the console only when its sources changed since
// the last build: a digest of every input is kept beside the output.

const packageDir = fileURLToPath(new URL('..', import.meta.url));
/** Where the admin server looks for the console by default. */
export const consoleDistDir = join(packageDir, 'dist');
const DIGEST_FILE = 'build-inputs.sha256';
const inputs = [
  'src',
  'public',
  'index.html',
  'vite.config.ts',
  'package.json',
  'scripts/build-if-stale.ts',
  // The Quickstart shows these files as they are (imported `?raw`); `next dev` keeps its output beside them.
  '../../examples/snippets',
];
const notInputs = /[/\\](?:\.next|node_modules)[/\\]/;

async function filesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true, recursive: true }).catch((error: unknown) => {
    if ((error as { code?: string }).code === 'ENOTDIR') return null;
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  });
  if (entries === null) return [path];
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => !notInputs.test(file));
}

/** A digest of the console's sources and build settings (file names and contents). */
export async function consoleInputsDigest(): Promise<string> {
  const files = (await Promise.all(inputs.map((input) => filesUnder(join(packageDir, input))))).flat().sort();
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(relative(packageDir, file))
      .update('\0')
      .update(await readFile(file));
  return hash.digest('hex');
}

export interface BuildOutcome {
  readonly built: boolean;
  readonly dir: string;
  readonly ms: number;
}

/**
 * Builds the console into `dist/` (or `outDir`) unless the build there was made from the current sources. The
 * build goes to a fresh folder first and replaces `dist/` at the end, so a half-written build is
 * never served and two starts at once do not mix files.
 */
export async function buildConsoleIfStale(
  options: { log?: (line: string) => void; outDir?: string } = {},
): Promise<BuildOutcome> {
  const { log = () => {}, outDir = consoleDistDir } = options;
  const started = performance.now();
  // An image may ship the build without its sources (and without Vite): that build is the one to serve.
  if (!existsSync(join(packageDir, 'src')) && existsSync(join(outDir, 'index.html'))) {
    return { built: false, dir: outDir, ms: performance.now() - started };
  }
  const digest = await consoleInputsDigest();
  const current = await readFile(join(outDir, DIGEST_FILE), 'utf8').catch(() => '');
  if (current.trim() === digest) return { built: false, dir: outDir, ms: performance.now() - started };
  log('building the console (missing, or its sources changed since the last build)');
  const staging = `${outDir}.${process.pid}-${Date.now()}`;
  try {
    await runViteBuild(staging);
    await writeFile(join(staging, DIGEST_FILE), `${digest}\n`);
    await rm(outDir, { recursive: true, force: true });
    await rename(staging, outDir).catch(async (error: unknown) => {
      // Another process put the same build in place a moment ago: keep that one.
      if (!['ENOTEMPTY', 'EEXIST'].includes((error as { code?: string }).code ?? '')) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { built: true, dir: outDir, ms: performance.now() - started };
}

function runViteBuild(outDir: string): Promise<void> {
  const vite = join(packageDir, 'node_modules', 'vite', 'bin', 'vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: packageDir,
      // Test runners set NODE_ENV=test, which would give React's development build (3× the size).
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`the console build failed (exit ${code}):\n${stderr}`)),
    );
  });
}
