import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { useTestDatabase } from '@avtrz/db/testing';
import { answersAtEndOfTurn } from '../src/http/answers-at-end-of-turn.ts';
import { type ApiUnderTest, startApiUnderTest, TEST_CDN_URL } from './support/api-under-test.ts';
import {
  type SeededKey,
  seedKey,
  seedProfileWithoutPhoto,
  seedResolvedProfile,
  seedWorkspace,
} from './support/seed.ts';

// Answers decided from memory go out together at the end of the event-loop turn (one wake-up of the
// peer for many answers). Held and sent together, each answer must still reach its own connection,
// in order on a connection that sends several requests at once.
const database = useTestDatabase();
let api: ApiUnderTest;
let secret: SeededKey;
/** What each kind of request must get back: its status, and text found only in its answer. */
let kinds: Kind[];

beforeAll(async () => {
  api = await startApiUnderTest(database);
  secret = await seedKey(database.db, await seedWorkspace(database.db), 'secret');
  const alex = await seedResolvedProfile(database.db, api.storage, 'alex-rivera');
  const sam = await seedResolvedProfile(database.db, api.storage, 'sam-lee');
  await seedProfileWithoutPhoto(database.db, 'no-photo-person');
  const location = (photo: typeof alex, size: number) =>
    `location: ${TEST_CDN_URL}/${photo.variants.get(size)?.storageKey as string}`;
  const withKey = `x-api-key: ${secret.key}\r\n`;
  kinds = [
    { request: () => get('username=alex-rivera&size=64', withKey), status: 302, has: location(alex, 64) },
    { request: () => get('username=sam-lee&size=128', withKey), status: 302, has: location(sam, 128) },
    { request: () => get('username=no-photo-person', withKey), status: 200, has: '<svg' },
    { request: () => get('username=alex-rivera', ''), status: 401, has: 'missing_key' },
    { request: () => get('username=alex-rivera&size=129', withKey), status: 400, has: 'invalid_size' },
  ];
});
afterAll(async () => {
  await api?.close();
});

type Kind = { request: () => string; status: number; has: string };
const get = (query: string, headers: string) => `GET /v1/avatar?${query} HTTP/1.1\r\nHost: x\r\n${headers}\r\n`;

function open(): Promise<Socket> {
  const { hostname, port } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Reads `count` answers off the socket, each as its head and body. */
function answers(socket: Socket, count: number): Promise<{ head: string; body: string }[]> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const parsed: { head: string; body: string }[] = [];
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      for (;;) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) break;
        const head = received.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (received.length < end + 4 + length) break;
        parsed.push({ head, body: received.subarray(end + 4, end + 4 + length).toString('utf8') });
        received = received.subarray(end + 4 + length);
      }
      if (parsed.length === count) resolve(parsed);
    });
    socket.on('error', reject);
  });
}

const matches = (answer: { head: string; body: string }, kind: Kind) =>
  answer.head.startsWith(`HTTP/1.1 ${kind.status} `) && `${answer.head}\n${answer.body}`.includes(kind.has);

test('requests on forty connections sent at once each get their own answer', async () => {
  // Warm the caches, so the burst is answered from memory (the answers that are held).
  for (const kind of kinds) {
    const socket = await open();
    const pending = answers(socket, 1);
    socket.write(kind.request());
    expect(matches((await pending)[0] as { head: string; body: string }, kind)).toBe(true);
    socket.destroy();
  }
  const sockets = await Promise.all(Array.from({ length: 40 }, () => open()));
  const asked = sockets.map((_, i) => kinds[i % kinds.length] as Kind);
  const pending = sockets.map((socket) => answers(socket, 1));
  sockets.forEach((socket, i) => socket.write((asked[i] as Kind).request()));
  const got = await Promise.all(pending);
  got.forEach(([answer], i) => expect(matches(answer as { head: string; body: string }, asked[i] as Kind)).toBe(true));
  expect(got.filter(([answer]) => answer?.head.includes(`location: ${TEST_CDN_URL}/`)).length).toBe(16);
  for (const socket of sockets) socket.destroy();
});

test('several requests written at once on one connection are answered in order', async () => {
  const socket = await open();
  const order = [0, 3, 1, 2, 4, 0, 1];
  const pending = answers(socket, order.length);
  socket.write(order.map((i) => (kinds[i] as Kind).request()).join(''));
  const got = await pending;
  got.forEach((answer, n) => expect(matches(answer, kinds[order[n] as number] as Kind)).toBe(true));
  socket.destroy();
});

test('answers given in one turn are held until its end, then written together in the order given', async () => {
  const written: string[] = [];
  const send = answersAtEndOfTurn((to: string, answer: number) => written.push(`${to}:${answer}`));
  send('a', 1);
  send('b', 2);
  send('a', 3);
  // Nothing goes out during the turn, not even after its promise callbacks.
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((resolve) => process.nextTick(resolve));
  expect(written).toEqual([]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(written).toEqual(['a:1', 'b:2', 'a:3']);
  // The next turn starts a new group.
  send('c', 4);
  expect(written).toHaveLength(3);
  await new Promise((resolve) => setImmediate(resolve));
  expect(written.at(-1)).toBe('c:4');
});

test('every answer says its length, none goes out chunked, and a client that left mid-answer stops nothing', async () => {
  const socket = await open();
  const pending = answers(socket, kinds.length);
  socket.write(kinds.map((kind) => kind.request()).join(''));
  for (const answer of await pending) {
    expect(answer.head.toLowerCase()).not.toContain('transfer-encoding');
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(answer.head)?.[1]);
    expect(length).toBe(Buffer.byteLength(answer.body));
  }
  socket.destroy();
  // Requests written and the connection closed before their answers: the next caller is still answered.
  const leaving = await open();
  leaving.end(kinds.map((kind) => kind.request()).join(''));
  leaving.destroy();
  const next = await open();
  const after = answers(next, 1);
  next.write((kinds[0] as Kind).request());
  expect(matches((await after)[0] as { head: string; body: string }, kinds[0] as Kind)).toBe(true);
  next.destroy();
});

test('the path with a trailing slash, which h3 routes, gets the same answer as the path itself', async () => {
  const socket = await open();
  const pending = answers(socket, 2);
  const withKey = `x-api-key: ${secret.key}\r\n`;
  socket.write(
    `GET /v1/avatar/?username=alex-rivera&size=64 HTTP/1.1\r\nHost: x\r\n${withKey}\r\n` +
      `GET /v1/avatar/?username=alex-rivera&size=129 HTTP/1.1\r\nHost: x\r\n${withKey}\r\n`,
  );
  const [photo, invalid] = await pending;
  expect(matches(photo as { head: string; body: string }, kinds[0] as Kind)).toBe(true);
  expect(matches(invalid as { head: string; body: string }, kinds[4] as Kind)).toBe(true);
  socket.destroy();
});
