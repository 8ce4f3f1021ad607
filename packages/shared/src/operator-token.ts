import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The operator credential for the all-in-one mode: OPERATOR_TOKEN when set, else a token generated
 * on the first start and kept (readable by the owner only) in DATA_DIR, so it survives restarts.
 */
export async function ensureOperatorToken(
  configured: string | undefined,
  dataDir: string,
): Promise<{ token: string; file: string | undefined }> {
  if (configured) return { token: configured, file: undefined };
  const file = join(dataDir, 'operator-token');
  const existing = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (existing) return { token: existing, file };
  await mkdir(dataDir, { recursive: true });
  const token = `op_${randomBytes(32).toString('base64url')}`;
  await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return { token: (await readFile(file, 'utf8')).trim(), file };
}
