// Brings a shared database up to date before the apps start (production: run once per deploy).
import { openDatabase } from '@avtrz/db/client';
import { migrateToLatest } from '@avtrz/db/migrate';
import { createLogger } from '@avtrz/shared/logger';
import { loadConfigOrExit } from '@avtrz/shared/process/load-config-or-exit';
import { requireDatabaseUrl } from '@avtrz/shared/process/require-database-url';

const config = requireDatabaseUrl(loadConfigOrExit());
const logger = createLogger({ name: 'migrate', level: config.logLevel });
const database = openDatabase(config.databaseUrl, { applicationName: 'avtrz-migrate', max: 2 });
try {
  await migrateToLatest(database.db, config.databaseUrl);
  logger.info('database schema is current');
} finally {
  await database.close();
}
