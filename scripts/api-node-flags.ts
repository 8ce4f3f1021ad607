import { readFileSync } from 'node:fs';

/**
 * The Node flags the API runs with, read from apps/api's `start` script, which is where they are
 * decided. The benchmark runs the API with them and the deployment test checks that the compose file
 * sets the same, so the three cannot drift apart. Both keep memory down under load at no measured
 * cost in speed (`pnpm bench`):
 * - `--max-semi-space-size=4`: a 4 MB young generation, ~25 MB less RSS than V8's default; the hot
 *   path allocates little that survives. 2 MB promotes more and lets the old generation grow.
 * - `--max-old-space-size=512`: with a large cap V8 lets the old generation grow to about four times
 *   its live size before a full collection, and the pages stay resident afterwards (RSS 140–180 MB
 *   under the bench's load); under 512 MB it grows by less (RSS ~120 MB, old space ≤ ~45 MB). 512 MB is
 *   still five times the most the API's bounded caches can hold.
 */
export function apiNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(new URL('../apps/api/package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string };
  };
  const words = manifest.scripts.start.trim().split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'src/main.ts')
    throw new Error(`apps/api start script is not "node [flags] src/main.ts": ${manifest.scripts.start}`);
  return words.slice(1, -1);
}
