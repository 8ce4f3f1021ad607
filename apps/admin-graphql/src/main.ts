// Runs the admin API alone against DATABASE_URL (how production runs it, any number side by side).
import { openDatabase } from '@avtrz/db/client';
import { createLogger } from '@avtrz/shared/logger';
import { loadConfigOrExit } from '@avtrz/shared/process/load-config-or-exit';
import { stopOnSignals } from '@avtrz/shared/process/shutdown';
import { requireDatabaseUrl } from '@avtrz/shared/process/require-database-url';
import { surviveDriverConnectionErrors } from '@avtrz/shared/process/survive-driver-errors';
import { startAdminServer } from './server.ts';

const config = requireDatabaseUrl(loadConfigOrExit());
const logger = createLogger({ name: 'admin', level: config.logLevel });
surviveDriverConnectionErrors(logger);
const database = openDatabase(config.databaseUrl, { applicationName: 'avtrz-admin' });
const server = await startAdminServer({ config, database, logger });
logger.info({ url: server.url }, 'admin API listening');
stopOnSignals(logger, async () => {
  await server.close();
  await database.close();
});
