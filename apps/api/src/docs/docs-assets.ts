import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The files the docs pages load, all from this origin: Swagger UI from its installed package, and
 * our own stylesheet and start script (a file, since the CSP allows no inline script). Read on first
 * use and kept: the docs are rarely asked for, so the API does not hold 1.5 MB for nothing.
 */
const swaggerUiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ownDir = join(dirname(fileURLToPath(import.meta.url)), 'assets');

const FILES: Record<string, { path: string; type: string }> = {
  'swagger-ui.css': { path: join(swaggerUiDir, 'swagger-ui.css'), type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { path: join(swaggerUiDir, 'swagger-ui-bundle.js'), type: 'text/javascript; charset=utf-8' },
  'reference.js': { path: join(ownDir, 'reference.js'), type: 'text/javascript; charset=utf-8' },
  'docs.css': { path: join(ownDir, 'docs.css'), type: 'text/css; charset=utf-8' },
};

export interface DocsAsset {
  readonly body: Buffer;
  readonly type: string;
}

export function createDocsAssets(): { get(name: string): Promise<DocsAsset | undefined> } {
  const loaded = new Map<string, Promise<DocsAsset>>();
  return {
    get(name) {
      const file = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
      if (!file) return Promise.resolve(undefined);
      let asset = loaded.get(name);
      if (!asset) {
        asset = readFile(file.path).then((body) => ({ body, type: file.type }));
        asset.catch(() => loaded.delete(name));
        loaded.set(name, asset);
      }
      return asset;
    },
  };
}
