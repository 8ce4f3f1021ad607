import type { IncomingMessage, ServerResponse } from 'node:http';
import { type H3, serve } from 'h3';

export interface RunningServer {
  /** Base URL the server answers on, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections and waits for requests in flight to finish. */
  close(): Promise<void>;
}

/** Listens on host:port (0 picks a free port) and resolves once the socket is bound. */
export async function listen(
  app: H3,
  options: {
    host: string;
    port: number;
    /** Several processes bind the same port (SO_REUSEPORT) and the kernel spreads connections over them. */
    reusePort?: boolean;
    /**
     * Sees each request before h3 does and answers it itself when it returns true (the public API's
     * hot path); the rest go to h3 as usual.
     */
    intercept?: (request: IncomingMessage, response: ServerResponse) => boolean;
  },
): Promise<RunningServer> {
  const { intercept } = options;
  const server = serve(app, {
    port: options.port,
    hostname: options.host,
    silent: true,
    gracefulShutdown: false,
    reusePort: options.reusePort === true,
    // Listening waits until the interceptor is in place.
    manual: intercept !== undefined,
  });
  if (intercept) {
    const node = server.node;
    const nodeServer = node?.server;
    if (!node || !nodeServer) throw new Error('an interceptor needs a Node server');
    // srvx hands its own handler to Node's server: it becomes the fallback of the interceptor.
    const fallback = node.handler;
    nodeServer.removeAllListeners('request');
    nodeServer.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (!intercept(request, response)) void fallback(request, response);
    });
    await server.serve();
  }
  await server.ready();
  const address = server.node?.server?.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => server.close(),
  };
}
