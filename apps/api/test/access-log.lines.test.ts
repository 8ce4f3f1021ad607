import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ApiProcess, startApiProcess } from './support/metering.ts';
import { type SeededKey, seedKey, seedProfileWithoutPhoto, seedWorkspace } from './support/seed.ts';

// CONTRACT §9: the access log is on by default, one line per request; ACCESS_LOG=errors keeps the
// errors only, off none. Lines are batched in memory and written by a clean stop.
const database = useTestDatabase();
let key: SeededKey;

beforeAll(async () => {
  await seedProfileWithoutPhoto(database.db, 'alex-rivera');
  key = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
});

interface AccessLine {
  level: number;
  name: string;
  reqId: string;
  method: string;
  path: string;
  status: number;
  ms: number;
}

function accessLines(api: ApiProcess): AccessLine[] {
  return api
    .stdoutLines()
    .map((line) => JSON.parse(line) as Partial<AccessLine>)
    .filter((entry): entry is AccessLine => entry.status !== undefined && entry.reqId !== undefined);
}

/** 8 fallbacks (200), 4 bad sizes (400), 3 unknown paths with a quote in them (404), 2 HEAD 401s. */
async function sendMix(api: ApiProcess): Promise<number[]> {
  const statuses: number[] = [];
  const send = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${api.url}${path}`, init);
    await res.arrayBuffer();
    statuses.push(res.status);
  };
  const headers = { 'x-api-key': key.key };
  for (let i = 0; i < 8; i++) await send('/v1/avatar?username=alex-rivera', { headers });
  for (let i = 0; i < 4; i++) await send('/v1/avatar?username=alex-rivera&size=7', { headers });
  for (let i = 0; i < 3; i++) await send(`/nothing/"quoted"/${i}`);
  for (let i = 0; i < 2; i++) await send('/v1/avatar?username=alex-rivera', { method: 'HEAD' });
  return statuses;
}

const byStatus = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((counts, s) => ({ ...counts, [s]: (counts[s] ?? 0) + 1 }), {});

describe('the access log', () => {
  let api: ApiProcess;
  afterAll(async () => {
    await api?.stop();
  });

  test('by default: one line per request, all written by SIGTERM right after the last answer', async () => {
    api = await startApiProcess(database.url);
    const sent = await sendMix(api);
    await fetch(`${api.url}/v1/avatar?username=alex-rivera`, {
      headers: { 'x-api-key': key.key, 'x-request-id': 'trace-42' },
    }).then((r) => r.arrayBuffer());
    sent.push(200);
    expect(byStatus(sent)).toEqual({ 200: 9, 400: 4, 401: 2, 404: 3 });

    expect(await api.stop('SIGTERM')).toBe(0);
    const lines = accessLines(api);
    expect(byStatus(lines.map((l) => l.status))).toEqual(byStatus(sent));
    for (const line of lines) {
      expect(line).toMatchObject({ level: 30, name: 'api' });
      expect(line.ms).toBeGreaterThanOrEqual(0);
      expect(line.reqId).toMatch(/^[\w.-]+$/);
    }
    expect(lines.filter((l) => l.method === 'HEAD')).toHaveLength(2);
    expect(lines.filter((l) => l.path.startsWith('/nothing/'))[0]?.path).toBe('/nothing/%22quoted%22/0');
    expect(lines.find((l) => l.reqId === 'trace-42')).toMatchObject({ path: '/v1/avatar', status: 200 });
  });

  test('ACCESS_LOG=errors: only answers with status 400 and above', async () => {
    api = await startApiProcess(database.url, { ACCESS_LOG: 'errors' });
    const sent = await sendMix(api);
    expect(await api.stop('SIGTERM')).toBe(0);
    const errors = sent.filter((s) => s >= 400);
    expect(byStatus(accessLines(api).map((l) => l.status))).toEqual(byStatus(errors));
  });

  test('ACCESS_LOG=off: no access lines at all, the other logs still there', async () => {
    api = await startApiProcess(database.url, { ACCESS_LOG: 'off' });
    expect((await sendMix(api)).length).toBe(17);
    expect(await api.stop('SIGTERM')).toBe(0);
    expect(accessLines(api)).toEqual([]);
    expect(api.stdoutLines().some((line) => line.includes('stopped cleanly'))).toBe(true);
  });

  test('a bad ACCESS_LOG stops the process at start with a message naming it', async () => {
    await expect(startApiProcess(database.url, { ACCESS_LOG: 'some' })).rejects.toThrow(
      /invalid ACCESS_LOG="some": expected all, errors or off/,
    );
  });
});
