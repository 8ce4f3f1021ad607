// `pnpm --filter @avtrz/console size`: the console's first-load JavaScript and the usage chart's draw time.
import { consoleFigureLines } from './console-figures.ts';

for (const line of await consoleFigureLines()) console.log(line);
