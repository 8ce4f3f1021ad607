import type { Config } from '../config.ts';

/** A single app started on its own needs a shared database; the all-in-one start brings its own. */
export function requireDatabaseUrl(config: Config): Config & { readonly databaseUrl: string } {
  if (!config.databaseUrl) {
    console.error(
      'avtrz: invalid DATABASE_URL="": required when an app runs on its own (the all-in-one start embeds one)',
    );
    process.exit(2);
  }
  return config as Config & { readonly databaseUrl: string };
}
