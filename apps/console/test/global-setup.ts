import { buildConsoleIfStale } from '../scripts/build-if-stale.ts';

/** Once per run, before the browser tests: the console as the admin server serves it (dist/). */
export default async function setup() {
  await buildConsoleIfStale({ log: (line) => process.stderr.write(`${line}\n`) });
}
