import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { signAvatarUrl } from '@avtrz/client';
import { addUsageBatch } from '@avtrz/db/queries/usage.queries';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type BrowserSession, openBrowser } from './support/browser.ts';
import { OPERATOR_TOKEN, useConsoleStack } from './support/console-stack.ts';
import { startEmbeddingPage } from './support/embedding-page.ts';

// One person's way through the console in a real Chromium, against the real admin server and API on
// a real database: first-run setup, a publishable key used from a page, the usage chart, a rotation,
// the traffic audit, revocation, an invitation, sign-out. Each step builds on the one before.
const stack = useConsoleStack();
let browser: BrowserSession;
let page: Page;
let customerPage: Awaited<ReturnType<typeof startEmbeddingPage>>;

/** Pages answer in well under a second, but the machine is shared: wait up to 15 s for what a person would see. */
const poll: typeof expect.poll = (fn, options) => expect.poll(fn, { timeout: 15_000, ...options });

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';
let workspacePath: string;
let firstKey: string;
let rolledKey: string;
let docsKey: string;

beforeAll(async () => {
  browser = await openBrowser();
  page = browser.page;
  customerPage = await startEmbeddingPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await customerPage?.close();
});

let people = 0;

/**
 * Loads the customer's page with one avatar <img>; resolves with the API's status for it and whether it
 * drew. Each call asks for another person by default: a 302 is cached by the browser for a day, and a
 * cached answer would say nothing about the key.
 */
async function showAvatarOn(host: 'localhost' | '127.0.0.1', key: string, username = `person-${++people}`) {
  return showImageOn(host, avatarSrc(key, username));
}

function avatarSrc(key: string, username = `person-${++people}`): string {
  return `${stack.apiUrl}/v1/avatar?key=${key}&username=${username}&size=64`;
}

/** The customer's page with an <img> of `src` (any avatar URL, signed or not): the API's status, and whether it drew. */
async function showImageOn(host: 'localhost' | '127.0.0.1', src: string) {
  const customer = await browser.context.newPage();
  try {
    const answer = customer.waitForResponse((r) => r.url().startsWith(`${stack.apiUrl}/v1/avatar`));
    answer.catch(() => {});
    await customer.goto(`http://${host}:${customerPage.port}/?src=${encodeURIComponent(src)}`);
    const response = await answer;
    await customer.waitForFunction(() => (document.getElementById('avatar') as HTMLImageElement).complete);
    const drawn = await customer.evaluate(() => (document.getElementById('avatar') as HTMLImageElement).naturalWidth);
    return { status: response.status(), contentType: response.headers()['content-type'], drawn: drawn > 0 };
  } finally {
    await customer.close();
  }
}

async function openPage(name: string) {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name }).click();
  await poll(() => page.getByRole('heading', { level: 1, name }).isVisible()).toBe(true);
}

