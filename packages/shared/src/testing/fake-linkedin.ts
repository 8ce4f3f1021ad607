import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { html, ogImageTag, profilePage } from './_fake-linkedin-pages.ts';
import { makeDistinctPhoto } from './test-images.ts';

/**
 * A fake LinkedIn for tests and benchmarks: a real HTTP server on 127.0.0.1 serving public profile
 * pages (`/in/<handle>/`) and photo bytes (`/media/<handle>/photo?...`), each handle behaving as told,
 * including every hostile answer the resolver must survive.
 *
 * Point the app at it with `LINKEDIN_BASE_URL=<baseUrl>`, `UPSTREAM_IMAGE_HOSTS=<imageHost>` and
 * `UPSTREAM_ALLOW_PRIVATE=true`.
 */

export type PhotoBehaviour =
  /** Real image bytes (default: a distinct JPEG made for the handle). */
  | { kind: 'image'; body?: Uint8Array; contentType?: string; delayMs?: number }
  /** An endless-looking body of `bytes` (default 50 MB), sent as fast as the client reads. */
  | { kind: 'huge'; bytes?: number; contentType?: string }
  /** Headers, a few bytes, then nothing more, ever. */
  | { kind: 'endless'; contentType?: string }
  | { kind: 'redirect'; location: string; status?: number }
  | { kind: 'status'; status: number };

export type ProfileBehaviour =
  /**
   * A page whose og:image points at this server's photo route. `markup` varies how the tag is
   * written: `standard` (property then content, double quotes, `&amp;` in the URL), `reversed`
   * (content first, single quotes), `entities` (numeric and named entities throughout the URL).
   */
  | {
      kind: 'photo';
      markup?: 'standard' | 'reversed' | 'entities';
      photo?: PhotoBehaviour;
      /** Delay before the page answers (a slow upstream, for kill tests). */
      pageDelayMs?: number;
    }
  /** A page without og:image. */
  | { kind: 'no_photo' }
  /** A page whose og:image lives on a host that is not this server (LinkedIn's placeholder art). */
  | { kind: 'foreign_photo'; url?: string }
  /** Any status with a small HTML body: 404, 999, 429, 500… */
  | { kind: 'status'; status: number }
  /** A redirect; `location` may be anything, e.g. http://169.254.169.254/latest/meta-data/ */
  | { kind: 'redirect'; location: string; status?: number }
  /** A 302 to /authwall?trk=… as LinkedIn does for suspected bots. */
  | { kind: 'auth_wall' }
  /** A 200 HTML page of `bytes` (default 50 MB). */
  | { kind: 'huge_page'; bytes?: number }
  /** A 200 HTML page that never ends. */
  | { kind: 'endless_page' }
  /** A small gzip body (`content-encoding: gzip`) that inflates to `bytes` (default 50 MB). */
  | { kind: 'gzip_bomb_page'; bytes?: number }
  /** Accepts the request and never answers. */
  | { kind: 'hang' };

export interface FakeLinkedin {
  /** Use as LINKEDIN_BASE_URL. */
  readonly baseUrl: string;
  /** Use as UPSTREAM_IMAGE_HOSTS: the host name photo URLs use. */
  readonly imageHost: string;
  setProfile(handle: string, behaviour: ProfileBehaviour): void;
  /** The URL og:image carries for a handle with a photo (after entity decoding). */
  photoUrl(handle: string): string;
  /** How many times a handle's page and photo were requested. */
  hits(handle: string): { page: number; photo: number };
  /** Sockets currently open to the server (0 once clients have let go). */
  openConnections(): number;
  close(): Promise<void>;
}

export interface FakeLinkedinOptions {
  /** How handles without a behaviour answer; default 404 (an unknown profile). */
  defaultProfile?: ProfileBehaviour;
}

const PHOTO_TOKEN = 'AQ3f-9xZ';

