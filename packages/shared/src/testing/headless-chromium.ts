import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Debian's Chromium; tests that need a browser skip themselves where it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = (): boolean => existsSync(CHROMIUM);

/** How long one Chromium gets before it is killed and started again (a loaded machine starts it slowly). */
const ATTEMPT_MS = 25_000;
const ATTEMPTS = 3;
/** What a test that calls dumpDomInChromium should allow: every attempt, and some margin. */
export const DUMP_DOM_TIMEOUT_MS = ATTEMPT_MS * ATTEMPTS + 10_000;

/**
 * Loads `url` in headless Chromium, lets its scripts run (up to 10 s of virtual time) and returns the
 * DOM as HTML. The flags keep Chromium off the network it cannot reach here (see TOOLCHAIN).
 *
 * Each run has a profile folder of its own: two Chromiums sharing the default one (two test files at
 * once) meet on its lock, and the second can wait for the first instead of loading the page. A run
 * that still hangs is killed and started again.
 */
export async function dumpDomInChromium(url: string): Promise<string> {
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const profile = await mkdtemp(join(tmpdir(), 'avtrz-chromium-'));
    try {
      const args = [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        `--user-data-dir=${profile}`,
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        '--virtual-time-budget=10000',
        '--dump-dom',
        url,
      ];
      const { stdout } = await promisify(execFile)(CHROMIUM, args, {
        timeout: ATTEMPT_MS,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
      });
      if (stdout.trim() !== '') return stdout;
      lastError = new Error(`Chromium printed no DOM for ${url}`);
    } catch (error) {
      lastError = error;
    } finally {
      await rm(profile, { recursive: true, force: true });
    }
  }
  throw lastError;
}
