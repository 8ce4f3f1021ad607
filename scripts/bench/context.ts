import type { DatabaseHandle } from '@avtrz/db/client';
import type { LoadOptions, LoadResult } from './load.ts';
import type { ServerProcess } from './processes.ts';
import type { ReportRow } from './report.ts';
import type { BenchSeed } from './seed.ts';

/**
 * What a benchmark scenario module gets (see `extraScenarios` in main.ts): the running API process,
 * the database it uses (migrated and seeded), the load generator, and the report to add rows to.
 */
export interface BenchContext {
  readonly databaseUrl: string;
  readonly database: DatabaseHandle;
  /** The temporary DATA_DIR the API process runs with (stored images under `images/`). */
  readonly dataDir: string;
  readonly api: ServerProcess;
  readonly seed: BenchSeed;
  readonly connections: number;
  readonly seconds: number;
  load(
    options: Omit<LoadOptions, 'connections' | 'seconds'> & Partial<Pick<LoadOptions, 'connections' | 'seconds'>>,
  ): Promise<LoadResult>;
  /** Adds a row to the printed table; `apiRssMb` is measured by the caller if wanted. */
  addRow(row: ReportRow): void;
  log(line: string): void;
}
