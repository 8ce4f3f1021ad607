import { DUMP_DOM_TIMEOUT_MS, dumpDomInChromium, hasChromium } from '@avtrz/shared/testing/headless-chromium';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stripTypeScriptTypes } from 'node:module';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ApiUnderTest, startApiUnderTest } from '@avtrz/api/testing/api-under-test';
import { seedKey, seedResolvedProfile, seedWorkspace } from '@avtrz/api/testing/seed';
import { useTestDatabase } from '@avtrz/db/testing';

// @avtrz/client in a real browser (Debian's Chromium): the package's own files, types stripped and
// nothing else, loaded as ES modules by a page on another origin than the API.
const database = useTestDatabase();
let api: ApiUnderTest;
let site: Server;
let siteUrl: string;
let publishableKey: string;

beforeAll(async () => {
  api = await startApiUnderTest(database);
  publishableKey = (await seedKey(database.db, await seedWorkspace(database.db), 'publishable')).key;
  await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
  site = createServer((req, res) => void serve(req.url ?? '/', res));
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => site?.close(resolve));
  await api?.close();
});

async function serve(path: string, res: import('node:http').ServerResponse): Promise<void> {
  const file = /^\/client\/([a-z-]+\.ts)$/.exec(path)?.[1];
  if (file) {
    const source = await readFile(new URL(`../src/${file}`, import.meta.url), 'utf8').catch(() => undefined);
    if (source === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(stripTypeScriptTypes(source));
    return;
  }
  if (path === '/page.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(`
      import { avatarUrl, createAvtrzClient, signAvatarUrl, AvtrzAuthError } from '/client/index.ts';
      const out = {};
      const client = createAvtrzClient({ baseUrl: ${JSON.stringify(api.url)}, key: ${JSON.stringify(publishableKey)} });
      try {
        out.lookup = await client.lookup('linkedin.com/in/alex-rivera', { size: 64 });
        out.url = avatarUrl('alex-rivera', { baseUrl: ${JSON.stringify(api.url)}, key: 'pk_live_x', size: 32 });
        out.error = await createAvtrzClient({ baseUrl: ${JSON.stringify(api.url)}, key: 'pk_live_nope' })
          .lookup('alex-rivera').catch((e) => ({ auth: e instanceof AvtrzAuthError, code: e.code, status: e.status }));
        out.sign = await signAvatarUrl(out.url, 'secret').then(() => 'signed', (e) => e.message);
      } catch (e) {
        out.failed = String(e);
      }
      document.getElementById('out').textContent = JSON.stringify(out);
    `);
    return;
  }
  res
    .writeHead(200, { 'content-type': 'text/html' })
    .end('<!doctype html><pre id="out">not run</pre><script type="module" src="/page.js"></script>');
}

test.skipIf(!hasChromium())(
  'avatarUrl, lookup and the typed errors work in a browser; signAvatarUrl refuses to',
  async () => {
    const stdout = await dumpDomInChromium(`${siteUrl}/`);
    const text = /<pre id="out">([\s\S]*?)<\/pre>/.exec(stdout)?.[1] ?? '';
    const out = JSON.parse(text.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Record<string, unknown>;
    expect(out.failed).toBeUndefined();
    expect(out.lookup).toMatchObject({ username: 'alex-rivera', status: 'resolved', size: 64 });
    expect(out.url).toBe(`${api.url}/v1/avatar?key=pk_live_x&username=alex-rivera&size=32`);
    expect(out.error).toEqual({ auth: true, code: 'invalid_key', status: 401 });
    expect(out.sign).toMatch(/never in a browser/);
  },
  DUMP_DOM_TIMEOUT_MS,
);
