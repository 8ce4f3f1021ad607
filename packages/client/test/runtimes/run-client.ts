import { exerciseClient } from './exercise-client.ts';

// `deno run` / `bun run` entry: the input as one JSON argument, the answers as one JSON line on stdout.
const args: string[] = (globalThis as { Deno?: { args: string[] } }).Deno?.args ?? process.argv.slice(2);
const answers = await exerciseClient(JSON.parse(args[0] ?? '{}'));
console.log(JSON.stringify(answers));
