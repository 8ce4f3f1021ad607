// Runs the public API alone against DATABASE_URL (how production runs it, any number side by side).
import { openDatabase } from '@avtrz/db/client';
import { createLogger } from '@avtrz/shared/logger';
import { loadConfigOrExit } from '@avtrz/shared/process/load-config-or-exit';
import { stopOnSignals } from '@avtrz/shared/process/shutdown';
import { requireDatabaseUrl } from '@avtrz/shared/process/require-database-url';
import { surviveDriverConnectionErrors } from '@avtrz/shared/process/survive-driver-errors';
import { startApiServer } from './server.ts';

const config = requireDatabaseUrl(loadConfigOrExit());
const logger = createLogger({ name: 'api', level: config.logLevel });
surviveDriverConnectionErrors(logger);
const database = openDatabase(config.databaseUrl, { applicationName: 'avtrz-api' });
// Signals are handled from the start, so one that arrives while the server starts still stops it cleanly.
const starting = startApiServer({ config, database, logger });
stopOnSignals(logger, async () => {
  await (await starting).close();
  await database.close();
});
logger.info({ url: (await starting).url }, 'api listening');
