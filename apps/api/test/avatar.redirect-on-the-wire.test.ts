import { connect } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { type ApiUnderTest, startApiUnderTest } from './support/api-under-test.ts';
import { type SeededKey, seedKey, seedResolvedProfile, seedWorkspace } from './support/seed.ts';

// The bodiless 302 says `Content-Length: 0`: sent chunked it would carry a chunk terminator, bytes
// every client parses for nothing.
const database = useTestDatabase();
let api: ApiUnderTest;
let key: SeededKey;

beforeAll(async () => {
  api = await startApiUnderTest(database);
  await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
  key = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
});
afterAll(async () => {
  await api?.close();
});

/** One request on a raw socket; the bytes of the answer as they came. */
function raw(request: string): Promise<string> {
  const { hostname, port } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let received = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
    socket.on('end', () => resolve(received)).on('error', reject);
  });
}

test('a 302 goes out with Content-Length: 0 and nothing after its headers', async () => {
  const answer = await raw(
    `GET /v1/avatar?username=alex-rivera HTTP/1.1\r\nHost: x\r\nx-api-key: ${key.key}\r\nConnection: close\r\n\r\n`,
  );
  const [head, body] = answer.split('\r\n\r\n');
  expect(head).toMatch(/^HTTP\/1\.1 302 Found\r\n/);
  expect(head?.toLowerCase()).toContain('\r\ncontent-length: 0');
  expect(head?.toLowerCase()).not.toContain('transfer-encoding');
  expect(body).toBe('');
});

test('HEAD of the same answer: the same headers, no body', async () => {
  const answer = await raw(
    `HEAD /v1/avatar?username=alex-rivera HTTP/1.1\r\nHost: x\r\nx-api-key: ${key.key}\r\nConnection: close\r\n\r\n`,
  );
  const [head, body] = answer.split('\r\n\r\n');
  expect(head).toMatch(/^HTTP\/1\.1 302 Found\r\n/);
  expect(head?.toLowerCase()).toContain('\r\ncontent-length: 0');
  expect(body).toBe('');
});
