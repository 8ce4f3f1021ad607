// Writes the sorted SDL to apps/admin-graphql/schema.graphql (run after changing the schema; a test checks it).
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { printSortedSchema } from './index.ts';

const file = fileURLToPath(new URL('../../schema.graphql', import.meta.url));
await writeFile(file, printSortedSchema());
console.log(`wrote ${file}`);
