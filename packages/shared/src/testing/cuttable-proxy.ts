import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of PostgreSQL, for outage tests: `cut()` drops every connection
 * and stops listening, so new ones are refused (as with a database that went away); `restore()`
 * listens on the same port again.
 */
export interface CuttableProxy {
  /** The database URL, rewritten to go through the proxy. */
  readonly url: string;
  cut(): void;
  /** Drops every connection and accepts new ones that never get an answer (a database that hangs). */
  stall(): void;
  /** Holds back every answer of the database by `ms` (0: none): statements run, their replies come late. */
  delayAnswers(ms: number): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startCuttableProxy(databaseUrl: string): Promise<CuttableProxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  let open = true;
  let stalled = false;
  let answerDelayMs = 0;
  const server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    if (stalled) {
      sockets.add(client);
      client.on('error', () => {});
      client.on('close', () => sockets.delete(client));
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    // The database's answers go through a queue, so that `delayAnswers` can hold them back in order.
    let nextAt = 0;
    upstream.on('data', (chunk: Buffer) => {
      nextAt = Math.max(Date.now() + answerDelayMs, nextAt);
      const wait = nextAt - Date.now();
      if (wait <= 0 && client.writable) client.write(chunk);
      else setTimeout(() => client.writable && client.write(chunk), wait);
    });
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(a);
      if (a === client) a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
    }
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await listen(0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    cut() {
      open = false;
      server.close();
      for (const socket of sockets) socket.destroy();
    },
    delayAnswers(ms) {
      answerDelayMs = ms;
    },
    stall() {
      stalled = true;
      for (const socket of sockets) socket.destroy();
    },
    async restore() {
      if (stalled) {
        stalled = false;
        for (const socket of sockets) socket.destroy();
      }
      if (open) return;
      open = true;
      await listen(port);
    },
    close() {
      open = false;
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    },
  };
}
