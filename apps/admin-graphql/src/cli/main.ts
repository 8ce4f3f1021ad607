// `pnpm avtrz …`: bootstrap and key management for people who self-host, straight on the database
// through the same services as the admin API.
import { parseArgs } from 'node:util';
import { isDomainError } from '@avtrz/shared/errors';
import { loadConfigOrExit } from '@avtrz/shared/process/load-config-or-exit';
import { openCliDatabase } from './cli-database.ts';
import { type Command, type Output, UsageError } from './command.ts';
import { keyCreate } from './commands/key-create.ts';
import { keyList } from './commands/key-list.ts';
import { keyRevoke } from './commands/key-revoke.ts';
import { signingSecretCreate, signingSecretRevoke } from './commands/signing-secret.ts';
import { workspaceCreate } from './commands/workspace-create.ts';
import { workspaceList } from './commands/workspace-list.ts';

const commands: readonly Command[] = [
  workspaceCreate,
  workspaceList,
  keyCreate,
  keyList,
  keyRevoke,
  signingSecretCreate,
  signingSecretRevoke,
];
const groups = [...new Set(commands.map((c) => c.name.split(' ')[0]!))];

function overview(group?: string): string {
  const shown = commands.filter((c) => group === undefined || c.name.startsWith(`${group} `));
  const width = Math.max(...shown.map((c) => c.name.length));
  return [
    group ? `Usage: avtrz ${group} <action> [options]` : 'Usage: avtrz <command> [options]',
    '',
    'Commands:',
    ...shown.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run "avtrz <command> --help" for a command's options. The database is DATABASE_URL, or the embedded`,
    'one under DATA_DIR (default ./.data), the same as the all-in-one start uses.',
  ].join('\n');
}

const out: Output = {
  line: (text = '') => process.stdout.write(`${text}\n`),
  json: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
};

async function main(argv: string[]): Promise<number> {
  const wantsHelp = (args: string[]) => args.includes('--help') || args.includes('-h');
  const [group, action, ...rest] = argv;
  if (group === undefined || group === 'help' || (wantsHelp([group]) && action === undefined)) {
    out.line(overview());
    return group === undefined ? 2 : 0;
  }
  if (!groups.includes(group)) return usageError(`unknown command "${group}"`, overview());
  const command = commands.find((c) => c.name === `${group} ${action}`);
  if (!command) {
    if (action === undefined || wantsHelp([action])) {
      out.line(overview(group));
      return action === undefined ? 2 : 0;
    }
    return usageError(`unknown command "${group} ${action}"`, overview(group));
  }
  if (wantsHelp(rest)) {
    out.line(command.help);
    return 0;
  }
  let args;
  try {
    args = parseArgs({
      args: rest,
      options: command.options,
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
  } catch (error) {
    return usageError((error as Error).message, `Run "avtrz ${command.name} --help" for its options.`);
  }
  const config = loadConfigOrExit();
  const database = await openCliDatabase(config, (text) => process.stderr.write(`${text}\n`));
  try {
    await command.run(database.db, args, out);
    return 0;
  } catch (error) {
    if (error instanceof UsageError)
      return usageError(error.message, `Run "avtrz ${command.name} --help" for its options.`);
    if (isDomainError(error)) {
      process.stderr.write(`avtrz: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

function usageError(message: string, hint: string): number {
  process.stderr.write(`avtrz: ${message}\n\n${hint}\n`);
  return 2;
}

const code = await main(process.argv.slice(2));
// Exit explicitly once stdout is written: the embedded PostgreSQL package's exit hook would otherwise
// end the process with status 0 whatever happened.
process.stdout.write('', () => process.exit(code));
