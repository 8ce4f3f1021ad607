import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '@avtrz/shared/http/serve';
import { useTestDatabase } from '@avtrz/db/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startAdminServer } from '../src/server.ts';
import { silentLogger, testConfig } from './support/admin-server.ts';

// The admin server serves the built console: index.html for every page, hashed assets cached for a
// year, a Content-Security-Policy on every page. A small build is written here; the browser tests in
// apps/console run the real one.
const database = useTestDatabase();
const INDEX = '<!doctype html><title>console</title><script type="module" src="/assets/index-1a2b3c.js"></script>';
let dir: string;
let server: RunningServer;
let unbuilt: RunningServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'avtrz-console-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), INDEX);
  await writeFile(join(dir, 'assets', 'index-1a2b3c.js'), 'console.log("console")');
  await writeFile(join(dir, 'assets', 'index-4d5e6f.css'), 'body{margin:0}');
  await writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(tmpdir(), 'avtrz-console-outside.txt'), 'outside');
  const deps = { config: testConfig(), database, logger: silentLogger() };
  server = await startAdminServer({ ...deps, consoleDir: dir }, 0);
  unbuilt = await startAdminServer({ ...deps, consoleDir: join(dir, 'missing') }, 0);
});

afterAll(async () => {
  await server?.close();
  await unbuilt?.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

describe('pages', () => {
  test.each(['/', '/sign-in', '/setup', '/w/0b7c/keys', '/invite/abc.def'])('%s is the console page', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe(INDEX);
    // Not cached: a new build is seen on the next load.
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  test('every page carries a policy that allows no inline script and no other origin', async () => {
    const csp = (await get('/w/1/usage')).headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/) as [string, ...string[]])
        .map(([n, ...v]) => [n, v]),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    // Images also from the installation's own CDN (profile photos), nothing else.
    expect(directives.get('img-src')).toEqual(["'self'", 'https://cdn.example.test']);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  test('HEAD answers like GET without a body', async () => {
    const response = await get('/w/1/keys', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(INDEX)));
    expect(await response.text()).toBe('');
  });
});

describe('files', () => {
  test('hashed assets are cached for a year with their type', async () => {
    const script = await get('/assets/index-1a2b3c.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await script.text()).toBe('console.log("console")');
    const style = await get('/assets/index-4d5e6f.css');
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  test('a missing asset is a 404, not the page (a stale tab must not run HTML as script)', async () => {
    const response = await get('/assets/index-000000.js');
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  test('the icon at the top of the build is served, briefly cached', async () => {
    const response = await get('/favicon.svg');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  test.each([
    '/assets/..%2f..%2favtrz-console-outside.txt',
    '/assets/%2e%2e/%2e%2e/avtrz-console-outside.txt',
    '/%2e%2e/avtrz-console-outside.txt',
  ])('no file outside the build is read (%s)', async (path) => {
    const response = await get(path);
    expect(await response.text()).not.toContain('outside');
  });
});

describe('what the console does not answer', () => {
  test('unknown API paths keep the JSON 404', async () => {
    const response = await get('/api/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  test('other methods on pages are a 404', async () => {
    expect((await get('/w/1/keys', { method: 'POST' })).status).toBe(404);
  });

  test('the API routes still answer', async () => {
    expect((await get('/healthz')).status).toBe(200);
  });

  test('without a build, pages say how to make one', async () => {
    const response = await fetch(`${unbuilt.url}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('pnpm --filter @avtrz/console build');
  });
});
