import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import sharp from 'sharp';
import { startApiServer } from '@avtrz/api/server';
import { freePort } from '@avtrz/db/embedded';
import { useTestDatabase } from '@avtrz/db/testing';
import { loadConfig } from '@avtrz/shared/config';
import { createLogger } from '@avtrz/shared/logger';
import { createFsStorage } from '@avtrz/shared/storage/fs-storage';

// The CDN config in infra/ is run by a real nginx in front of a real API process. .ci/run installs
// nginx when it is missing; on a laptop without nginx this file is skipped and says so.
const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const template = new URL('../../infra/nginx/templates/avtrz.conf.template', import.meta.url);

/** Renders the template like the nginx image's envsubst step: only the variables we pass. */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

const database = useTestDatabase();

describe.skipIf(!NGINX)('the nginx CDN in front of the API', () => {
  let dir: string;
  let nginx: ReturnType<typeof spawn> | undefined;
  let api: Awaited<ReturnType<typeof startApiServer>> | undefined;
  let cdn: string;
  let storageKey: string;
  let imageBytes: Buffer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'avtrz-nginx-'));
    const config = loadConfig({ DATA_DIR: dir, DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    imageBytes = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#3366cc' } })
      .webp()
      .toBuffer();
    storageKey = `${createHash('sha256').update(imageBytes).digest('hex')}.webp`;
    await createFsStorage(join(dir, 'images')).put(storageKey, imageBytes, 'image/webp');
    api = await startApiServer(
      { config, database, logger: createLogger({ name: 'api', level: 'silent', pretty: false }) },
      0,
    );

    const port = await freePort();
    const conf = renderTemplate(await readFile(template, 'utf8'), {
      API_UPSTREAMS: `server 127.0.0.1:${api.port};`,
      CDN_CACHE_DIR: join(dir, 'cache'),
      LISTEN_PORT: `127.0.0.1:${port}`,
    });
    await mkdir(join(dir, 'logs'));
    await writeFile(join(dir, 'avtrz.conf'), conf);
    await writeFile(
      join(dir, 'nginx.conf'),
      `pid ${dir}/nginx.pid;\nerror_log ${dir}/logs/error.log warn;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  include ${dir}/avtrz.conf;\n}\n`,
    );
    const check = spawnSync(NGINX as string, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    nginx = spawn(
      NGINX as string,
      ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off; master_process off;'],
      { stdio: 'ignore' },
    );
    cdn = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`${cdn}/healthz`).then(
          () => true,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    nginx?.kill('SIGQUIT');
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('serves stored images from its cache even when every origin is down, and never caches /v1/avatar', async () => {
    // /v1/avatar answers depend on the key and the calling page: they must always come from an origin.
    const avatarWhileUp = await fetch(`${cdn}/v1/avatar?username=alex-rivera`);
    expect(avatarWhileUp.status).toBe(401);
    expect(avatarWhileUp.headers.get('x-cache-status')).toBeNull();
    await avatarWhileUp.arrayBuffer();

    const first = await fetch(`${cdn}/cdn/${storageKey}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache-status')).toBe('MISS');
    expect(first.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await first.arrayBuffer()).equals(imageBytes)).toBe(true);

    const second = await fetch(`${cdn}/cdn/${storageKey}`);
    expect(second.headers.get('x-cache-status')).toBe('HIT');
    await second.arrayBuffer();

    await api?.close();
    api = undefined;
    const whileDown = await fetch(`${cdn}/cdn/${storageKey}`);
    expect(whileDown.status).toBe(200);
    expect(Buffer.from(await whileDown.arrayBuffer()).equals(imageBytes)).toBe(true);

    const avatarWhileDown = await fetch(`${cdn}/v1/avatar?username=alex-rivera`);
    expect(avatarWhileDown.status).toBe(502);
    await avatarWhileDown.arrayBuffer();
  });
});
