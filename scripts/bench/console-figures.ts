// `pnpm bench` also prints the console's targets (first-load JavaScript, usage chart draw time);
// they are measured in apps/console/scripts/console-figures.ts, the same code as `pnpm --filter @avtrz/console size`.
import { consoleFigureLines } from '@avtrz/console/figures';
import type { BenchContext } from './context.ts';

export async function runConsoleFigures(ctx: BenchContext): Promise<void> {
  ctx.log('» console: first-load JavaScript and the usage chart draw time');
  for (const line of await consoleFigureLines()) console.log(line);
}
