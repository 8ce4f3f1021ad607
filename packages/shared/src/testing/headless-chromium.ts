import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

/** Debian's Chromium; tests that need a browser skip themselves where it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = (): boolean => existsSync(CHROMIUM);

/**
 * Loads `url` in headless Chromium, lets its scripts run (up to 10 s of virtual time) and returns the
 * DOM as HTML. The flags keep Chromium off the network it cannot reach here (see TOOLCHAIN).
 */
export async function dumpDomInChromium(url: string): Promise<string> {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    '--virtual-time-budget=10000',
    '--dump-dom',
    url,
  ];
  const { stdout } = await promisify(execFile)(CHROMIUM, args, { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
