import { type Config, ConfigError, loadConfig } from '../config.ts';

/** Start-up: a bad environment value stops the process with one line naming the variable (exit 2). */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`avtrz: ${error.message}`);
    process.exit(2);
  }
}
