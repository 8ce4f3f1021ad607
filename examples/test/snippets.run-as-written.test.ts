import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApiUnderTest, TEST_CDN_URL, startApiUnderTest } from '@avtrz/api/testing/api-under-test';
import {
  type SeededPhoto,
  seedKey,
  seedProfileWithoutPhoto,
  seedResolvedProfile,
  seedWorkspace,
} from '@avtrz/api/testing/seed';
import { freePort } from '@avtrz/db/embedded';
import { useTestDatabase } from '@avtrz/db/testing';

// The product documents' snippets (examples/snippets), each run as it is written against a running API;
// the only change from the documents is that the base URL comes from AVTRZ_API_URL.
const database = useTestDatabase();
let api: ApiUnderTest;
let photo: SeededPhoto;
let env: Record<string, string>;

beforeAll(async () => {
  api = await startApiUnderTest(database);
  const key = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
  photo = await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
  await seedProfileWithoutPhoto(database.db, 'no-photo-person');
  env = { AVTRZ_API_URL: api.url, AVTRZ_SECRET: key.key };
});
afterAll(async () => {
  await api?.close();
});

/** Debian's python3, where python3-httpx is installed (another python3 may come first on PATH). */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const snippet = (file: string) => readFile(new URL(`../snippets/${file}`, import.meta.url), 'utf8');
const location = (size: number) => `${TEST_CDN_URL}/${photo.variants.get(size)?.storageKey}`;

/** `next dev` on the snippet's app folder, on a free port, with the API's address and a key in its environment. */
async function startNextDev(appEnv: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const appDir = fileURLToPath(new URL('../snippets/nextjs/', import.meta.url));
  const bin = fileURLToPath(new URL('../node_modules/next/dist/bin/next', import.meta.url));
  const child = spawn(process.execPath, [bin, 'dev', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: appDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NEXT_TELEMETRY_DISABLED: '1', ...appEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  let logs = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`next dev did not start: ${logs}`)), 60_000);
    const read = (chunk: Buffer) => {
      logs += chunk.toString();
      if (/Ready in/.test(logs)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then(() => reject(new Error(`next dev exited: ${logs}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs a program with the snippet (plus a line that prints what it got) on its standard input. */
function runWithInput(command: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${err}`))));
    child.stdin.end(input);
  });
}

describe('the Next.js route handler (app/avatar/route.ts, served by the real next)', () => {
  test('redirects to the CDN image, and answers {found: false} for a profile without a photo', async () => {
    const next = await startNextDev(env);
    try {
      const hit = await fetch(`${next.url}/avatar?linkedin_url=linkedin.com/in/alex-rivera`, { redirect: 'manual' });
      expect(hit.status).toBe(302);
      expect(hit.headers.get('location')).toBe(location(128));
      const miss = await fetch(`${next.url}/avatar?linkedin_url=linkedin.com/in/no-photo-person`, {
        redirect: 'manual',
      });
      expect(miss.status).toBe(200);
      expect(await miss.json()).toEqual({ found: false });
    } finally {
      await next.stop();
    }
    // next dev compiles the route on its first request: seconds on a loaded machine.
  }, 120_000);
});

describe('fetch (TypeScript, run by Node)', () => {
  test('gets the 302 and its Location', async () => {
    const program = `${await snippet('fetch.ts')}\nconsole.log(JSON.stringify({ status: res.status, cdnUrl }));\n`;
    const out = await runWithInput(process.execPath, ['--input-type=module-typescript', '-'], program);
    expect(JSON.parse(out)).toEqual({ status: 302, cdnUrl: location(256) });
  });
});

describe('Python httpx', () => {
  test('gets the 302 and its Location', async () => {
    const program = `${await snippet('httpx.py')}\nimport json\nprint(json.dumps({"status": res.status_code, "cdn_url": cdn_url}))\n`;
    const out = await runWithInput(PYTHON, ['-'], program);
    expect(JSON.parse(out)).toEqual({ status: 302, cdn_url: location(256) });
  });
});

describe('curl', () => {
  test('shows the 302 and its Location', async () => {
    const file = fileURLToPath(new URL('../snippets/curl.sh', import.meta.url));
    const { stdout } = await promisify(execFile)('bash', [file], { env: { PATH: process.env.PATH ?? '', ...env } });
    const [statusLine, ...headerLines] = stdout.split('\r\n');
    expect(statusLine).toMatch(/^HTTP\/1\.1 302/);
    expect(headerLines).toContain(`location: ${location(256)}`);
  });
});
