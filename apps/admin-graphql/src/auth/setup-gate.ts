import type { H3 } from 'h3';
import type { Db } from '@avtrz/db/client';
import { errorBody } from '@avtrz/shared/errors';
import { isSetupOpen } from '../services/setup.service.ts';

/**
 * GET /setup is the console's first-run page, offered only while the installation has no account:
 * afterwards it is answered 404 before the console is served, so it is closed for good.
 */
export function registerSetupGate(app: H3, db: Db): void {
  app.use('/setup', async (event) => {
    if (event.req.method !== 'GET' && event.req.method !== 'HEAD') return undefined;
    if (await isSetupOpen(db)) return undefined;
    event.res.status = 404;
    event.res.headers.set('cache-control', 'no-store');
    return errorBody('setup_closed');
  });
}
