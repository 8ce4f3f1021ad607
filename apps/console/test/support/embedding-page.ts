import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A customer's page on 127.0.0.1: `/?src=<avatar URL>` answers HTML with one <img> of that URL, as a
 * site using a publishable key would. Opened as http://localhost:<port>/ it comes from `localhost`,
 * as http://127.0.0.1:<port>/ from a host no allow-list can name.
 */
export async function startEmbeddingPage(): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const src = new URL(request.url ?? '/', 'http://page.invalid').searchParams.get('src') ?? '';
    const escaped = src.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><title>Customer page</title><img id="avatar" src="${escaped}" alt="avatar">`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
