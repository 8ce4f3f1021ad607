import { expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { createLogger } from '@avtrz/shared/logger';
import { createUsageCounter } from '../src/metering/usage-counter.ts';
import { loadKeyForRequest, usageOfKey } from './support/metering.ts';
import { seedKey, seedWorkspace } from './support/seed.ts';

// While the database is away counts wait in memory, one row per key and hour; past the bound the
// rows already held keep counting (the oldest hours are kept) and new rows are dropped, loudly.
const database = useTestDatabase();

test('past the bound of unwritten rows, new key-hours are dropped and held ones keep counting', async () => {
  // The error lines the counter writes, captured.
  const errors: string[] = [];
  const logger = createLogger({ name: 'test', level: 'silent', pretty: false });
  logger.error = ((_details: object, message: string) => void errors.push(message)) as unknown as typeof logger.error;
  const counter = createUsageCounter(database.db, logger, { maxPendingRows: 3 });
  const workspaceId = await seedWorkspace(database.db);
  const keys = await Promise.all(
    Array.from({ length: 4 }, async () =>
      loadKeyForRequest(database.db, (await seedKey(database.db, workspaceId, 'secret')).id),
    ),
  );
  const hour = Date.UTC(2030, 0, 1, 10);
  for (const key of keys) counter.count(key, 'billable_redirect', hour + 1000);
  // The first three keys' rows are held; a later hour for them is a new row too, so it is dropped.
  counter.count(keys[0]!, 'billable_redirect', hour + 3_600_000);
  counter.count(keys[0]!, 'not_modified', hour + 2000);
  expect(counter.pendingRows).toBe(3);
  expect(errors).toEqual(['usage counts dropped: too many unwritten rows (is the database away?)']);

  await counter.flush();
  expect(counter.pendingRows).toBe(0);
  expect(await usageOfKey(database.db, keys[0]!.id)).toMatchObject({ billable: 1, notModified: 1 });
  expect(await usageOfKey(database.db, keys[1]!.id)).toMatchObject({ billable: 1 });
  expect(await usageOfKey(database.db, keys[3]!.id)).toMatchObject({ billable: 0 });
});
