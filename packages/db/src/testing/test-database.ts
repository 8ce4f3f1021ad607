import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../client.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection URL of the test server's maintenance database. */
    pgAdminUrl: string;
    /** Name of the migrated template each test file clones. */
    pgTemplate: string;
  }
}

export interface TestDatabase extends DatabaseHandle {
  readonly name: string;
  /** A URL for another database on the same server (for processes started by the test). */
  readonly adminUrl: string;
}

/** Clones the migrated template into a fresh database (~25 ms) and opens a pool on it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${template}" strategy file_copy`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const handle = openDatabase(url, { applicationName: 'avtrz-test' });
  return {
    ...handle,
    name,
    adminUrl,
    async close() {
      await handle.close();
      const drop = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await drop.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await drop.end();
      }
    },
  };
}

/**
 * One database for the whole test file: cloned before the first test, dropped after the last.
 * Read the fields inside tests or hooks, not at module level.
 */
export function useTestDatabase(): TestDatabase {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase();
  });
  afterAll(async () => {
    await current?.close();
  });
  const get = (): TestDatabase => {
    if (!current) throw new Error('the test database is only available inside tests and hooks');
    return current;
  };
  return new Proxy({} as TestDatabase, {
    get: (_target, prop) => Reflect.get(get(), prop),
  });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
