import { readFileSync } from 'node:fs';

/**
 * How the API runs, read from apps/api's `start` script (`[NAME=value …] node [flags] src/main.ts`),
 * which is where it is decided. The benchmark runs the API that way and the deployment tests check that
 * the compose file, the Kubernetes manifests and the image set the same, so they cannot drift apart.
 * Both keep memory down under load at no measured cost in speed (`pnpm bench`):
 * - `--max-semi-space-size=4`: a 4 MB young generation, ~25 MB less RSS than V8's default; the hot
 *   path allocates little that survives. 2 MB promotes more and lets the old generation grow.
 * - `--max-old-space-size=512`: with a large cap V8 lets the old generation grow to about four times
 *   its live size before a full collection, and the pages stay resident afterwards (RSS 140–180 MB
 *   under the bench's load); under 512 MB it grows by less (RSS ~120 MB, old space ≤ ~45 MB). 512 MB is
 *   still five times the most the API's bounded caches can hold.
 * - `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates (the thread pool, V8's helpers) an
 *   arena of its own, each keeping freed memory; two arenas hold ~9 MB less after 20,000 distinct
 *   handles (161 → 150 MB RSS measured side by side).
 */
export function apiNodeFlags(): string[] {
  return startScript().flags;
}

/** The environment the start script sets before `node`: `{ MALLOC_ARENA_MAX: '2' }`. */
export function apiStartEnvironment(): Record<string, string> {
  return startScript().environment;
}

function startScript(): { environment: Record<string, string>; flags: string[] } {
  const manifest = JSON.parse(readFileSync(new URL('../apps/api/package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string };
  };
  const words = manifest.scripts.start.trim().split(/\s+/);
  const environment: Record<string, string> = {};
  while (words[0] && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [name, ...value] = (words.shift() as string).split('=');
    environment[name as string] = value.join('=');
  }
  if (words[0] !== 'node' || words.at(-1) !== 'src/main.ts')
    throw new Error(
      `apps/api start script is not "[NAME=value …] node [flags] src/main.ts": ${manifest.scripts.start}`,
    );
  return { environment, flags: words.slice(1, -1) };
}