export async function startFakeLinkedin(options: FakeLinkedinOptions = {}): Promise<FakeLinkedin> {
  const behaviours = new Map<string, ProfileBehaviour>();
  const counts = new Map<string, { page: number; photo: number }>();
  const photos = new Map<string, Promise<Uint8Array>>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const fallback: ProfileBehaviour = options.defaultProfile ?? { kind: 'status', status: 404 };

  const count = (handle: string, what: 'page' | 'photo') => {
    const c = counts.get(handle) ?? { page: 0, photo: 0 };
    c[what] += 1;
    counts.set(handle, c);
  };
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const photoFor = (handle: string) => {
    let p = photos.get(handle);
    if (!p) photos.set(handle, (p = makeDistinctPhoto(handle)));
    return p;
  };

  let origin = '';
  const photoPath = (handle: string) => `/media/${encodeURIComponent(handle)}/photo`;
  const photoUrl = (handle: string) => `${origin}${photoPath(handle)}?e=2147483647&v=beta&t=${PHOTO_TOKEN}`;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const page = /^\/in\/([^/]+)\/?$/.exec(url.pathname);
    const media = /^\/media\/([^/]+)\/photo$/.exec(url.pathname);
    if (page) return servePage(decodeURIComponent(page[1]!), res);
    if (media) return servePhoto(decodeURIComponent(media[1]!), url, res);
    if (url.pathname.startsWith('/authwall'))
      return html(res, 200, '<html><head><title>Sign Up | LinkedIn</title></head></html>');
    return html(res, 404, '<html><body>Not found</body></html>');
  }

  async function servePage(handle: string, res: ServerResponse): Promise<void> {
    count(handle, 'page');
    const b = behaviours.get(handle) ?? fallback;
    switch (b.kind) {
      case 'photo': {
        const body = profilePage(handle, ogImageTag(photoUrl(handle), b.markup ?? 'standard'));
        if (b.pageDelayMs) later(b.pageDelayMs, () => !res.destroyed && html(res, 200, body));
        else html(res, 200, body);
        return;
      }
      case 'no_photo':
        return html(res, 200, profilePage(handle, ''));
      case 'foreign_photo':
        return html(
          res,
          200,
          profilePage(
            handle,
            ogImageTag(b.url ?? 'https://static.licdn.com/aero-v1/sc/h/ghost-person.png', 'standard'),
          ),
        );
      case 'status':
        return html(res, b.status, `<html><body>status ${b.status}</body></html>`);
      case 'redirect':
        res.writeHead(b.status ?? 302, { location: b.location }).end();
        return;
      case 'auth_wall':
        res
          .writeHead(302, {
            location: `/authwall?trk=bf&trkInfo=x&original_referer=&sessionRedirect=${encodeURIComponent(`/in/${handle}/`)}`,
          })
          .end();
        return;
      case 'huge_page':
        return stream(res, 200, 'text/html; charset=utf-8', b.bytes ?? 50 * 1024 * 1024);
      case 'endless_page':
        return endless(res, 'text/html; charset=utf-8');
      case 'gzip_bomb_page': {
        const body = gzipSync(Buffer.alloc(b.bytes ?? 50 * 1024 * 1024, 0x20), { level: 9 });
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-encoding': 'gzip',
          'content-length': body.byteLength,
        });
        res.end(body);
        return;
      }
      case 'hang':
        return;
    }
  }

  async function servePhoto(handle: string, url: URL, res: ServerResponse): Promise<void> {
    count(handle, 'photo');
    // Like LinkedIn's signed URLs: an og:image read without decoding its entities is refused.
    if (url.searchParams.get('t') !== PHOTO_TOKEN || url.searchParams.get('v') !== 'beta') {
      return html(res, 403, '<html><body>bad signature</body></html>');
    }
    const b = behaviours.get(handle) ?? fallback;
    const p: PhotoBehaviour = b.kind === 'photo' ? (b.photo ?? { kind: 'image' }) : { kind: 'status', status: 404 };
    switch (p.kind) {
      case 'image': {
        const body = p.body ?? (await photoFor(handle));
        const send = () => {
          if (res.destroyed) return;
          res.writeHead(200, { 'content-type': p.contentType ?? 'image/jpeg', 'content-length': body.byteLength });
          res.end(body);
        };
        if (p.delayMs) later(p.delayMs, send);
        else send();
        return;
      }
      case 'huge':
        return stream(res, 200, p.contentType ?? 'image/jpeg', p.bytes ?? 50 * 1024 * 1024);
      case 'endless':
        return endless(res, p.contentType ?? 'image/jpeg');
      case 'redirect':
        res.writeHead(p.status ?? 302, { location: p.location }).end();
        return;
      case 'status':
        return html(res, p.status, `<html><body>status ${p.status}</body></html>`);
    }
  }

  function stream(res: ServerResponse, status: number, contentType: string, total: number): void {
    // Claims a small length that must not be trusted, then sends everything.
    res.writeHead(status, { 'content-type': contentType });
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    chunk.set([0xff, 0xd8, 0xff, 0xe0]);
    let sent = 0;
    const pump = () => {
      while (sent < total && !res.destroyed) {
        const n = Math.min(chunk.length, total - sent);
        sent += n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    pump();
  }

  function endless(res: ServerResponse, contentType: string): void {
    res.writeHead(200, { 'content-type': contentType });
    res.write(contentType.startsWith('image/jpeg') ? Buffer.from([0xff, 0xd8, 0xff, 0xe0]) : '<html><head>');
    const tick = () => {
      if (res.destroyed) return;
      res.write(' ');
      later(500, tick);
    };
    later(500, tick);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    baseUrl: origin,
    imageHost: '127.0.0.1',
    setProfile(handle, behaviour) {
      behaviours.set(handle, behaviour);
    },
    photoUrl,
    hits: (handle) => ({ ...(counts.get(handle) ?? { page: 0, photo: 0 }) }),
    openConnections: () => sockets.size,
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
