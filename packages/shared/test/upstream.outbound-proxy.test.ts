import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFakeLinkedin, type FakeLinkedin } from '../src/testing/fake-linkedin.ts';
import { createLinkedinPhotoSource } from '../src/upstream/linkedin-photo-source.ts';
import { downloadPhoto } from '../src/upstream/photo-download.ts';
import { createSafeFetch } from '../src/upstream/safe-fetch.ts';

// UPSTREAM_PROXY_URL: every upstream fetch goes through the proxy, and the address rules still hold
// (the target is checked before the proxy is asked to connect).
let fake: FakeLinkedin;
let proxy: Server;
let proxyUrl: string;
// host:port of every target the proxy was asked to reach
const tunnels: string[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  fake = await startFakeLinkedin();
  // A minimal CONNECT proxy, as deployments use to leave from other addresses.
  proxy = createServer((req, res) => {
    // Plain http targets are forwarded (absolute-form request line); https ones are tunnelled below.
    const target = new URL(req.url ?? '');
    tunnels.push(target.host);
    const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  proxy.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await fake.close();
});

test('pages and photos are fetched through the proxy', async () => {
  const fetch = createSafeFetch({ allowPrivate: true, timeoutMs: 3000, maxBytes: 1024 * 1024, proxyUrl });
  try {
    fake.setProfile('proxied-pia', { kind: 'photo' });
    const source = createLinkedinPhotoSource({ baseUrl: fake.baseUrl, imageHosts: [fake.imageHost], fetch });
    const found = await source.lookup('proxied-pia');
    expect(found).toEqual({ kind: 'photo', url: fake.photoUrl('proxied-pia') });
    expect(await downloadPhoto(fetch, fake.photoUrl('proxied-pia'), { imageHosts: [fake.imageHost] })).toMatchObject({
      kind: 'image',
    });
    expect(tunnels.length).toBeGreaterThan(0);
    expect(tunnels.every((t) => t === new URL(fake.baseUrl).host)).toBe(true);
  } finally {
    await fetch.close();
  }
});

test('a redirect to a forbidden address is refused before the proxy is asked to go there', async () => {
  const fetch = createSafeFetch({ allowPrivate: true, timeoutMs: 3000, maxBytes: 1024 * 1024, proxyUrl });
  try {
    fake.setProfile('proxied-metadata', { kind: 'redirect', location: 'http://169.254.169.254/latest/meta-data/' });
    const source = createLinkedinPhotoSource({ baseUrl: fake.baseUrl, imageHosts: [fake.imageHost], fetch });
    expect(await source.lookup('proxied-metadata')).toEqual({ kind: 'retry_later', reason: 'page_address_refused' });
    expect(tunnels.some((t) => t.startsWith('169.254.'))).toBe(false);
  } finally {
    await fetch.close();
  }
});
