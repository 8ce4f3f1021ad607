// The baseline: a bare h3 server answering a constant 302, run as its own process like the API.
import { H3, redirect, serve } from 'h3';

const port = Number(process.argv[2] ?? 0);
const app = new H3().get('/v1/avatar', () => redirect('http://localhost:3000/cdn/0000000000000000000000000000000000000000000000000000000000000000.webp'));
const server = serve(app, { port, hostname: '127.0.0.1', silent: true, gracefulShutdown: false });
await server.ready();
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