describe('the console in a browser', { timeout: 120_000 }, () => {
  test('first run: the setup link creates the operator account and its workspace, signed in', async () => {
    await page.goto(`${stack.consoleUrl}/`);
    // No account yet: the console sends people to the setup page.
    await page.waitForURL(`${stack.consoleUrl}/setup`);
    // The link the all-in-one start prints, opened afresh.
    await page.goto('about:blank');
    await page.goto(`${stack.consoleUrl}/setup#token=${OPERATOR_TOKEN}`);
    await poll(() => page.getByLabel('Operator token').inputValue()).toBe(OPERATOR_TOKEN);
    await browser.screenshot('setup');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Workspace name').fill('Acme');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/w\/[^/]+\/keys$/);
    workspacePath = new URL(page.url()).pathname.replace(/\/keys$/, '');
    await poll(() => page.getByText('No keys yet').isVisible()).toBe(true);
    await browser.screenshot('keys-empty');
    // Setup is closed for good.
    expect((await page.goto(`${stack.consoleUrl}/setup`))?.status()).toBe(404);
  });

  test('a publishable key made in the console works from an allowed page, once shown', async () => {
    await page.goto(`${stack.consoleUrl}${workspacePath}/keys`);
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create key' });
    await dialog.getByLabel('Name').fill('Site');
    // Pasted as a URL with a port: the server keeps the host only.
    await dialog.getByLabel('Allowed domains').fill('http://LocalHost:3000/welcome');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new key' });
    firstKey = (await shown.getByLabel('New key').textContent()) ?? '';
    expect(firstKey).toMatch(/^pk_live_[0-9A-Za-z]{36}$/);
    expect(await shown.getByRole('alert').textContent()).toContain('shown only once');
    await shown.getByRole('button', { name: 'Copy key' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(firstKey);
    await browser.screenshot('key-created');
    await shown.getByRole('button', { name: 'Done' }).click();

    const row = page.getByRole('row', { name: /Site/ });
    await poll(() => row.textContent()).toContain('localhost');
    expect(await row.textContent()).toContain(`${firstKey.slice(0, 12)}…${firstKey.slice(-4)}`);
    // The full key is gone from the page once the dialog is closed.
    expect(await page.content()).not.toContain(firstKey);

    const fromAllowedPage = await showAvatarOn('localhost', firstKey, 'alex-rivera');
    expect(fromAllowedPage.drawn).toBe(true);
    expect([200, 302]).toContain(fromAllowedPage.status);
    await browser.screenshot('keys');
  });

  test('a bad allowed domain gets the API error, and nothing is changed', async () => {
    await page.getByRole('button', { name: 'Edit Site' }).click();
    const dialog = page.getByRole('dialog', { name: /^Edit / });
    await dialog.getByLabel('Allowed domains').fill('localhost\n10.0.0.1');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await poll(() => dialog.getByRole('alert').textContent()).toContain('IP addresses are not allowed');
    await browser.screenshot('key-edit-error');
    await dialog.getByLabel('Allowed domains').fill('localhost\nhttps://WWW.Example.com/');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await poll(() => dialog.getByRole('status').textContent()).toContain('localhost, www.example.com');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  test('the usage chart is drawn from the real request', async () => {
    await openPage('Usage');
    // The API writes its counts every 200 ms; the month total shows the request.
    await expect
      .poll(async () => (await page.getByRole('region', { name: 'This month' }).textContent()) ?? '', {
        timeout: 10_000,
      })
      .toMatch(/Requests avatar_requests\s*1\s*\//);
    const chart = page.getByRole('figure', { name: /Requests per key, last 24 hours/ });
    await poll(() => chart.getAttribute('aria-label')).toContain('Site (pk_live_');
    // One request, in English: "1 request", not "1 requests".
    expect(await chart.getAttribute('aria-label')).toMatch(/Site \(pk_live_[^)]*\): 1 request$/);
    // uPlot drew a line: the canvas has pixels of the first series' colour.
    const inked = await chart.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      let count = 0;
      for (let i = 0; i < data.length; i += 4)
        if (data[i] === 0x43 && data[i + 1] === 0x38 && data[i + 2] === 0xca) count++;
      return count;
    });
    expect(inked).toBeGreaterThan(0);
    await browser.screenshot('usage');
  });

  test('a rotation shows as the old key falling while the new one rises', async () => {
    await openPage('API keys');
    await page.getByRole('button', { name: 'Roll Site' }).click();
    const dialog = page.getByRole('dialog', { name: /^Roll / });
    await dialog.getByLabel('Grace period').selectOption({ label: '1 hour' });
    await dialog.getByRole('button', { name: 'Roll key' }).click();
    rolledKey = (await page.getByRole('dialog', { name: 'Your new key' }).getByLabel('New key').textContent()) ?? '';
    expect(rolledKey).toMatch(/^pk_live_/);
    await page.getByRole('button', { name: 'Done' }).click();
    await poll(() => page.getByRole('row', { name: new RegExp(firstKey.slice(-4)) }).textContent()).toMatch(/Stops in/);

    // The deploy switched over during the last hours: earlier hours as the API would have written them,
    // and the current hour's requests for real.
    const keys = await stack.database.db.selectFrom('api_keys').select(['id', 'last4']).execute();
    const oldId = keys.find((k) => k.last4 === firstKey.slice(-4))!.id;
    const newId = keys.find((k) => k.last4 === rolledKey.slice(-4))!.id;
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const counts = (keyId: string, hoursAgo: number, billable: number) => ({
      keyId,
      hour: new Date(hour - hoursAgo * 3_600_000),
      billable,
      notModified: 0,
      fallbacks: 0,
      newProfiles: 0,
      rejected: 0,
      lastUsedAt: new Date(hour - hoursAgo * 3_600_000),
    });
    await addUsageBatch(stack.database.db, randomUUID(), [
      ...[40, 30, 20, 10].map((n, i) => counts(oldId, 4 - i, n)),
      ...[5, 15, 25, 35].map((n, i) => counts(newId, 4 - i, n)),
    ]);
    expect((await showAvatarOn('localhost', rolledKey)).drawn).toBe(true);
    // The page reads usage once when it opens (then each minute): open it once the API has written the
    // new key's request, which on a busy machine can take longer than the flush interval.
    const written = () =>
      stack.database.db
        .selectFrom('usage_hourly')
        .select('billable')
        .where('key_id', '=', newId)
        .where('hour', '=', new Date(hour))
        .executeTakeFirst();
    await poll(async () => (await written())?.billable ?? 0).toBe(1);

    await openPage('Usage');
    await page.getByRole('button', { name: 'Show as table' }).click();
    const table = page.getByRole('table', { name: 'Requests per key' });
    const column = async (last4: string) => {
      const headers = await table.getByRole('columnheader').allTextContents();
      const index = headers.findIndex((h) => h.includes(last4));
      const rows = await table.getByRole('row').all();
      const values: number[] = [];
      for (const row of rows.slice(1))
        values.push(Number((await row.locator('th, td').nth(index).textContent())?.replace(/\D/g, '')));
      return values.slice(-5);
    };
    await poll(() => column(rolledKey.slice(-4))).toEqual([5, 15, 25, 35, 1]);
    expect(await column(firstKey.slice(-4))).toEqual([40, 30, 20, 10, 1]);

    // Daily for 7 days: today's row adds up the hours of today (UTC) that the hourly view showed.
    await page.getByRole('button', { name: '7 days' }).click();
    const today = Math.floor(hour / 86_400_000) * 86_400_000;
    const todays = (perHour: number[]) =>
      perHour.reduce((sum, n, i) => sum + (hour - (4 - i) * 3_600_000 >= today ? n : 0), 0) + 1;
    await poll(async () => (await column(rolledKey.slice(-4))).at(-1)).toBe(todays([5, 15, 25, 35]));
    expect((await column(firstKey.slice(-4))).at(-1)).toBe(todays([40, 30, 20, 10]));
    expect(await table.getByRole('row').count()).toBe(1 + 7);
    await page.getByRole('button', { name: '24 hours' }).click();
    await page.getByRole('button', { name: 'Show chart' }).click();
    await browser.screenshot('usage-rotation');
  });

  test('the traffic page lists the allowed host and a blocked one', async () => {
    const blocked = await showAvatarOn('127.0.0.1', rolledKey);
    expect(blocked.status).toBe(401);
    // As with usage, the page reads once when it opens: open it once the API has written the blocked host.
    const blockedRows = () =>
      stack.database.db
        .selectFrom('traffic_hosts')
        .innerJoin('api_keys', 'api_keys.id', 'traffic_hosts.key_id')
        .select('traffic_hosts.blocked')
        .where('api_keys.last4', '=', rolledKey.slice(-4))
        .where('traffic_hosts.host', '=', '127.0.0.1')
        .execute();
    await poll(async () => (await blockedRows()).reduce((sum, row) => sum + row.blocked, 0)).toBe(1);
    await openPage('Traffic');
    const hosts = page.getByRole('table', { name: new RegExp(`Hosts of Site \\(.*${rolledKey.slice(-4)}\\)`) });
    await poll(() => hosts.getByRole('row', { name: /127\.0\.0\.1/ }).count()).toBe(1);
    expect(await hosts.getByRole('row', { name: /127\.0\.0\.1/ }).textContent()).toContain('Blocked');
    expect(await hosts.getByRole('row', { name: /localhost/ }).textContent()).toContain('On the list');
    // The first key made one request: counts read as English ("1 request", "2 requests").
    const firstTraffic = page.getByRole('region', {
      name: new RegExp(`Traffic of Site \\(.*${firstKey.slice(-4)}\\)`),
    });
    expect(await firstTraffic.textContent()).toMatch(/\b1 request, /);
    expect(await page.getByRole('main').textContent()).not.toMatch(/\b1 requests\b/);

    // On a phone every host table fits the screen (one card per host) instead of being cut off at the edge.
    await page.setViewportSize({ width: 375, height: 812 });
    for (const table of await page.getByRole('table').all()) {
      const hidden = await table.evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth);
      expect(hidden).toBeLessThanOrEqual(0);
    }
    const badge = hosts.getByText('Blocked: not on the list');
    const box = await badge.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    await page.setViewportSize({ width: 1440, height: 900 });
    await browser.screenshot('traffic');
  });

  test('revoking asks first, then the key stops working', async () => {
    await openPage('API keys');
    await page.getByRole('button', { name: 'Revoke Site' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Revoke key?' });
    await browser.screenshot('key-revoke');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await showAvatarOn('localhost', rolledKey)).status).not.toBe(401);

    const newRow = page.getByRole('row', { name: new RegExp(rolledKey.slice(-4)) });
    await newRow.getByRole('button', { name: 'Revoke Site' }).click();
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await poll(() => newRow.count()).toBe(0);
    await page.getByLabel('Show revoked').check();
    await poll(() => newRow.textContent()).toContain('Revoked');
    // Revocation reaches the API within seconds.
    await poll(async () => (await showAvatarOn('localhost', rolledKey)).status).toBe(401);
  });

  test('quickstart snippets carry the API URL and the pasted publishable key, never a secret', async () => {
    await openPage('API keys');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByLabel('Name').fill('Docs');
    await page.getByLabel('Allowed domains').fill('localhost');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const key = (await page.getByRole('status', { name: 'New key' }).textContent()) ?? '';
    docsKey = key;
    await page.getByRole('button', { name: 'Done' }).click();

    await openPage('Quickstart');
    await page
      .getByRole('combobox', { name: 'Publishable key' })
      .selectOption({ label: `Docs (${key.slice(0, 12)}…${key.slice(-4)})` });
    await page.getByLabel('Full key').fill(key);
    const img =
      (await page
        .getByRole('region', { name: /HTML <img>/ })
        .locator('pre')
        .textContent()) ?? '';
    expect(img).toBe(
      `<img src="${stack.apiUrl}/v1/avatar?key=${key}&linkedin_url=linkedin.com/in/alex-rivera&size=128" alt="" />`,
    );
    // The server snippets are the examples/ files (which their own test runs) as they are on disk, with this
    // installation's URL where each file reads AVTRZ_API_URL; the secret key stays in AVTRZ_SECRET.
    const examples = [
      { name: /Next\.js/, file: 'nextjs/app/avatar/route.ts', reference: '${process.env.AVTRZ_API_URL}' },
      { name: /^fetch/, file: 'fetch.ts', reference: '${process.env.AVTRZ_API_URL}' },
      { name: /httpx/, file: 'httpx.py', reference: "{os.environ['AVTRZ_API_URL']}" },
      { name: /curl/, file: 'curl.sh', reference: '$AVTRZ_API_URL' },
    ];
    for (const { name, file, reference } of examples) {
      const text = (await page.getByRole('region', { name }).locator('pre').textContent()) ?? '';
      const written = await readFile(new URL(`../../../examples/snippets/${file}`, import.meta.url), 'utf8');
      expect(written, file).toContain(reference);
      expect(text, file).toBe(written.replaceAll(reference, stack.apiUrl).trimEnd());
      expect(text).toContain(`${stack.apiUrl}/v1/avatar`);
      expect(text).toContain('AVTRZ_SECRET');
      expect(text).not.toMatch(/[sp]k_live_/);
    }
    expect(await page.getByRole('region').count()).toBe(1 + examples.length);
    // Every snippet file under examples/ is on the page (a new one cannot be left out); Next.js's own files are not snippets.
    const onDisk = (await readdir(new URL('../../../examples/snippets/', import.meta.url), { recursive: true }))
      .filter((file) => /\.(ts|py|sh)$/.test(file) && !/(^|\/)(\.next|node_modules)\//.test(file))
      .filter((file) => !file.endsWith('next-env.d.ts'))
      .map((file) => `examples/snippets/${file}`)
      .sort();
    const shown = (await page.getByRole('main').locator('code').allTextContents())
      .filter((text) => text.startsWith('examples/snippets/'))
      .sort();
    expect(shown).toEqual(onDisk);
    expect(onDisk).toEqual(examples.map((e) => `examples/snippets/${e.file}`).sort());
    await page.getByRole('button', { name: 'Copy HTML <img> (publishable key)' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(img);
    await browser.screenshot('quickstart');
    // The tag as copied works from the allowed page.
    expect((await showAvatarOn('localhost', key)).drawn).toBe(true);
  });

  test('the API reference is linked from the navigation and the quickstart, and opens the /docs the API serves', async () => {
    const inPage = page.getByRole('main').getByRole('link', { name: 'API reference' });
    const inNavigation = page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'API reference' });
    expect(await inPage.getAttribute('href')).toBe(`${stack.apiUrl}/docs`);
    expect(await inNavigation.getAttribute('href')).toBe(`${stack.apiUrl}/docs`);
    const [docs] = await Promise.all([browser.context.waitForEvent('page'), inNavigation.click()]);
    try {
      await docs.waitForURL(`${stack.apiUrl}/docs`);
      // Swagger UI drew the OpenAPI document: its title and an operation.
      await poll(() => docs.getByRole('heading', { name: /avtrz public API/ }).isVisible()).toBe(true);
      await poll(() => docs.getByText('/v1/avatars', { exact: true }).first().isVisible()).toBe(true);
    } finally {
      await docs.close();
    }
  });

  test('signing secrets: each shown once, two active at most, a signed URL served without an allowed Referer, revoked after asking', async () => {
    await openPage('API keys');
    await page.getByRole('button', { name: 'Signing secrets of Docs' }).click();
    const dialog = page.getByRole('dialog', { name: /^Signing secrets of Docs/ });
    expect(await dialog.textContent()).toMatch(/Signed URLs are for emails.*no Origin or Referer/);
    await poll(() => dialog.getByRole('status').textContent()).toContain('0 of 2 active');
    expect(await dialog.textContent()).toContain('at most 2 active secrets at a time');

    const createSecret = async () => {
      await dialog.getByRole('button', { name: 'Create signing secret' }).click();
      const shown = page.getByRole('dialog', { name: 'Your new signing secret' });
      const secret = (await shown.getByLabel('New signing secret').textContent()) ?? '';
      expect(secret).toMatch(/^avtrz_sig_[\w-]{43}$/);
      expect(await shown.getByRole('alert').textContent()).toContain('shown only once');
      await shown.getByRole('button', { name: 'Copy signing secret' }).click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      return { secret, shown };
    };
    const { secret: first, shown } = await createSecret();
    await browser.screenshot('signing-secret-created');
    await shown.getByRole('button', { name: 'Done' }).click();
    await poll(() => dialog.getByRole('status').textContent()).toContain('1 of 2 active');
    const firstRow = dialog.getByRole('row', { name: new RegExp(`avtrz_sig_…${first.slice(-4)}`) });
    expect(await firstRow.textContent()).toContain('Active');
    // Gone from the page once its view is left.
    expect(await page.content()).not.toContain(first);

    // Docs allows localhost only: a page on 127.0.0.1 gets the avatar when the URL is signed with the secret.
    expect((await showImageOn('127.0.0.1', avatarSrc(docsKey))).status).toBe(401);
    await poll(async () => (await showImageOn('127.0.0.1', await signAvatarUrl(avatarSrc(docsKey), first))).drawn).toBe(
      true,
    );

    // A second one (for a rotation); a third is refused with the API's own words.
    const { secret: second } = await createSecret();
    await page.getByRole('button', { name: 'Done' }).click();
    await poll(() => dialog.getByRole('status').textContent()).toContain('2 of 2 active');
    await dialog.getByRole('button', { name: 'Create signing secret' }).click();
    await poll(() => dialog.getByRole('alert').textContent()).toContain(
      'this key already has 2 active signing secrets; revoke one before creating another',
    );
    expect(await dialog.getByRole('row').count()).toBe(1 + 2);
    await browser.screenshot('signing-secrets');

    // Revoking asks first; Cancel changes nothing.
    await firstRow.getByRole('button', { name: `Revoke signing secret avtrz_sig_…${first.slice(-4)}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke signing secret?' });
    await poll(() => confirm.isVisible()).toBe(true);
    await browser.screenshot('signing-secret-revoke');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await firstRow.textContent()).toContain('Active');
    await firstRow.getByRole('button', { name: /^Revoke signing secret/ }).click();
    await confirm.getByRole('button', { name: 'Revoke secret' }).click();
    await poll(() => firstRow.textContent()).toContain('Revoked');
    expect(await dialog.getByRole('status').textContent()).toContain('1 of 2 active');
    expect(await dialog.getByRole('alert').count()).toBe(0);
    // URLs signed with it are refused within seconds; the other secret still signs.
    await poll(
      async () => (await showImageOn('127.0.0.1', await signAvatarUrl(avatarSrc(docsKey), first))).status,
    ).toBe(401);
    expect((await showImageOn('127.0.0.1', await signAvatarUrl(avatarSrc(docsKey), second))).drawn).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await poll(() => dialog.isVisible()).toBe(false);
  });

  test('profiles: a handle is looked up and can be refreshed', async () => {
    await openPage('Profiles');
    await page.getByLabel('LinkedIn handle').fill('not a handle!');
    await page.getByRole('button', { name: 'Look up' }).click();
    const profile = page.getByRole('region', { name: 'Profile' });
    await poll(() => profile.getByRole('alert').isVisible()).toBe(true);
    await page.getByLabel('LinkedIn handle').fill('alex-rivera');
    await page.getByRole('button', { name: 'Look up' }).click();
    await poll(() => profile.getByRole('heading', { name: 'alex-rivera' }).isVisible()).toBe(true);
    // The worker fetched the photo from the (fake) upstream when the page first asked for it.
    expect(await profile.getByRole('definition').first().textContent()).toBe('Photo found');
    for (const size of [32, 64, 128, 256, 512]) {
      const photo = profile.getByRole('img', { name: `alex-rivera, ${size} px` });
      await poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(size);
    }
    await profile.getByRole('button', { name: 'Refresh' }).click();
    await poll(() => profile.getByRole('status').textContent()).toContain('Queued');
    await browser.screenshot('profiles');
  });

  test('an owner invites someone, who joins through the link with a password of their own', async () => {
    await openPage('Members');
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.getByRole('dialog', { name: 'Invite someone' }).getByLabel('Email').fill('sam@example.com');
    await page.getByRole('button', { name: 'Create invitation' }).click();
    const url = (await page.getByRole('status', { name: 'Invitation link' }).textContent()) ?? '';
    expect(url.startsWith(`${stack.consoleUrl}/`)).toBe(true);
    await browser.screenshot('invitation-link');
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByRole('table', { name: 'Open invitations' }).textContent()).toContain('sam@example.com');
    await browser.screenshot('members');

    const invited = await openBrowser();
    try {
      await invited.page.goto(url);
      await poll(() => invited.page.getByText('Acme').isVisible()).toBe(true);
      await invited.screenshot('invitation-accept');
      await invited.page.getByLabel('Name').fill('Sam');
      await invited.page.getByLabel('Password').fill('another long password');
      await invited.page.getByRole('button', { name: 'Create account and join' }).click();
      await invited.page.waitForURL(`${stack.consoleUrl}${workspacePath}/keys`);
      // A member: no Members page.
      expect(await invited.page.getByRole('link', { name: 'Members' }).count()).toBe(0);
      expect(invited.problems).toEqual([]);
    } finally {
      await invited.close();
    }
    await page.reload();
    await poll(() => page.getByRole('table', { name: 'Members' }).textContent()).toContain('sam@example.com');

    // Owners change roles and remove people (after a confirmation).
    await page.getByRole('combobox', { name: 'Role of sam@example.com' }).selectOption('owner');
    await poll(async () => {
      const members = await stack.database.db.selectFrom('memberships').select('role').execute();
      return members.map((m) => m.role).sort();
    }).toEqual(['owner', 'owner']);
    await page.getByRole('button', { name: 'Remove sam@example.com' }).click();
    await page.getByRole('dialog', { name: 'Remove member?' }).getByRole('button', { name: 'Remove member' }).click();
    await poll(() => page.getByRole('table', { name: 'Members' }).textContent()).not.toContain('sam@example.com');
  });

  test('someone in two workspaces switches between them', async () => {
    // The operator opens a second workspace and invites the owner into it (GraphQL, as the CLI would).
    const graphql = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${stack.consoleUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR_TOKEN}` },
        body: JSON.stringify({ query, variables }),
      });
      return ((await response.json()) as { data: Record<string, any> }).data;
    };
    const created = await graphql(
      'mutation ($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { workspace { id } } }',
      {
        input: { name: 'Beta' },
      },
    );
    const betaId = created.createWorkspace.workspace.id as string;
    const invited = await graphql(
      'mutation ($w: ID!, $e: String!) { createInvitation(workspaceId: $w, email: $e, role: OWNER) { url } }',
      { w: betaId, e: EMAIL },
    );
    await page.goto(invited.createInvitation.url as string);
    await poll(() => page.getByText('Beta').isVisible()).toBe(true);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in and join' }).click();
    await page.waitForURL(`${stack.consoleUrl}/w/${betaId}/keys`);
    // The workspace's first key, made with it: a secret key.
    await poll(() => page.getByRole('row', { name: /Secret/ }).isVisible()).toBe(true);
    // Signing secrets are for publishable keys only: a secret key's row offers none.
    expect(
      await page
        .getByRole('row', { name: /Secret/ })
        .getByRole('button', { name: /Signing secrets/ })
        .count(),
    ).toBe(0);

    const switcher = page.getByRole('combobox', { name: 'Workspace' });
    expect(await switcher.locator('option').allTextContents()).toEqual(expect.arrayContaining(['Acme', 'Beta']));
    await openPage('Usage');
    await switcher.selectOption({ label: 'Acme' });
    await page.waitForURL(`${stack.consoleUrl}${workspacePath}/usage`);
    await poll(() => page.getByRole('figure', { name: /Requests per key/ }).isVisible()).toBe(true);
    await browser.screenshot('workspace-switcher');
  });

  test('the keyboard alone reaches the content, opens a dialog and gets out of it', async () => {
    await page.goto(`${stack.consoleUrl}${workspacePath}/keys`);
    await poll(() => page.getByRole('button', { name: 'Create key' }).isVisible()).toBe(true);
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    // After a navigation focus starts at the page's heading, so the next Tab is into the page.
    await poll(focused).toBe('API keys');
    // Tab on until the page's main action, open it with Enter: focus moves into the dialog.
    for (let i = 0; i < 20 && (await focused()) !== 'Create key'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('Create key');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create key' });
    await poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await poll(() => dialog.isVisible()).toBe(false);
    // Back where one was.
    expect(await focused()).toBe('Create key');
  });

  test('signing out ends the session; signing in again works', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${stack.consoleUrl}/sign-in`);
    await page.goto(`${stack.consoleUrl}${workspacePath}/keys`);
    await page.waitForURL(`${stack.consoleUrl}/sign-in`);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await poll(() => page.getByRole('alert').isVisible()).toBe(true);
    await browser.screenshot('sign-in-error');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/w\/[^/]+\/keys$/);
  });

  test('a session ended elsewhere sends the open console to the sign-in form', async () => {
    await poll(() => page.getByRole('heading', { name: 'API keys' }).isVisible()).toBe(true);
    // Every session of the installation ends on the server (as an expiry or a password change would).
    await stack.database.db.deleteFrom('auth_session').execute();
    await openPage('Usage').catch(() => {});
    await page.waitForURL(`${stack.consoleUrl}/sign-in`);
    await poll(() => page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
  });

  test('no page broke the Content-Security-Policy or threw', () => {
    expect(browser.problems).toEqual([]);
  });
});
