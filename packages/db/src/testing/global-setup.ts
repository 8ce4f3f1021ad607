import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../client.ts';
import { startEmbeddedPostgres } from '../embedded.ts';
import { migrateToLatest } from '../migrate.ts';
import { withDatabase } from './test-database.ts';

/**
 * One PostgreSQL server for the whole run: the one named by AVTRZ_TEST_PG_URL (scripts/test-all.ts
 * starts it once for every project), else DATABASE_URL, else an embedded throwaway server. The
 * schema is migrated once into a template database that every test file clones.
 */
export default async function setup(project: TestProject) {
  const given = process.env.AVTRZ_TEST_PG_URL;
  const givenTemplate = process.env.AVTRZ_TEST_PG_TEMPLATE;
  if (given && givenTemplate) {
    project.provide('pgAdminUrl', given);
    project.provide('pgTemplate', givenTemplate);
    return;
  }
  const server = await startTestServer();
  const template = await createTemplate(server.url);
  project.provide('pgAdminUrl', server.url);
  project.provide('pgTemplate', template);
  return async () => {
    await dropTemplate(server.url, template);
    await server.stop();
  };
}

export async function startTestServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const external = process.env.DATABASE_URL;
  if (external) return { url: external, stop: async () => {} };
  const dataDir = await mkdtemp(join(tmpdir(), 'avtrz-test-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, persistent: false, unsafeFast: true });
  return {
    url: server.url,
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function createTemplate(adminUrl: string): Promise<string> {
  const template = `avtrz_template_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${template}"`);
    await admin.unsafe(`create database "${template}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, template);
  const handle = openDatabase(url, { max: 2 });
  try {
    await migrateToLatest(handle.db, url);
  } finally {
    await handle.close();
  }
  return template;
}

export async function dropTemplate(adminUrl: string, template: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${template}" with (force)`);
  } finally {
    await admin.end();
  }
}
