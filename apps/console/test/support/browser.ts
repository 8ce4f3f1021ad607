import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Screenshots of every page, at phone and desktop widths (git-ignored; look at them). */
export const artifactsDir = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Content-Security-Policy violations and uncaught errors seen so far. */
  readonly problems: string[];
  /** Full-page screenshots at 1440 px and 375 px wide: `<name>-1440.png`, `<name>-375.png`. */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Debian's Chromium with a fresh profile (no cookies, no cache). */
export async function openBrowser(): Promise<BrowserSession> {
  const profile = await mkdtemp(join(tmpdir(), 'avtrz-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: chromiumFlags,
    viewport: { width: 1440, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  const watch = (p: Page) => {
    p.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
        problems.push(message.text());
      }
    });
    p.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  };
  watch(page);
  context.on('page', watch);
  await mkdir(artifactsDir, { recursive: true });
  return {
    context,
    page,
    problems,
    async screenshot(name) {
      for (const width of [1440, 375]) {
        await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
        // A moment for the layout (and the chart's resize) to settle at the new width.
        await page.waitForTimeout(150);
        await page.screenshot({ path: join(artifactsDir, `${name}-${width}.png`), fullPage: true });
      }
      await page.setViewportSize({ width: 1440, height: 900 });
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
