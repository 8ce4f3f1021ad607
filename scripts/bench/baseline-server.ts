// The baseline: a bare h3 server answering a constant 302 (and, to compare the fallback with, a
// constant SVG of the same size), run as its own process like the API.
import { H3, redirect, serve } from 'h3';
import { renderFallbackSvg } from '@avtrz/shared/fallback-svg';

const port = Number(process.argv[2] ?? 0);
const svg = renderFallbackSvg('no-photo-person', 128);
const app = new H3()
  .get('/v1/avatar', () =>
    redirect('http://localhost:3000/cdn/0000000000000000000000000000000000000000000000000000000000000000.webp'),
  )
  .get('/svg', (event) => {
    event.res.headers.set('content-type', 'image/svg+xml');
    return svg;
  });
const server = serve(app, { port, hostname: '127.0.0.1', silent: true, gracefulShutdown: false });
await server.ready();
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
