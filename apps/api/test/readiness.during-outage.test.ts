import { afterAll, beforeAll, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';
import { type CuttableProxy, startCuttableProxy } from '@avtrz/shared/testing/cuttable-proxy';

// An orchestrator must tell "down" from "hung": /readyz answers 503 promptly when the database does not
// answer, however the database fails, and 200 again once it is back.
const database = useTestDatabase();
let proxy: CuttableProxy;
let api: ApiUnderTest;

beforeAll(async () => {
  proxy = await startCuttableProxy(database.url);
  api = await startApiUnderTest({ ...database, url: proxy.url }, { ownPool: true });
});
afterAll(async () => {
  await api?.close();
  await proxy?.close();
});

async function readyz(): Promise<{ status: number; ms: number; reason?: string }> {
  const started = Date.now();
  const response = await api.request('/readyz', { signal: AbortSignal.timeout(5000) });
  const body = (await response.json()) as { reason?: string };
  return { status: response.status, ms: Date.now() - started, reason: body.reason };
}

test.each([
  ['refuses connections', () => proxy.cut()],
  ['accepts connections and never answers', () => proxy.stall()],
])('/readyz is 503 within 1 s while the database %s, and 200 after', async (_name, fail) => {
  expect((await readyz()).status).toBe(200);
  fail();
  for (let i = 0; i < 3; i++) {
    const answer = await readyz();
    expect(answer.status).toBe(503);
    expect(answer.ms).toBeLessThan(1000);
    expect(answer.reason).toMatch(/database/);
  }
  await proxy.restore();
  const started = Date.now();
  while ((await readyz()).status !== 200) {
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 100));
  }
});
