import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { buildConsoleIfStale } from './build-if-stale.ts';

// The console's two targets: first-load JavaScript ≤ 250 KB gzip, and the usage chart drawing
// 30 days × 20 keys of hourly points in ≤ 100 ms in Chromium. Measured, printed, never asserted.

export const targets = { firstLoadKbGzip: 250, chartDrawMs: 100 } as const;
const packageDir = fileURLToPath(new URL('..', import.meta.url));

export interface FirstLoad {
  readonly files: { name: string; bytes: number; gzipBytes: number }[];
  readonly gzipBytes: number;
}

/** The scripts index.html loads at once (entry and preloads), gzip -9 as a server would send them. */
export async function firstLoadJavaScript(distDir: string): Promise<FirstLoad> {
  const html = await readFile(join(distDir, 'index.html'), 'utf8');
  const paths = [
    ...html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g),
  ].map((m) => m[1] as string);
  const files = await Promise.all(
    [...new Set(paths)].map(async (path) => {
      const body = await readFile(join(distDir, path));
      return { name: path, bytes: body.byteLength, gzipBytes: gzipSync(body, { level: 9 }).byteLength };
    }),
  );
  return { files, gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Builds the chart page alone, opens it `runs` times in Debian's Chromium, returns each first-draw time. */
export async function chartDrawTimes(runs = 7): Promise<number[]> {
  const outDir = await mkdtemp(join(tmpdir(), 'avtrz-chart-bench-'));
  const server = createServer((request, response) => {
    const path = normalize(new URL(request.url ?? '/', 'http://x').pathname);
    const file = join(outDir, path === '/' ? 'bench/chart-draw.html' : path);
    if (!file.startsWith(outDir)) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file)
      .on('error', () => response.end())
      .pipe(response);
  });
  try {
    await build({
      root: packageDir,
      configFile: false,
      logLevel: 'warn',
      plugins: [react()],
      mode: 'production',
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      build: { outDir, emptyOutDir: true, rollupOptions: { input: join(packageDir, 'bench/chart-draw.html') } },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    try {
      const times: number[] = [];
      for (let run = 0; run < runs; run++) {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        await page.goto(url);
        await page.waitForFunction(() => typeof (window as { chartDrawMs?: number }).chartDrawMs === 'number');
        times.push(await page.evaluate(() => (window as unknown as { chartDrawMs: number }).chartDrawMs));
        await page.close();
      }
      return times;
    } finally {
      await browser.close();
    }
  } finally {
    server.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Both figures as report lines, with the target each is held to. */
export async function consoleFigureLines(): Promise<string[]> {
  const { dir } = await buildConsoleIfStale();
  const load = await firstLoadJavaScript(dir);
  const kb = load.gzipBytes / 1024;
  const draws = await chartDrawTimes();
  const drawMedian = median(draws);
  const verdict = (ok: boolean) => (ok ? 'ok' : 'OVER TARGET');
  return [
    `console first-load JavaScript: ${kb.toFixed(1)} KB gzip in ${load.files.length} file(s) (target ≤ ${targets.firstLoadKbGzip} KB) ${verdict(kb <= targets.firstLoadKbGzip)}`,
    ...load.files.map(
      (f) => `  ${f.name}: ${(f.bytes / 1024).toFixed(1)} KB, ${(f.gzipBytes / 1024).toFixed(1)} KB gzip`,
    ),
    `usage chart, 30 days × 20 keys hourly (14,400 points), first draw in Chromium: median ${drawMedian.toFixed(1)} ms, max ${Math.max(...draws).toFixed(1)} ms over ${draws.length} loads (target ≤ ${targets.chartDrawMs} ms) ${verdict(drawMedian <= targets.chartDrawMs)}`,
  ];
}
