import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderVariants, ImageRejectedError } from '../src/images/render-variants.ts';
import { startFakeLinkedin, type FakeLinkedin } from '../src/testing/fake-linkedin.ts';
import { HTML_AS_IMAGE, makePixelBombPng, SVG_WITH_SCRIPT } from '../src/testing/test-images.ts';
import { createLinkedinPhotoSource } from '../src/upstream/linkedin-photo-source.ts';
import { downloadPhoto } from '../src/upstream/photo-download.ts';
import type { ProfilePhotoSource } from '../src/upstream/profile-photo-source.ts';
import { createSafeFetch, type SafeFetch } from '../src/upstream/safe-fetch.ts';

// Every hostile answer from the issue, through the real resolver and downloader over real sockets.
let fake: FakeLinkedin;
let fetch: SafeFetch;
let source: ProfilePhotoSource;
let imageHosts: string[];

beforeAll(async () => {
  fake = await startFakeLinkedin();
  imageHosts = [fake.imageHost];
  fetch = createSafeFetch({ allowPrivate: true, timeoutMs: 1500, maxBytes: 2 * 1024 * 1024 });
  source = createLinkedinPhotoSource({ baseUrl: fake.baseUrl, imageHosts, fetch });
});

afterAll(async () => {
  await fetch.close();
  await fake.close();
});

describe('profile pages', () => {
  test.each(['standard', 'reversed', 'entities'] as const)(
    'og:image written %s is read and decoded',
    async (markup) => {
      fake.setProfile(`page-${markup}`, { kind: 'photo', markup });
      const found = await source.lookup(`page-${markup}`);
      expect(found).toEqual({ kind: 'photo', url: fake.photoUrl(`page-${markup}`) });
      // The fake refuses a photo URL whose &amp; was not decoded, so a download proves the decoding.
      const photo = await downloadPhoto(fetch, (found as { url: string }).url, { imageHosts });
      expect(photo).toMatchObject({ kind: 'image', type: 'jpeg' });
    },
  );

  test('a page without og:image has no photo', async () => {
    fake.setProfile('bare-page', { kind: 'no_photo' });
    expect(await source.lookup('bare-page')).toEqual({ kind: 'no_photo', reason: 'no_og_image' });
  });

  test('404 means the profile does not exist', async () => {
    expect(await source.lookup('nobody-here')).toEqual({ kind: 'no_photo', reason: 'not_found' });
  });

  test('a photo on a host outside the list counts as no photo', async () => {
    fake.setProfile('ghost', { kind: 'foreign_photo' });
    expect(await source.lookup('ghost')).toEqual({ kind: 'no_photo', reason: 'host_not_allowed' });
  });

  test.each([999, 429, 500])('status %i means try again later, never no photo', async (status) => {
    fake.setProfile(`status-${status}`, { kind: 'status', status });
    expect(await source.lookup(`status-${status}`)).toEqual({ kind: 'retry_later', reason: `page_status_${status}` });
  });

  test('a redirect to the auth wall is not followed and means try again later', async () => {
    fake.setProfile('walled', { kind: 'auth_wall' });
    expect(await source.lookup('walled')).toEqual({ kind: 'retry_later', reason: 'auth_wall' });
    expect(fake.hits('walled').page).toBe(1);
  });

  test('a redirect to the cloud metadata address is refused even when private addresses are allowed', async () => {
    fake.setProfile('metadata', { kind: 'redirect', location: 'http://169.254.169.254/latest/meta-data/' });
    expect(await source.lookup('metadata')).toEqual({ kind: 'retry_later', reason: 'page_address_refused' });
  });

  test('a redirect loop stops after three redirects', async () => {
    fake.setProfile('loop', { kind: 'redirect', location: '/in/loop/' });
    expect(await source.lookup('loop')).toEqual({ kind: 'retry_later', reason: 'page_too_many_redirects' });
    expect(fake.hits('loop').page).toBe(4);
  });

  test('a 50 MB page is cut off at the byte limit', async () => {
    fake.setProfile('huge-page', { kind: 'huge_page' });
    expect(await source.lookup('huge-page')).toEqual({ kind: 'retry_later', reason: 'page_too_large' });
  });

  test('a gzip bomb is cut off at the byte limit, counted after inflating', async () => {
    fake.setProfile('gzip-bomb', { kind: 'gzip_bomb_page' });
    expect(await source.lookup('gzip-bomb')).toEqual({ kind: 'retry_later', reason: 'page_too_large' });
  });

  test('a page that never ends is cut off at the time limit', async () => {
    fake.setProfile('endless-page', { kind: 'endless_page' });
    expect(await source.lookup('endless-page')).toEqual({ kind: 'retry_later', reason: 'page_timeout' });
  });

  test('a page that never answers is cut off at the time limit', async () => {
    fake.setProfile('silent', { kind: 'hang' });
    expect(await source.lookup('silent')).toEqual({ kind: 'retry_later', reason: 'page_timeout' });
  });
});

