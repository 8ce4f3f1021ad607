import { DUMP_DOM_TIMEOUT_MS, dumpDomInChromium, hasChromium } from '@avtrz/shared/testing/headless-chromium';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';

const database = useTestDatabase();
let api: ApiUnderTest;

beforeAll(async () => {
  api = await startApiUnderTest(database);
});
afterAll(async () => {
  await api?.close();
});

const snippet = (path: string) => readFile(new URL(`../../../examples/snippets/${path}`, import.meta.url), 'utf8');

describe('GET /docs', () => {
  test('is the API reference: an HTML page loading Swagger UI from this origin, with a CSP to match', async () => {
    const res = await api.request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
    const html = await res.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(sources.length).toBeGreaterThan(3);
    // Nothing from another origin, no inline script.
    for (const source of sources) expect(source.startsWith('/'), source).toBe(true);
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    for (const source of sources.filter((s) => s.startsWith('/docs/assets/'))) {
      const asset = await api.request(source);
      expect(asset.status, source).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, source).toBeGreaterThan(100);
    }
  });

  test('the Swagger UI files are the installed package’s', async () => {
    const bundle = await api.request('/docs/assets/swagger-ui-bundle.js');
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const installed = await readFile(new URL(import.meta.resolve('swagger-ui-dist/swagger-ui-bundle.js')));
    expect(Buffer.from(await bundle.arrayBuffer()).equals(installed)).toBe(true);
    expect((await api.request('/docs/assets/nothing.js')).status).toBe(404);
    expect((await api.request('/docs/assets/..%2Fpackage.json')).status).toBe(404);
  });

  test.skipIf(!hasChromium())(
    'renders the operations of the OpenAPI document in a real browser',
    async () => {
      const stdout = await dumpDomInChromium(`${api.url}/docs`);
      // Swagger UI drew the document: its title and the operations' paths are in the page.
      expect(stdout).toContain('avtrz public API');
      expect(stdout).toContain('/v1/avatars');
      expect(stdout).toContain('/v1/avatar');
    },
    DUMP_DOM_TIMEOUT_MS,
  );
});

describe('the docs pages', () => {
  test.each(['overview', 'quickstart', 'authentication', 'how-it-works'])(
    '/docs/%s is an HTML page with the navigation',
    async (page) => {
      const res = await api.request(`/docs/${page}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await res.text();
      expect(html).toMatch(/<h1[^>]*>/);
      for (const title of ['Overview', 'Quickstart', 'Authentication', 'How it works', 'API reference'])
        expect(html).toContain(`>${title}</a>`);
      expect(html).toContain('aria-current="page"');
    },
  );

  test('an unknown page is a 404', async () => {
    expect((await api.request('/docs/nope')).status).toBe(404);
  });

  test('the quickstart shows the examples/ files as they are', async () => {
    const html = await (await api.request('/docs/quickstart')).text();
    const unescape = (text: string) =>
      text
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
    const blocks = [...html.matchAll(/<pre><code[^>]*>([\s\S]*?)<\/code><\/pre>/g)].map((m) =>
      unescape(m[1] as string),
    );
    for (const file of ['nextjs/app/avatar/route.ts', 'fetch.ts', 'httpx.py', 'curl.sh']) {
      const text = await snippet(file);
      expect(blocks, file).toContain(text);
    }
  });
});
