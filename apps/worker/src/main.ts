// Runs the worker alone against DATABASE_URL (how production runs it, any number side by side).
import { openDatabase } from '@avtrz/db/client';
import { createLogger } from '@avtrz/shared/logger';
import { loadConfigOrExit } from '@avtrz/shared/process/load-config-or-exit';
import { stopOnSignals } from '@avtrz/shared/process/shutdown';
import { requireDatabaseUrl } from '@avtrz/shared/process/require-database-url';
import { surviveDriverConnectionErrors } from '@avtrz/shared/process/survive-driver-errors';
import { startWorker } from './worker.ts';

const config = requireDatabaseUrl(loadConfigOrExit());
const logger = createLogger({ name: 'worker', level: config.logLevel });
surviveDriverConnectionErrors(logger);
const database = openDatabase(config.databaseUrl, { applicationName: 'avtrz-worker' });
const worker = await startWorker({ config, database, logger });
logger.info('worker running');
stopOnSignals(logger, async () => {
  await worker.stop();
  await database.close();
});