describe('photos', () => {
  const download = async (handle: string, photo: Parameters<FakeLinkedin['setProfile']>[1]) => {
    fake.setProfile(handle, photo);
    return downloadPhoto(fetch, fake.photoUrl(handle), { imageHosts });
  };

  test('a 50 MB photo is cut off at the byte limit, whatever Content-Length says', async () => {
    expect(await download('huge-photo', { kind: 'photo', photo: { kind: 'huge' } })).toEqual({
      kind: 'failed',
      reason: 'photo_too_large',
    });
  });

  test('a photo that never ends is cut off at the time limit', async () => {
    expect(await download('endless-photo', { kind: 'photo', photo: { kind: 'endless' } })).toEqual({
      kind: 'failed',
      reason: 'photo_timeout',
    });
  });

  test('HTML served as image/jpeg is refused', async () => {
    const result = await download('html-photo', {
      kind: 'photo',
      photo: { kind: 'image', body: HTML_AS_IMAGE, contentType: 'image/jpeg' },
    });
    expect(result).toEqual({ kind: 'failed', reason: 'photo_unsupported_type' });
  });

  test('an SVG with a script is refused', async () => {
    const result = await download('svg-photo', {
      kind: 'photo',
      photo: { kind: 'image', body: SVG_WITH_SCRIPT, contentType: 'image/svg+xml' },
    });
    expect(result).toEqual({ kind: 'failed', reason: 'photo_unsupported_type' });
  });

  test('a PNG declaring 60000×60000 pixels is downloaded but never decoded', async () => {
    const result = await download('bomb', {
      kind: 'photo',
      photo: { kind: 'image', body: makePixelBombPng(), contentType: 'image/png' },
    });
    expect(result).toMatchObject({ kind: 'image', type: 'png' });
    const rejected = await renderVariants((result as { bytes: Uint8Array }).bytes, { maxPixels: 40_000_000 }).catch(
      (e: unknown) => e,
    );
    expect(rejected).toBeInstanceOf(ImageRejectedError);
    expect((rejected as ImageRejectedError).reason).toBe('too_many_pixels');
  });

  test('a photo redirecting off the allowed hosts is not followed', async () => {
    const result = await download('photo-metadata', {
      kind: 'photo',
      photo: { kind: 'redirect', location: 'http://169.254.169.254/latest/meta-data/iam/' },
    });
    expect(result).toEqual({ kind: 'failed', reason: 'photo_redirect_refused' });
  });
});

describe('addresses', () => {
  test('without UPSTREAM_ALLOW_PRIVATE, loopback is refused before any connection', async () => {
    const strict = createSafeFetch({ allowPrivate: false, timeoutMs: 1500, maxBytes: 1024 * 1024 });
    try {
      const before = fake.hits('strict');
      const strictSource = createLinkedinPhotoSource({ baseUrl: fake.baseUrl, imageHosts, fetch: strict });
      expect(await strictSource.lookup('strict')).toEqual({ kind: 'retry_later', reason: 'page_address_refused' });
      expect(fake.hits('strict')).toEqual(before);
    } finally {
      await strict.close();
    }
  });

  test('only http and https are fetched', async () => {
    await expect(fetch.get('file:///etc/passwd')).rejects.toMatchObject({ reason: 'scheme_refused' });
    await expect(fetch.get('gopher://127.0.0.1:70/')).rejects.toMatchObject({ reason: 'scheme_refused' });
  });
});

test('after all of that, no socket is left open', async () => {
  await fetch.close();
  await expect.poll(() => fake.openConnections(), { timeout: 2000 }).toBe(0);
});
