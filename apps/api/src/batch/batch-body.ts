import { type AvatarSize, DEFAULT_AVATAR_SIZE, parseAvatarSize } from '@avtrz/shared/avatar-sizes';
import { BATCH_LIMITS } from './batch-definition.ts';

/** A POST /v1/avatars body, read and checked at the edge. */
export interface BatchBody {
  readonly profiles: readonly string[];
  readonly size: AvatarSize;
  readonly waitMs: number;
}

export type BatchBodyResult =
  | { readonly ok: true; readonly body: BatchBody }
  | { readonly ok: false; readonly message: string };

const KNOWN_FIELDS = new Set(['profiles', 'size', 'wait_ms']);
const fail = (message: string): BatchBodyResult => ({ ok: false, message });

/** Reads at most 64 KiB (a larger body is refused without reading the rest) and checks its shape. */
export async function readBatchBody(request: Request): Promise<BatchBodyResult> {
  const text = await readBoundedText(request, BATCH_LIMITS.maxBodyBytes);
  if (text === undefined)
    return fail(
      `The body is larger than ${BATCH_LIMITS.maxBodyBytes / 1024} KiB; send at most ${BATCH_LIMITS.maxProfiles} profiles per request.`,
    );
  if (text.trim() === '') return fail('The body is empty; send JSON such as {"profiles": ["alex-rivera"]}.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(`The body is not JSON (${(error as Error).message}); send {"profiles": [...]}.`);
  }
  return checkBatchBody(parsed);
}

export function checkBatchBody(value: unknown): BatchBodyResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('The body must be a JSON object such as {"profiles": ["alex-rivera"]}.');
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((name) => !KNOWN_FIELDS.has(name));
  if (unknown.length > 0)
    return fail(
      `Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')}; the fields are profiles, size and wait_ms.`,
    );
  const { profiles } = fields;
  if (profiles === undefined) return fail('profiles is missing: send an array of 1 to 100 handles or LinkedIn URLs.');
  if (!Array.isArray(profiles)) return fail('profiles must be an array of 1 to 100 handles or LinkedIn URLs.');
  if (profiles.length === 0 || profiles.length > BATCH_LIMITS.maxProfiles)
    return fail(`profiles must hold 1 to ${BATCH_LIMITS.maxProfiles} entries; it holds ${profiles.length}.`);
  const notString = profiles.findIndex((entry) => typeof entry !== 'string');
  if (notString !== -1) return fail(`profiles[${notString}] must be a string (a handle or a LinkedIn URL).`);

  let size: AvatarSize = DEFAULT_AVATAR_SIZE;
  if (fields.size !== undefined) {
    const parsed = typeof fields.size === 'number' ? parseAvatarSize(String(fields.size)) : undefined;
    if (parsed === undefined) return fail('size must be one of 32, 64, 128, 256 or 512.');
    size = parsed;
  }
  let waitMs: number = BATCH_LIMITS.defaultWaitMs;
  if (fields.wait_ms !== undefined) {
    const wait = fields.wait_ms;
    if (typeof wait !== 'number' || !Number.isInteger(wait) || wait < 0 || wait > BATCH_LIMITS.maxWaitMs)
      return fail(`wait_ms must be a whole number of milliseconds from 0 to ${BATCH_LIMITS.maxWaitMs}.`);
    waitMs = wait;
  }
  return { ok: true, body: { profiles: profiles as string[], size, waitMs } };
}

/** The body as text, or undefined when it is over `maxBytes` (declared or sent). Invalid UTF-8 is replaced. */
async function readBoundedText(request: Request, maxBytes: number): Promise<string | undefined> {
  const declared = Number(request.headers.get('content-length'));
  if (declared > maxBytes) return undefined;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
