import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { ImageRejectedError, renderVariants, sha256Hex, VARIANT_SIZES } from '../src/images/render-variants.ts';
import { HTML_AS_IMAGE, makePixelBombPng, makePortrait, SVG_WITH_SCRIPT } from '../src/testing/test-images.ts';

const limits = { maxPixels: 40_000_000 };

describe('a photo becomes five squares', () => {
  test('32, 64, 128, 256 and 512 px WEBP squares, named by the hash of their bytes', async () => {
    const source = await makePortrait({ width: 640, height: 480 });
    const image = await renderVariants(source, limits);
    expect(image).toMatchObject({ sourceHash: sha256Hex(source), sourceWidth: 640, sourceHeight: 480, format: 'webp' });
    expect(image.variants.map((v) => v.size)).toEqual([...VARIANT_SIZES]);
    for (const v of image.variants) {
      const meta = await sharp(v.bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', v.size, v.size]);
      expect(v.contentHash).toBe(sha256Hex(v.bytes));
      expect(v.storageKey).toBe(`${v.contentHash}.webp`);
      expect(v.contentType).toBe('image/webp');
    }
  });

  test('the same photo renders to the same bytes, so an unchanged photo keeps its URLs', async () => {
    const source = await makePortrait();
    const [a, b] = await Promise.all([renderVariants(source, limits), renderVariants(source, limits)]);
    expect(a.variants.map((v) => v.storageKey)).toEqual(b.variants.map((v) => v.storageKey));
  });

  test('an off-centre face stays in frame at every size', async () => {
    // A wide photo with the face near the right edge: a centre crop would cut it away.
    const source = await makePortrait({ width: 900, height: 400, faceX: 0.84, faceY: 0.45, faceRadius: 0.16 });
    const image = await renderVariants(source, limits);
    for (const v of image.variants) {
      const { data, info } = await sharp(v.bytes).raw().toBuffer({ resolveWithObject: true });
      let bright = 0;
      let sumX = 0;
      for (let i = 0; i < info.width * info.height; i++) {
        if (data[i * info.channels]! > 200) {
          bright++;
          sumX += i % info.width;
        }
      }
      const share = bright / (info.width * info.height);
      const centreX = sumX / bright / info.width;
      // The disc covers ~8% of a 400 px square; all of it is kept and it sits well inside the frame.
      expect(share, `face share at ${v.size}px`).toBeGreaterThan(0.06);
      expect(centreX, `face centre at ${v.size}px`).toBeGreaterThan(0.2);
      expect(centreX).toBeLessThan(0.8);
    }
  });

  test('metadata is stripped: no EXIF, no GPS, nothing from the source file', async () => {
    const plain = await makePortrait();
    const tagged = await sharp(plain)
      .withExif({ IFD0: { Copyright: 'SECRET-OWNER', Artist: 'SECRET-OWNER' } })
      .jpeg()
      .toBuffer();
    expect((await sharp(tagged).metadata()).exif).toBeDefined();
    const image = await renderVariants(new Uint8Array(tagged), limits);
    for (const v of image.variants) {
      const meta = await sharp(v.bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(Buffer.from(v.bytes).includes('SECRET-OWNER')).toBe(false);
    }
  });

  test('a photo with real transparency becomes PNG; an opaque PNG becomes WEBP', async () => {
    const transparent = await renderVariants(await makePortrait({ format: 'png', transparent: true }), limits);
    expect(transparent.format).toBe('png');
    expect(transparent.variants.every((v) => v.storageKey.endsWith('.png') && v.contentType === 'image/png')).toBe(
      true,
    );
    expect((await sharp(transparent.variants[4]!.bytes).metadata()).hasAlpha).toBe(true);
    const opaque = await renderVariants(await makePortrait({ format: 'png' }), limits);
    expect(opaque.format).toBe('webp');
  });

  test.each(['png', 'webp', 'gif', 'avif'] as const)('a %s source is accepted', async (format) => {
    const image = await renderVariants(await makePortrait({ format, width: 300, height: 300 }), limits);
    expect(image.variants).toHaveLength(5);
  });

  test('a small photo is scaled up to every size', async () => {
    const image = await renderVariants(await makePortrait({ width: 48, height: 48 }), limits);
    expect((await sharp(image.variants[4]!.bytes).metadata()).width).toBe(512);
  });
});

describe('what is refused', () => {
  const reason = (bytes: Uint8Array, maxPixels = limits.maxPixels) =>
    renderVariants(bytes, { maxPixels }).then(
      () => 'accepted',
      (e: unknown) => (e instanceof ImageRejectedError ? e.reason : e),
    );

  test('SVG, even a harmless one, and HTML are not source photos', async () => {
    expect(await reason(SVG_WITH_SCRIPT)).toBe('unsupported_type');
    expect(await reason(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe(
      'unsupported_type',
    );
    expect(await reason(HTML_AS_IMAGE)).toBe('unsupported_type');
  });

  test('a PNG declaring 60000×60000 pixels is refused before it is decoded', async () => {
    expect(await reason(makePixelBombPng())).toBe('too_many_pixels');
  });

  test('the pixel limit is the configured one', async () => {
    expect(await reason(await makePortrait({ width: 400, height: 400 }), 100_000)).toBe('too_many_pixels');
  });

  test('a truncated photo is refused as undecodable', async () => {
    const photo = await makePortrait();
    expect(await reason(photo.subarray(0, 600))).toBe('undecodable');
  });
});
