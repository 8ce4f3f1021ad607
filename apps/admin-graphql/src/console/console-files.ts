import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `pnpm --filter @avtrz/console build` writes the console (apps/console/dist). */
export const defaultConsoleDir: string = fileURLToPath(new URL('../../../console/dist', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ConsoleFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * A file of the built console by its URL path, or undefined when there is none. Paths that climb out
 * of the folder (`..`, encoded or not) are never read.
 */
export async function readConsoleFile(dir: string, urlPath: string): Promise<ConsoleFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = normalize(join(dir, decoded));
  if (!file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return undefined;
  try {
    return { body: await readFile(file), contentType: contentTypes[extname(file)] ?? 'application/octet-stream' };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR';
}
