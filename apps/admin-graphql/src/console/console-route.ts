import type { H3, H3Event } from 'h3';
import type { Config } from '@avtrz/shared/config';
import { errorBody } from '@avtrz/shared/errors';
import { type ConsoleFile, readConsoleFile } from './console-files.ts';

/** Paths the console never answers: unknown admin API paths keep the API's JSON 404. */
const apiPrefixes = ['/api/', '/trpc', '/graphql'];
const HASHED_ASSETS = '/assets/';

/**
 * The console's pages: no inline script and no origin but this one, except images from the
 * installation's own CDN (the profile photos). Scripts and styles come only from /assets/.
 */
export function consoleContentSecurityPolicy(config: Pick<Config, 'publicCdnUrl'>): string {
  const cdnOrigin = new URL(config.publicCdnUrl).origin;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' ${cdnOrigin}`,
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves the built console (see apps/console): hashed assets cached for a year, everything else
 * that is not an API path gets index.html (the console routes in the browser), never cached, so a
 * new build is picked up at the next load.
 */
export function registerConsoleRoute(app: H3, options: { dir: string; config: Pick<Config, 'publicCdnUrl'> }): void {
  const csp = consoleContentSecurityPolicy(options.config);
  const serve = async (event: H3Event) => {
    const path = event.url.pathname;
    if (apiPrefixes.some((prefix) => path.startsWith(prefix))) {
      event.res.status = 404;
      event.res.headers.set('cache-control', 'no-store');
      return errorBody('not_found');
    }
    const headers = event.res.headers;
    headers.set('x-content-type-options', 'nosniff');
    headers.set('referrer-policy', 'same-origin');
    if (path.startsWith(HASHED_ASSETS)) {
      const asset = await readConsoleFile(options.dir, path);
      if (!asset) return notFound(event);
      headers.set('cache-control', 'public, max-age=31536000, immutable');
      return send(event, asset);
    }
    // Files at the top of the build (the icon) keep their name across builds: cached briefly.
    const topLevel = path !== '/' && path.lastIndexOf('/') === 0 && path.includes('.');
    const file = topLevel ? await readConsoleFile(options.dir, path) : undefined;
    if (file) {
      headers.set('cache-control', 'public, max-age=3600');
      return send(event, file);
    }
    const index = await readConsoleFile(options.dir, '/index.html');
    headers.set('content-security-policy', csp);
    headers.set('cache-control', 'no-cache');
    if (!index) {
      event.res.status = 503;
      headers.set('content-type', 'text/plain; charset=utf-8');
      return 'The console is not built yet: run `pnpm --filter @avtrz/console build` (the all-in-one start does it).\n';
    }
    return send(event, index);
  };
  app.get('/**', serve);
  app.head('/**', serve);
}

function send(event: H3Event, file: ConsoleFile): Uint8Array | null {
  event.res.headers.set('content-type', file.contentType);
  event.res.headers.set('content-length', String(file.body.byteLength));
  return event.req.method === 'HEAD' ? null : new Uint8Array(file.body);
}

function notFound(event: H3Event): string {
  event.res.status = 404;
  event.res.headers.set('cache-control', 'no-store');
  event.res.headers.set('content-type', 'text/plain; charset=utf-8');
  return 'Not found.\n';
}
