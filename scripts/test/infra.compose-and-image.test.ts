import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { configVariableNames, loadConfig } from '@avtrz/shared/config';
import { apiNodeFlags, apiStartEnvironment } from '../api-node-flags.ts';

// The deployment files checked against the code they deploy: every command exists, every variable is
// one the apps read and accept, every copied path exists (the image itself is built and run by
// infra.image.test.ts).
const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFile(root + path, 'utf8');

/** Variables used by the container set-up itself rather than by the apps. */
const INFRA_ONLY = new Set(['HEALTH_PORT', 'NODE_OPTIONS', 'MALLOC_ARENA_MAX']);

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
}

async function compose(): Promise<Record<string, ComposeService>> {
  const doc = parse(await read('infra/compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };
  return doc.services;
}

/** What `${NAME:-default}` / `${NAME:?message}` would give with nothing set in the shell. */
function interpolate(value: string): string {
  return value.replace(
    /\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (_all, _name, kind: string | undefined, rest: string | undefined) =>
      kind === '-' ? (rest ?? '') : kind === '?' ? 'a-deployment-secret-value' : '',
  );
}

describe('infra/compose.yaml', () => {
  test('every app service runs a file that exists, with an environment the config accepts', async () => {
    const services = await compose();
    const appServices = Object.entries(services).filter(([, s]) => s.image === 'avtrz:latest');
    expect(appServices.map(([name]) => name).sort()).toEqual(['admin', 'api-1', 'api-2', 'migrate', 'worker']);
    const knownVariables = new Set(configVariableNames);
    for (const [name, service] of appServices) {
      const script = service.command?.[1];
      expect(service.command?.[0], name).toBe('node');
      expect(script && existsSync(root + script), `${name} runs ${script}`).toBe(true);
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]),
      );
      for (const variable of Object.keys(env)) {
        expect(knownVariables.has(variable) || INFRA_ONLY.has(variable), `${name} sets unknown ${variable}`).toBe(true);
      }
      expect(() => loadConfig(env), name).not.toThrow();
      expect(env.DATABASE_URL, name).toMatch(/^postgres:\/\/.+@postgres:5432\//);
    }
  });

  test('API processes run with the Node flags and environment of the API start script (the ones the benchmark measures)', async () => {
    const services = await compose();
    const flags = apiNodeFlags();
    expect(flags).toContain('--max-old-space-size=512');
    expect(apiStartEnvironment()).toEqual({ MALLOC_ARENA_MAX: '2' });
    for (const name of ['api-1', 'api-2']) {
      expect(services[name]?.environment?.NODE_OPTIONS?.split(/\s+/), name).toEqual(flags);
      for (const [variable, value] of Object.entries(apiStartEnvironment()))
        expect(services[name]?.environment?.[variable], `${name} ${variable}`).toBe(value);
    }
  });

  test('apps start only after the migration finished, which waits for a healthy PostgreSQL 18', async () => {
    const services = await compose();
    for (const name of ['api-1', 'api-2', 'admin', 'worker']) {
      expect(services[name]?.depends_on, name).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    expect(services.migrate?.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
    expect(services.postgres?.image).toMatch(/^postgres:18/);
  });
});

describe('infra/docker/Dockerfile', () => {
  test('copies only paths that exist, and runs the API by default (its last stage)', async () => {
    const dockerfile = await read('infra/docker/Dockerfile');
    const copies = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].map((m) =>
      (m[1] as string).trim().split(/\s+/).slice(0, -1),
    );
    expect(copies.length).toBeGreaterThan(0);
    for (const sources of copies) for (const source of sources) expect(existsSync(root + source), source).toBe(true);
    const cmds = [...dockerfile.matchAll(/^CMD \[(.+)\]$/gm)].map((m) => m[1]);
    expect(cmds.at(-1)).toBe('"node", "apps/api/src/main.ts"');
    expect(dockerfile).toMatch(/^FROM node:\$\{NODE_VERSION\}-bookworm-slim/m);
    expect(dockerfile).toMatch(/^ARG NODE_VERSION=24$/m);
    expect(dockerfile).toMatch(/pnpm install --frozen-lockfile --prod/);
  });

  test('the build context keeps the patches pnpm applies at install', async () => {
    const workspace = parse(await read('pnpm-workspace.yaml')) as { patchedDependencies?: Record<string, string> };
    const patches = Object.values(workspace.patchedDependencies ?? {});
    expect(patches.length).toBeGreaterThan(0);
    const ignored = (await read('infra/docker/Dockerfile.dockerignore')).split('\n').filter(Boolean);
    for (const patch of patches) {
      expect(existsSync(root + patch), patch).toBe(true);
      for (const pattern of ignored) expect(patch.startsWith(pattern.replace(/^\*\*\//, '')), pattern).toBe(false);
    }
  });
});
